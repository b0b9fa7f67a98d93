import type { Writable } from 'node:stream';

/** What a CLI command gets: parsed argv, streams and the environment (never process.* directly). */
export interface CliContext {
  args: string[];
  flags: Record<string, string | boolean>;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface CliOption {
  /** `string` takes a value (`--lang ja`, `--lang=ja`); `boolean` takes none. */
  type: 'string' | 'boolean';
  /** One letter (`-h`). */
  short?: string;
  /** What the value looks like in the help (`en|ja`, `DIR`). */
  value?: string;
  /** One line for `--help`. */
  description: string;
}

/**
 * A command as `faultline help` and the argument parser see it. The code that runs it is
 * loaded only when the command is run, so `faultline diagnose` never loads Slack, the OpenAI
 * client or the regex checker.
 */
export interface CliCommandSpec {
  name: string;
  /** One line for `faultline help`. */
  summary: string;
  usage: string;
  options: Record<string, CliOption>;
  load(): Promise<CliCommandModule>;
}

export interface CliCommandModule {
  /** Resolves to the exit code: 0 done, 1 failed check, 2 bad usage or unreadable input. */
  run(ctx: CliContext): Promise<number>;
}

const USAGE_ERROR = Symbol.for('faultline.UsageError');

/**
 * Thrown for wrong usage or unusable input; the CLI prints the message and exits 2.
 * `instanceof` goes by a registered symbol, not by class identity: the built CLI
 * (dist/bot/cli/faultline.cjs) holds its own copy of this module, and commands it loads from
 * dist/bot/cli/commands/ throw the copy they import.
 */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly [USAGE_ERROR] = true;

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[USAGE_ERROR] === true;
  }
}
