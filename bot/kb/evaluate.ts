import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Engine } from '../triage/diagnose.js';
import type { Fault } from './compile.js';
import type { LabTrace } from './lab-traces.js';

const corpusLine = z.strictObject({
  text: z.string(),
  expect: z.string().nullable(),
  names: z.strictObject({ models: z.array(z.string()).optional(), attributes: z.array(z.string()).optional(), tables: z.array(z.string()).optional(), fields: z.array(z.string()).optional() }).optional(),
  source: z.string().optional(),
});
/** `cause`: the variant the case must also diagnose as (the lab's traces carry one). */
export type CorpusCase = z.infer<typeof corpusLine> & { origin: string; cause?: string };

/** Reads `*.jsonl` corpus files; a bad line is an error naming the file and line. */
export function readCorpus(dir: string): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    readFileSync(join(dir, file), 'utf8').split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      const parsed = corpusLine.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
      cases.push({ ...parsed.data, origin: `${file}:${i + 1}` });
    });
  }
  return cases;
}

/** Every fault's examples as corpus cases: they are the catalogue's own labelled positives. */
export function exampleCases(faults: Fault[]): CorpusCase[] {
  return faults.flatMap((f) =>
    f.examples.map((e, i) => ({
      text: e.input,
      expect: f.id,
      names: { models: e.expect.models, attributes: e.expect.attributes, tables: e.expect.tables, fields: e.expect.fields },
      origin: `${f.file} examples[${i}]`,
    })),
  );
}

/** The lab's recorded traces as corpus cases: real output of real programs, with their cause. */
export function labTraceCases(traces: LabTrace[]): CorpusCase[] {
  return traces.map((t) => ({ text: t.text, expect: t.faultId, ...(t.cause ? { cause: t.cause } : {}), origin: t.origin }));
}

export interface EvalReport {
  positives: number;
  correct: number;
  negatives: number;
  falsePositives: number;
  namedCases: number;
  namesCorrect: number;
  misses: { origin: string; expected: string | null; got: string | null; confidence: number | null; detail?: string }[];
}

export const EVAL_TARGETS = { top1: 0.98, falsePositives: 0, names: 0.95 } as const;

export function evaluate(engine: Engine, cases: CorpusCase[]): EvalReport {
  const report: EvalReport = { positives: 0, correct: 0, negatives: 0, falsePositives: 0, namedCases: 0, namesCorrect: 0, misses: [] };
  for (const c of cases) {
    const d = engine.diagnose(c.text);
    const got = d.match?.id ?? null;
    if (c.expect === null) {
      report.negatives++;
      if (got !== null) {
        report.falsePositives++;
        report.misses.push({ origin: c.origin, expected: null, got, confidence: d.match?.confidence ?? null });
      }
      continue;
    }
    report.positives++;
    const wrongCause = got === c.expect && c.cause !== undefined && d.match?.variant !== c.cause;
    if (got === c.expect && !wrongCause) report.correct++;
    else report.misses.push({ origin: c.origin, expected: c.expect, got, confidence: d.match?.confidence ?? d.alternatives[0]?.confidence ?? null, ...(wrongCause ? { detail: `cause ${d.match?.variant}, expected ${c.cause}` } : {}) });
    const names = c.names ?? {};
    const wanted = Object.entries(names).filter(([, v]) => v && v.length > 0) as [keyof typeof d.entities, string[]][];
    if (wanted.length > 0) {
      report.namedCases++;
      const lost = wanted.flatMap(([k, v]) => v.filter((x) => !(d.entities[k] as string[]).includes(x)).map((x) => `${k}:${x}`));
      if (lost.length === 0) report.namesCorrect++;
      else report.misses.push({ origin: c.origin, expected: c.expect, got, confidence: d.match?.confidence ?? null, detail: `names missing: ${lost.join(', ')}` });
    }
  }
  return report;
}

export function formatEval(r: EvalReport): string {
  const pct = (a: number, b: number): string => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
  const top1 = r.positives ? r.correct / r.positives : 1;
  const names = r.namedCases ? r.namesCorrect / r.namedCases : 1;
  const ok = (pass: boolean): string => (pass ? 'ok' : 'BELOW TARGET');
  const lines = [
    `top-1 accuracy on positives   ${pct(r.correct, r.positives).padStart(7)}  (${r.correct}/${r.positives})  target >= ${EVAL_TARGETS.top1 * 100}%  ${ok(top1 >= EVAL_TARGETS.top1)}`,
    `false positives on negatives  ${pct(r.falsePositives, r.negatives).padStart(7)}  (${r.falsePositives}/${r.negatives})  target ${EVAL_TARGETS.falsePositives}  ${ok(r.falsePositives <= EVAL_TARGETS.falsePositives)}`,
    `names extracted correctly     ${pct(r.namesCorrect, r.namedCases).padStart(7)}  (${r.namesCorrect}/${r.namedCases})  target >= ${EVAL_TARGETS.names * 100}%  ${ok(names >= EVAL_TARGETS.names)}`,
  ];
  if (r.misses.length) {
    lines.push('', 'Confusions and misses:');
    for (const m of r.misses) lines.push(`  ${m.origin}: expected ${m.expected ?? 'no match'}, got ${m.got ?? 'no match'}${m.confidence !== null ? ` (${m.confidence})` : ''}${m.detail ? `; ${m.detail}` : ''}`);
  }
  return lines.join('\n');
}

export function meetsTargets(r: EvalReport): boolean {
  return (r.positives === 0 || r.correct / r.positives >= EVAL_TARGETS.top1) && r.falsePositives <= EVAL_TARGETS.falsePositives && (r.namedCases === 0 || r.namesCorrect / r.namedCases >= EVAL_TARGETS.names);
}
