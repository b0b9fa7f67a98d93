#!/usr/bin/env node
import { isEntryPoint } from '../entry-point.js';
import { commands } from './commands/index.js';
import { UsageError, type CliCommand, type CliContext } from './command.js';

type Io = Pick<CliContext, 'stdin' | 'stdout' | 'stderr' | 'env' | 'cwd'>;

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'faultline: explains backend errors with curated causes, ranked fixes and snippets in your names.',
    '',
    'Usage: faultline <command> [options]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'faultline <command> --help' for a command's options.",
  ].join('\n');
}

export function parseArgs(argv: string[], command: CliCommand): { args: string[]; flags: Record<string, string | boolean> } {
  const args: string[] = [];
  const flags: Record<string, string | boolean> = {};
  const valueFlags = new Set(command.valueFlags ?? []);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') { args.push(...argv.slice(i + 1)); break; }
    if (a === '-h') { flags.help = true; continue; }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (valueFlags.has(name)) {
        const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
        if (value === undefined) throw new UsageError(`--${name} needs a value (${command.usage}).`);
        flags[name] = value;
      } else {
        if (eq > 0) throw new UsageError(`--${name} takes no value (${command.usage}).`);
        flags[name] = true;
      }
      continue;
    }
    args.push(a);
  }
  return { args, flags };
}

/** Runs one CLI invocation and resolves to its exit code; never calls process.exit itself. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(`${helpText()}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.stdout.write('faultline 0.1.0\n');
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`faultline: unknown command '${name}'. Commands: ${commands.map((c) => c.name).join(', ')}.\n`);
    return 2;
  }
  try {
    const { args, flags } = parseArgs(rest, command);
    if (flags.help) {
      io.stdout.write(`${command.summary}\n\nUsage: ${command.usage}\n`);
      return 0;
    }
    return await command.run({ ...io, args, flags });
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`faultline ${command.name}: ${err.message}\n`);
      return 2;
    }
    io.stderr.write(`faultline ${command.name}: unexpected failure: ${(err as Error).message}\nThis is a bug in Faultline; please report it with the command you ran.\n`);
    return 1;
  }
}


if (isEntryPoint(import.meta.url)) {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // `faultline diagnose x | head` closes the pipe early; that is not an error.
    if (err.code === 'EPIPE') process.exit(0);
  });
  runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => {
      process.stderr.write(`faultline: ${(err as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
