import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchResult } from './measure.js';

// Runs every tests/bench/*.bench.ts (or those named on the command line) and prints a table.
const dir = import.meta.dirname;
const only = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && (only.length === 0 || only.some((o) => f.startsWith(o)))).sort();

console.log(`Faultline benchmarks on ${process.platform}/${process.arch}, node ${process.version}, ${(await import('node:os')).cpus().length} cores${process.env.FAULTLINE_BENCH_QUICK === '1' ? ' (quick mode: figures are indicative only)' : ''}\n`);
let failed = false;
for (const file of files) {
  const started = Date.now();
  console.log(`== ${file}`);
  try {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default: () => Promise<BenchResult[]> };
    for (const r of await mod.default()) {
      const value = Number.isInteger(r.value) ? String(r.value) : r.value.toFixed(3);
      console.log(`  ${r.name.padEnd(62)} ${value.padStart(10)} ${r.unit}${r.note ? `  (${r.note})` : ''}`);
    }
  } catch (err) {
    failed = true;
    console.log(`  failed: ${(err as Error).stack ?? String(err)}`);
  }
  console.log(`  [${((Date.now() - started) / 1000).toFixed(1)} s]\n`);
}
process.exitCode = failed ? 1 : 0;
