import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Fuse from 'fuse.js';
import { loadKnowledge } from '../../bot/kb/load.js';
import type { Fault } from '../../bot/kb/compile.js';
import { createEngine } from '../../bot/triage/diagnose.js';
import { type BenchResult, measure, quick } from './measure.js';
import { syntheticFaults } from './synthetic.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const trace60 = readFileSync(join(fixtures, 'bench-60-line-trace.txt'), 'utf8');

/** A 2,000-line service log: request lines, a warning, and the crash at the end. */
function logPaste(): string {
  const lines: string[] = [];
  for (let i = 0; lines.length < 1940; i++) {
    lines.push(`2025-03-14 09:${String(10 + (i % 50)).padStart(2, '0')}:44,${String(i % 1000).padStart(3, '0')} INFO [app.access] 10.0.${i % 255}.7 - "GET /api/users/${i} HTTP/1.1" 200 ${512 + i}`);
    if (i % 400 === 0) lines.push(`2025-03-14 09:12:44,871 WARNING [sqlalchemy.pool] Connection <AsyncAdapt_asyncpg_connection object at 0x7f3a2c1b${i}> being returned to pool was not checked in`);
  }
  return `${lines.join('\n')}\n${trace60}`;
}

const dist = join(import.meta.dirname, '..', '..', 'dist', 'bot', 'kb');

/**
 * The built bot's own path in a new process: the catalogue from the snapshot, then, when `warm`,
 * the warm-up `faultline serve` runs after its start (kb/warm-up.ts: 2,000 calls on one example
 * per fault, none of them the bench's trace), then `calls` timed diagnoses of the 60-line trace.
 */
function freshProcess(warm: boolean, calls: number): { first: number; median: number; p99: number; warmUpMs: number } {
  const script = `
    const { loadEngineQuick } = await import(${JSON.stringify(pathToFileURL(join(dist, 'snapshot.js')).href)});
    const { readWarmUpPastes, warmUp } = await import(${JSON.stringify(pathToFileURL(join(dist, 'warm-up.js')).href)});
    const { engine } = await loadEngineQuick();
    const trace = ${JSON.stringify(trace60)};
    let warmUpMs = 0;
    if (${warm}) warmUpMs = (await warmUp(engine, readWarmUpPastes([...engine.index.faults.values()]))).ms;
    const t = [];
    for (let i = 0; i < ${calls}; i++) { const s = performance.now(); engine.diagnose(trace); t.push(performance.now() - s); }
    const first = t[0];
    t.sort((a, b) => a - b);
    process.stdout.write(JSON.stringify({ first, median: t[Math.floor(t.length / 2)], p99: t[Math.ceil(t.length * 0.99) - 1], warmUpMs }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fresh-process bench failed: ${r.stderr.slice(0, 300)}`);
  return JSON.parse(r.stdout) as { first: number; median: number; p99: number; warmUpMs: number };
}

/** The naive design the index replaces: one fuse.js search of the raw paste over every fault. */
function naiveBaseline(faults: Fault[]): (text: string) => unknown {
  const items = faults.map((f) => ({ id: f.id, text: [f.title.en, ...f.phrases, ...f.signatures.map((s) => `${s.type ?? ''} ${s.message?.source ?? ''}`)].join('\n') }));
  const fuse = new Fuse(items, { keys: ['text'], includeScore: true, ignoreLocation: true, threshold: 0.6 });
  return (text) => fuse.search(text)[0];
}

