import type { CliCommand } from '../command.js';
import { command as backup } from './backup.js';
import { command as diagnose } from './diagnose.js';
import { command as evalCommand } from './eval.js';
import { command as digest } from './digest.js';
import { command as knowledge } from './knowledge.js';
import { command as search } from './search.js';
import { command as serve } from './serve.js';
import { command as show } from './show.js';

/** Every CLI command, in the order `faultline help` lists them. */
export const commands: CliCommand[] = [diagnose, search, show, knowledge, evalCommand, digest, backup, serve];
