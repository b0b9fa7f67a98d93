import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
export const GREENLET_TRACE = readFileSync(join(ROOT, 'knowledge', 'samples', 'missing-greenlet-pytest.txt'), 'utf8');

/**
 * A production log of about `bytes` bytes: uvicorn access lines and app INFO records with
 * varying ids and timings, ending in the crash. What people attach as a snippet file.
 */
export function longLogFile(bytes: number, crash = GREENLET_TRACE): Buffer {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const t = `2026-03-14 ${String(9 + Math.floor(i / 3600) % 12).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},${String((i * 7) % 1000).padStart(3, '0')}`;
    const line = i % 5 === 0
      ? `${t} INFO app.orders: order ${100000 + i} reserved ${1 + (i % 7)} items for customer ${(i * 31) % 5000} in ${(i % 90) + 3} ms`
      : `${t} INFO uvicorn.access: 10.0.${i % 250}.${(i * 13) % 250}:${40000 + (i % 20000)} - "GET /api/orders/${1000 + (i % 9000)} HTTP/1.1" 200`;
    lines.push(line);
    size += line.length + 1;
  }
  return Buffer.from(`${lines.join('\n')}\n${crash}`);
}
