import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiagnoser, INLINE_MAX_CHARS, type Diagnoser } from '../../bot/kb/diagnose-pool.js';
import { loadEngineQuick } from '../../bot/kb/snapshot.js';
import type { Engine } from '../../bot/triage/diagnose.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TRACE = readFileSync(join(ROOT, 'knowledge', 'samples', 'missing-greenlet-pytest.txt'), 'utf8');
const FLAKY = new URL('../fixtures/workers/flaky-diagnose-worker.ts', import.meta.url);

/** A long access log, then the crash: the shape of a real production log paste. */
function longLog(chars: number, marker = ''): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < chars; i++) {
    const line = `2026-03-14 09:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},${String(i % 1000).padStart(3, '0')} INFO uvicorn.access: 10.0.${i % 250}.7:5123${i % 10} - "GET /api/orders/${1000 + (i % 9000)} HTTP/1.1" 200`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n${marker}${TRACE}`;
}

describe('diagnose pool', () => {
  let engine: Engine;
  const pools: Diagnoser[] = [];
  const pool = (o: Partial<Parameters<typeof createDiagnoser>[0]> = {}): Diagnoser => {
    const p = createDiagnoser({ engine, ...o });
    pools.push(p);
    return p;
  };
  beforeAll(async () => {
    engine = (await loadEngineQuick()).engine;
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it('diagnoses a small paste inline and a large one in a worker, with the same answer', async () => {
    const p = pool();
    const small = await p.diagnose(TRACE);
    expect(p.offloaded).toBe(0);
    expect(small.match?.id).toBe('sqlalchemy.missing-greenlet');

    const big = longLog(INLINE_MAX_CHARS * 2);
    const d = await p.diagnose(big);
    expect(p.offloaded).toBe(1);
    expect(d).toEqual(engine.diagnose(big));
  }, 60_000);

  it.runIf(existsSync('/proc/thread-self'))('runs the worker at a lower priority than the main thread (Linux)', async () => {
    const p = pool();
    await p.diagnose(longLog(INLINE_MAX_CHARS * 2));
    // /proc/<pid>/task/<tid>/stat, after "pid (comm) ": field 19, nice, is the 17th.
    const nice = (tid: string): number => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]?.split(' ')[16]);
    const main = nice(String(process.pid));
    expect(main).toBeLessThan(10);
    expect(readdirSync('/proc/self/task').map(nice)).toContain(10);
  }, 60_000);

  it('reads only the head and tail of a 30 MB paste, and says so', async () => {
    const p = pool();
    const d = await p.diagnose(longLog(30 * 1024 * 1024));
    expect(d.match?.id).toBe('sqlalchemy.missing-greenlet');
    expect(d.input.truncated).toBe(true);
    expect(d.input.bytes).toBeGreaterThan(30 * 1024 * 1024);
    expect(d.input.notes.join(' ')).toMatch(/only its first 32 KB and last 224 KB were analysed/);
  }, 60_000);

  it('answers from the tail when the worker crashes, and replaces the worker', async () => {
    const logs: string[] = [];
    const p = pool({ workerUrl: FLAKY, log: (event, fields) => logs.push(`${event} ${String(fields.reason)}`) });
    const d = await p.diagnose(longLog(INLINE_MAX_CHARS * 2, '@@crash-the-worker@@\n'));
    expect(d.match?.id).toBe('sqlalchemy.missing-greenlet');
    expect(d.input.notes.at(-1)).toMatch(/could not be diagnosed \(the diagnosis worker failed\); only its last 16 KB was/);
    expect(logs.join('\n')).toMatch(/faultline\.diagnose_worker_failed worker RangeError/);
    // The next large paste gets a fresh worker and a full answer.
    const again = await p.diagnose(longLog(INLINE_MAX_CHARS * 2));
    expect(again.match?.id).toBe('sqlalchemy.missing-greenlet');
    expect(again.input.notes.join(' ')).not.toMatch(/could not be diagnosed/);
  }, 60_000);

  it('answers from the tail when the worker hangs past the timeout', async () => {
    const p = pool({ workerUrl: FLAKY, timeoutMs: 3_000 });
    // Started and ready: the time limit is the diagnosis's own, not the catalogue's loading.
    await p.diagnose(longLog(INLINE_MAX_CHARS * 2));
    const d = await p.diagnose(longLog(INLINE_MAX_CHARS * 2, '@@hang-the-worker@@\n'));
    expect(d.match?.id).toBe('sqlalchemy.missing-greenlet');
    expect(d.input.notes.at(-1)).toMatch(/it took too long/);
    const again = await p.diagnose(longLog(INLINE_MAX_CHARS * 2));
    expect(again.input.notes.join(' ')).not.toMatch(/could not be diagnosed/);
  }, 120_000);
});
