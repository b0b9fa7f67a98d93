import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type BenchResult, quick, summarise } from './measure.js';

const root = join(import.meta.dirname, '..', '..');
// The `faultline` executable (package.json bin: the bundled CLI), and the ES modules it is built from.
const bin = join(root, (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: { faultline: string } }).bin.faultline);
const modules = join(root, 'dist', 'bot', 'cli', 'main.js');
const trace60 = join(root, 'tests', 'fixtures', 'bench-60-line-trace.txt');

/**
 * NODE_EXTRA_CA_CERTS (set machine-wide on some hosts, to a full CA bundle) makes every Node
 * start parse each certificate in it: on the machine of 2026-12-03 that was 410 million of the
 * 500 million instructions `node -e 0` ran. The runs below keep the environment as it is; when
 * the variable is set, the rotation runs once more without it, which is what the Docker image
 * (which does not set it) sees.
 */
const EXTRA_CA = 'NODE_EXTRA_CA_CERTS';

function environment(withoutExtraCa: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  if (withoutExtraCa) delete env[EXTRA_CA];
  return env;
}

function wall(args: string[], withoutExtraCa = false): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: environment(withoutExtraCa) });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString('utf8').slice(0, 300)}`);
  return ms;
}

/**
 * CPU time (user + system) of the same command, from bash's `times`: unlike wall time it hardly
 * moves when other processes share the cores, so it shows what Faultline costs on a busy machine.
 */
function cpu(args: string[]): number | null {
  const quoted = [process.execPath, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const r = spawnSync('bash', ['-c', `${quoted} >/dev/null 2>&1; times`], { encoding: 'utf8', env: environment(false) });
  const children = r.stdout?.trim().split('\n')[1];
  const parts = children?.match(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/);
  if (r.status !== 0 || !parts) return null;
  return (Number(parts[1]) * 60 + Number(parts[2]) + Number(parts[3]) * 60 + Number(parts[4])) * 1000;
}

/**
 * What a user waits for: `faultline diagnose` on a 60-line paste, a fresh process each time
 * (the built CLI, as `npx faultline` runs it), measured side by side with `node -e 0` so the
 * figure can be read on a loaded machine: runs alternate, and the difference is what
 * Faultline itself costs. The unbundled ES modules (dist/bot/cli/main.js) run in the same
 * rotation, for comparison.
 */
export default async function startupBench(): Promise<BenchResult[]> {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build first`);
  const n = quick() ? 8 : 40;
  wall([bin, 'diagnose', trace60]);
  const results: BenchResult[] = [];
  const rotations = process.env[EXTRA_CA] ? [false, true] : [false];
  for (const withoutExtraCa of rotations) {
    const label = withoutExtraCa ? `, without ${EXTRA_CA}` : process.env[EXTRA_CA] ? `, with ${EXTRA_CA} as set here` : '';
    const loadBefore = loadavg()[0] as number;
    const node: number[] = [];
    const diagnose: number[] = [];
    const esm: number[] = [];
    for (let i = 0; i < n; i++) {
      node.push(wall(['-e', '0'], withoutExtraCa));
      diagnose.push(wall([bin, 'diagnose', trace60], withoutExtraCa));
      esm.push(wall([modules, 'diagnose', trace60], withoutExtraCa));
    }
    const a = summarise(node);
    const b = summarise(diagnose);
    const e = summarise(esm);
    results.push(
      { name: `node -e 0, wall: median${label}`, value: a.median, unit: 'ms', note: `p99 ${a.p99.toFixed(0)} ms, n=${n}, load average ${loadBefore.toFixed(1)} -> ${(loadavg()[0] as number).toFixed(1)}` },
      { name: `faultline diagnose, 60-line trace, wall: median${label}`, value: b.median, unit: 'ms', note: `p99 ${b.p99.toFixed(0)} ms; target median <= 150 ms` },
      { name: `faultline diagnose minus node -e 0 (wall medians)${label}`, value: b.median - a.median, unit: 'ms' },
      { name: `the same from the ES modules (dist/bot/cli/main.js): median${label}`, value: e.median, unit: 'ms', note: `p99 ${e.p99.toFixed(0)} ms` },
    );
  }
  const cpuNode: number[] = [];
  const cpuDiagnose: number[] = [];
  for (let i = 0; i < Math.min(n, 20); i++) {
    const x = cpu(['-e', '0']);
    const y = cpu([bin, 'diagnose', trace60]);
    if (x !== null && y !== null) {
      cpuNode.push(x);
      cpuDiagnose.push(y);
    }
  }
  if (cpuNode.length) {
    const c = summarise(cpuNode);
    const d = summarise(cpuDiagnose);
    results.push(
      { name: 'node -e 0, CPU user+sys: median', value: c.median, unit: 'ms', note: `p99 ${c.p99.toFixed(0)} ms, 10 ms ticks` },
      { name: 'faultline diagnose, CPU user+sys: median', value: d.median, unit: 'ms', note: `p99 ${d.p99.toFixed(0)} ms` },
    );
  }
  results.push(...instructions());
  return results;
}

/**
 * Instructions executed, counted by valgrind's callgrind where it is installed: unlike time, the
 * count hardly moves with the machine's load (two runs agree within about 1%), so a change to
 * start-up can be judged on a busy machine. Counted without NODE_EXTRA_CA_CERTS, whose
 * certificate parsing would otherwise be most of both counts.
 */
function instructions(): BenchResult[] {
  const count = (args: string[]): number | null => {
    const r = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, ...args], { encoding: 'utf8', env: environment(true) });
    const m = r.status === 0 ? /Collected : (\d+)/.exec(r.stderr) : null;
    return m ? Number(m[1]) : null;
  };
  const node = count(['-e', '0']);
  const diagnose = node === null ? null : count([bin, 'diagnose', trace60]);
  if (node === null || diagnose === null) return [];
  return [
    { name: `node -e 0, instructions (callgrind, without ${EXTRA_CA})`, value: node / 1e6, unit: 'M' },
    { name: `faultline diagnose, instructions (callgrind, without ${EXTRA_CA})`, value: diagnose / 1e6, unit: 'M', note: `${((diagnose - node) / 1e6).toFixed(0)} M above node -e 0` },
  ];
}
