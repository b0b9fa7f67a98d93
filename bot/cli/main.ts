#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isEntryPoint } from '../entry-point.js';
import { packageRoot } from '../kb/files.js';
import { closest, commandHelp, parseCommandArgs } from './args.js';
import { commands } from './commands/index.js';
import { UsageError, type CliContext } from './command.js';

type Io = Pick<CliContext, 'stdin' | 'stdout' | 'stderr' | 'env' | 'cwd'>;

/** Exit codes (README, "Commands"). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'faultline: explains backend errors with curated causes, ranked fixes and snippets in your names.',
    '',
    'Usage: faultline <command> [options]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    '  -h, --help     this help; faultline <command> --help for a command\'s options',
    '  -V, --version  the version',
    '',
    'Exit codes: 0 done (diagnosed or no match), 1 a failed check, 2 bad usage or unreadable input.',
  ].join('\n');
}

export function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Filesystem errors carry the path the user gave or configured: a problem with the input, not a bug. */
export function fileProblem(err: unknown): string | null {
  const e = err as NodeJS.ErrnoException;
  const codes: Record<string, string> = { ENOENT: 'does not exist', EACCES: 'is not readable or writable by you', EPERM: 'is not permitted', EISDIR: 'is a directory', ENOTDIR: 'has a part that is not a directory', EROFS: 'is on a read-only file system', ENOSPC: 'has no space left' };
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || !(e.code in codes) || !e.path) return null;
  return `${e.path} ${codes[e.code]} (${e.code}). Check the path and its permissions.`;
}

/** Runs one CLI invocation and resolves to its exit code; never calls process.exit itself. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(`${helpText()}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`faultline ${version()}\n`);
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const hint = closest(name.replace(/^-+/, ''), name.startsWith('-') ? ['help', 'version'] : commands.map((c) => c.name));
    const what = name.startsWith('-') ? `unknown option '${name}'` : `unknown command '${name}'`;
    io.stderr.write(`faultline: ${what}${hint ? `; did you mean ${name.startsWith('-') ? '--' : ''}${hint}?` : ''}. Commands: ${commands.map((c) => c.name).join(', ')} (faultline --help).\n`);
    return EXIT.usage;
  }
  try {
    const { args, flags } = parseCommandArgs(rest, command.options, command.usage);
    if (flags.help) {
      io.stdout.write(commandHelp(command.summary, command.usage, command.options));
      return EXIT.ok;
    }
    const { run } = await command.load();
    // Descriptors, not a spread: a spread would read `stdin`, and process.stdin costs a start
    // ~3 ms to set up though only `diagnose -` reads it.
    return await run(Object.defineProperties({ args, flags }, Object.getOwnPropertyDescriptors(io)) as CliContext);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`faultline ${command.name}: ${err.message}\n`);
      return EXIT.usage;
    }
    const file = fileProblem(err);
    if (file) {
      io.stderr.write(`faultline ${command.name}: ${file}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`faultline ${command.name}: unexpected failure: ${(err as Error).message}\nThis is a bug in Faultline; please report it with the command you ran.\n`);
    return EXIT.failed;
  }
}

/** The `faultline` executable: process streams in, exit code out. */
export function main(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // `faultline diagnose x | head` closes the pipe early; that is not an error.
    if (err.code === 'EPIPE') process.exit(0);
  });
  const io: Io = {
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    // Built on first write: creating the stream costs a start about 2 ms, and an answer never
    // writes to it.
    get stderr() {
      return process.stderr;
    },
    env: process.env,
    cwd: process.cwd(),
  };
  runCli(process.argv.slice(2), io).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => {
      process.stderr.write(`faultline: ${(err as Error).message}\nThis is a bug in Faultline; please report it with the command you ran.\n`);
      process.exitCode = 1;
    },
  );
}

// The built CLI starts from dist/bot/cli/faultline.cjs, which calls main() (bot/build/bundle-cli.mjs).
if (isEntryPoint(import.meta.url)) main();
