import type { Writable } from 'node:stream';

/** What a CLI command gets: parsed argv, streams and the environment (never process.* directly). */
export interface CliContext {
  args: string[];
  flags: Record<string, string | boolean>;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface CliCommand {
  name: string;
  /** One line for `faultline help`. */
  summary: string;
  usage: string;
  /** Flags that take a value (`--lang ja`); every other `--flag` is boolean. */
  valueFlags?: string[];
  /** Resolves to the exit code: 0 done, 1 failed check, 2 bad usage or unreadable input. */
  run(ctx: CliContext): Promise<number>;
}

/** Thrown for wrong usage; the CLI prints the message and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
