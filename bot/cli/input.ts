import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { MAX_INPUT_BYTES } from '../triage/normalise.js';
import { UsageError } from './command.js';

const HEAD = 32 * 1024;
const TAIL = MAX_INPUT_BYTES - HEAD;

/**
 * Reads at most what the engine analyses: the head and the tail of a file, so a multi-GB log
 * costs the same as a short trace. The size reported is the real one.
 */
export function readFileBounded(path: string): { data: Buffer; size: number } {
  let fd: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new UsageError(`${path} is a directory; give a file with the error text, or '-' for standard input.`);
    fd = openSync(path, 'r');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Check the path, or pipe the text in with '-'.`);
  }
  try {
    const size = statSync(path).size;
    if (size <= MAX_INPUT_BYTES) {
      const buf = Buffer.alloc(size);
      const n = readSync(fd, buf, 0, size, 0);
      return { data: buf.subarray(0, n), size };
    }
    const head = Buffer.alloc(HEAD);
    const tail = Buffer.alloc(TAIL);
    readSync(fd, head, 0, HEAD, 0);
    readSync(fd, tail, 0, TAIL, size - TAIL);
    // One byte over the bound tells the engine the input was longer than what it sees.
    return { data: Buffer.concat([head, Buffer.from('\n'), tail]), size };
  } finally {
    closeSync(fd);
  }
}

/** Reads standard input keeping the head and a rolling tail, never more than the bound. */
export async function readStreamBounded(stream: NodeJS.ReadableStream): Promise<{ data: Buffer; size: number }> {
  const head: Buffer[] = [];
  let headLen = 0;
  let tail: Buffer[] = [];
  let tailLen = 0;
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (headLen < HEAD) {
      const take = buf.subarray(0, HEAD - headLen);
      head.push(take);
      headLen += take.length;
      if (take.length === buf.length) continue;
      tail.push(buf.subarray(take.length));
      tailLen += buf.length - take.length;
    } else {
      tail.push(buf);
      tailLen += buf.length;
    }
    if (tailLen > TAIL * 2) {
      const joined = Buffer.concat(tail);
      tail = [joined.subarray(joined.length - TAIL)];
      tailLen = TAIL;
    }
  }
  const tailBuf = Buffer.concat(tail);
  const keptTail = tailBuf.length > TAIL ? tailBuf.subarray(tailBuf.length - TAIL) : tailBuf;
  const data = size > HEAD + keptTail.length ? Buffer.concat([...head, Buffer.from('\n'), keptTail]) : Buffer.concat([...head, keptTail]);
  return { data, size };
}