export default async function triageBench(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const shipped = loadKnowledge().faults;
  const synthetic = [...shipped, ...syntheticFaults(10_000 - shipped.length)];
  const log2000 = logPaste();
  const trace30 = trace60.split('\n').slice(-30).join('\n');
  const iterations = quick() ? 300 : 2000;

  // A diagnosis settles after about 2,000 calls, not the 200 the other benches take: the first
  // thousand calls of a process pay for the JIT's tiers and the young generation growing to size
  // (measured in windows of 1,000 calls on an idle machine: p99 4.7-4.9 ms in the first window,
  // 0.7-1.4 ms from the third on). The first calls are reported too, as the cold figure.
  const steadyWarmup = quick() ? 300 : 2000;
  for (const [label, faults] of [[`shipped catalogue (${shipped.length} faults)`, shipped], ['10,000 faults', synthetic]] as const) {
    const engine = createEngine(faults);
    if (faults === shipped) {
      const cold = measure(() => engine.diagnose(trace60), quick() ? 300 : 1000, { warmup: 0 });
      results.push({ name: `diagnose 60-line trace, ${label}, first calls of the process`, value: cold.median, unit: 'ms median', note: `p99 ${cold.p99.toFixed(3)} ms, max ${cold.max.toFixed(2)} ms, n=${cold.n}, no warm-up` });
    }
    const check = engine.diagnose(trace60);
    if (check.match?.id !== 'sqlalchemy.missing-greenlet') throw new Error(`bench input did not diagnose as MissingGreenlet against ${label}`);
    const t60 = measure(() => engine.diagnose(trace60), iterations, { warmup: steadyWarmup });
    results.push({ name: `diagnose 60-line trace, ${label}`, value: t60.median, unit: 'ms median', note: `p99 ${t60.p99.toFixed(3)} ms, max ${t60.max.toFixed(2)} ms, n=${t60.n}` });
    const tLog = measure(() => engine.diagnose(log2000), Math.ceil(iterations / 10));
    results.push({ name: `diagnose 2,000-line log, ${label}`, value: tLog.median, unit: 'ms median', note: `p99 ${tLog.p99.toFixed(3)} ms, max ${tLog.max.toFixed(2)} ms, n=${tLog.n}` });
    const unknown = 'acme.billing.LedgerImbalanceError: ledger 7 is off by 3 cents after reconciliation of batch 1182';
    const tUnknown = measure(() => engine.diagnose(unknown), iterations);
    results.push({ name: `diagnose unknown error (fuzzy path), ${label}`, value: tUnknown.median, unit: 'ms median', note: `p99 ${tUnknown.p99.toFixed(3)} ms` });
  }

  // What a running bot's first pastes see: a new process of the built code, with and without the
  // warm-up `faultline serve` runs after its start. Three processes each, alternating.
  if (existsSync(join(dist, 'warm-up.js'))) {
    const calls = quick() ? 300 : 1000;
    type Run = ReturnType<typeof freshProcess>;
    const runs = { cold: [] as Run[], warm: [] as Run[] };
    for (let i = 0; i < (quick() ? 1 : 3); i++) {
      runs.cold.push(freshProcess(false, calls));
      runs.warm.push(freshProcess(true, calls));
    }
    const show = (xs: Run[]) => `p99 ${xs.map((x) => x.p99.toFixed(2)).join(', ')} ms; medians ${xs.map((x) => x.median.toFixed(2)).join(', ')} ms; the first call ${xs.map((x) => x.first.toFixed(1)).join(', ')} ms`;
    results.push(
      { name: `diagnose 60-line trace, a new process's first ${calls} calls (built code, snapshot)`, value: Math.max(...runs.cold.map((x) => x.p99)), unit: 'ms p99 (worst run)', note: show(runs.cold) },
      { name: `the same after the bot's start-up warm-up (2,000 calls on one example per fault)`, value: Math.max(...runs.warm.map((x) => x.p99)), unit: 'ms p99 (worst run)', note: `${show(runs.warm)}; the warm-up took ${runs.warm.map((x) => Math.round(x.warmUpMs)).join(', ')} ms` },
    );
  }

  // The baseline is slow by design; few runs are enough to see the ratio.
  const indexed = createEngine(shipped);
  const indexedTime = measure(() => indexed.diagnose(trace30), 200).median;
  const naiveShipped = naiveBaseline(shipped);
  const tNaive = measure(() => naiveShipped(trace30), quick() ? 1 : 3);
  results.push({ name: `naive fuse.js baseline, 30-line trace, ${shipped.length} faults`, value: tNaive.median, unit: 'ms median', note: `indexed engine ${indexedTime.toFixed(3)} ms: ${(tNaive.median / indexedTime).toFixed(0)}x faster` });
  if (!quick()) {
    const sample = synthetic.slice(0, 1000);
    const naive1000 = naiveBaseline(sample);
    const t1000 = measure(() => naive1000(trace30), 1);
    results.push({ name: 'naive fuse.js baseline, 30-line trace, 1,000 faults', value: t1000.median, unit: 'ms', note: `x10 for 10,000 faults ~ ${(t1000.median * 10 / 1000).toFixed(0)} s; the indexed engine at 10,000: ${measure(() => createEngineCached(synthetic).diagnose(trace30), 200).median.toFixed(3)} ms` });
  }
  const mem = process.memoryUsage();
  results.push({ name: 'peak memory (rss) after triage bench', value: Math.round(mem.rss / 2 ** 20), unit: 'MiB', note: `heap used ${Math.round(mem.heapUsed / 2 ** 20)} MiB` });
  return results;
}

let cachedEngine: ReturnType<typeof createEngine> | null = null;
function createEngineCached(faults: Fault[]): ReturnType<typeof createEngine> {
  cachedEngine ??= createEngine(faults);
  return cachedEngine;
}
