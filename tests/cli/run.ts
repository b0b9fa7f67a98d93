import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../bot/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in-process with in-memory streams; `stdin` undefined means an interactive
 * terminal. `terminal` makes standard output look like one (`isTTY`, `columns`).
 */
export async function cli(args: string[], stdin?: string | Buffer, env: NodeJS.ProcessEnv = {}, cwd: string = process.cwd(), terminal?: { columns?: number }): Promise<CliRun> {
  const out = Object.assign(new PassThrough(), terminal ? { isTTY: true, columns: terminal.columns } : {});
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (c: Buffer) => chunks.out.push(c));
  err.on('data', (c: Buffer) => chunks.err.push(c));
  const input = stdin === undefined ? Object.assign(Readable.from([]), { isTTY: true }) : Readable.from([typeof stdin === 'string' ? Buffer.from(stdin) : stdin]);
  const code = await runCli(args, { stdin: input, stdout: out, stderr: err, env, cwd });
  return { code, stdout: Buffer.concat(chunks.out).toString('utf8'), stderr: Buffer.concat(chunks.err).toString('utf8') };
}
