/**
 * `npm run sweep [-- --only <wrapper>] [--details]`: diagnoses the blind corpora inside every
 * wrapper of tests/sweep/wrappers.ts and prints one row per wrapper (Markdown), then, with
 * --details, every paste a wrapper lost or turned into another fault.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readCorpus } from '../../bot/kb/evaluate.js';
import { loadEngine } from '../../bot/kb/engine.js';
import { packageRoot } from '../../bot/kb/load.js';
import { formatTable, sweep, sweepCases } from './sweep.js';
import { WRAPPERS } from './wrappers.js';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const details = args.includes('--details');

const dir = join(packageRoot(), 'tests', 'corpus');
const corpus = readCorpus(dir).filter((c) => c.origin.startsWith('blind-'));
const { engine } = loadEngine();
const started = performance.now();
const cases = sweepCases(engine, corpus);
const wrappers = only ? WRAPPERS.filter((w) => w.id === only) : WRAPPERS;
const tallies = sweep(engine, cases, wrappers);
const files = readdirSync(dir).filter((f) => f.startsWith('blind-')).length;
console.log(`${cases.filter((c) => c.expect).length} positives right bare (output, not chat) and ${cases.filter((c) => !c.expect).length} near-misses unanswered bare, from ${files} blind corpus files; ${wrappers.length} wrappers; ${Math.round(performance.now() - started)} ms\n`);
console.log(formatTable(tallies));
if (details) {
  for (const t of tallies) {
    if (t.lost.length + t.wrong.length + t.nearAnswered.length + t.unaskedLost.length === 0) continue;
    console.log(`\n${t.id}:`);
    for (const x of t.wrong) console.log(`  WRONG ${x}`);
    for (const x of t.nearAnswered) console.log(`  NEAR-MISS ANSWERED ${x}`);
    for (const x of t.lost) console.log(`  lost ${x}`);
    for (const x of t.unaskedLost.filter((o) => !t.lost.includes(o) && !t.wrong.some((w) => w.startsWith(`${o} `)))) console.log(`  unasked lost ${x}`);
  }
}
