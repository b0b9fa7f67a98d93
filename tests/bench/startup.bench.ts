import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type BenchResult, quick, summarise } from './measure.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'dist', 'bot', 'cli', 'main.js');
const trace60 = join(root, 'tests', 'fixtures', 'bench-60-line-trace.txt');

function wall(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString('utf8').slice(0, 300)}`);
  return ms;
}

/**
 * What a user waits for: `faultline diagnose` on a 60-line paste, a fresh process each time
 * (the built CLI, as `npx faultline` runs it), measured side by side with `node -e 0` so the
 * figure can be read on a loaded machine: runs alternate, and the difference is what
 * Faultline itself costs.
 */
export default async function startupBench(): Promise<BenchResult[]> {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build first`);
  const n = quick() ? 8 : 40;
  wall([bin, 'diagnose', trace60]);
  const node: number[] = [];
  const diagnose: number[] = [];
  for (let i = 0; i < n; i++) {
    node.push(wall(['-e', '0']));
    diagnose.push(wall([bin, 'diagnose', trace60]));
  }
  const a = summarise(node);
  const b = summarise(diagnose);
  return [
    { name: 'node -e 0: median', value: a.median, unit: 'ms', note: `p99 ${a.p99.toFixed(0)} ms, n=${n}` },
    { name: 'faultline diagnose, 60-line trace (new process): median', value: b.median, unit: 'ms', note: `p99 ${b.p99.toFixed(0)} ms; target median <= 150 ms` },
    { name: 'faultline diagnose minus node -e 0 (medians)', value: b.median - a.median, unit: 'ms' },
  ];
}
