import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shippedEngine } from '../helpers.js';

// A log card's excerpt often stops on the raising frame, before Python's exception line. For a TCP
// connect that is asyncio's own `raise OSError(err, f'Connect call failed {address}')`; whose
// connect it was is told by the frames above it. The inputs are the lab's recorded traces (Debian's
// aiohttp and httpx, tests/../knowledge/lab/traces), cut right after that raise line.
const engine = shippedEngine();
const RAISE = "raise OSError(err, f'Connect call failed {address}')";

function cutOnRaise(trace: string): string {
  const lines = readFileSync(join(import.meta.dirname, '..', '..', 'knowledge', 'lab', 'traces', trace), 'utf8').split('\n');
  const at = lines.findIndex((l) => l.trim() === RAISE);
  expect(at).toBeGreaterThan(0);
  return lines.slice(0, at + 1).join('\n');
}

describe("a trace cut on asyncio's connect raise", () => {
  it.each(['connection-refused.bookworm.txt', 'connection-refused.trixie.txt'])('under aiohttp\'s connector is aiohttp.connector-error (%s)', (file) => {
    const d = engine.diagnose(cutOnRaise(`aiohttp/connector-error/${file}`));
    expect(d.match?.id).toBe('aiohttp.connector-error');
  });

  it("under httpx's anyio connect is not aiohttp's", () => {
    const d = engine.diagnose(cutOnRaise('httpx/connect-error/refused-async.bookworm.txt'));
    expect(d.match?.id).not.toBe('aiohttp.connector-error');
  });
});
