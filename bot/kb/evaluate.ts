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
  // A chat message quoting the error: must be diagnosed, but is not answered unasked.
  chat: z.boolean().optional(),
  // How the paste was adapted from its source (trimmed, anonymised), or why it is a near-miss.
  note: z.string().optional(),
});
/** `cause`: the variant the case must diagnose as (a fault example's `expect.cause`, a lab trace's scenario). */
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
      chat: e.chat,
      ...(e.expect.cause ? { cause: e.expect.cause } : {}),
    })),
  );
}

/** The lab's recorded traces as corpus cases: real output of real programs, with their cause. */
export function labTraceCases(traces: LabTrace[]): CorpusCase[] {
  return traces.map((t) => ({ text: t.text, expect: t.faultId, ...(t.cause ? { cause: t.cause } : {}), origin: t.origin }));
}

/** One confidence band of the calibration table: how often the top answer in it was right. */
export interface CalibrationBand {
  /** Inclusive lower and exclusive upper confidence (the top band includes 1.0). */
  from: number;
  to: number;
  /** Cases whose top candidate (the match, else the best alternative) fell in this band. */
  answers: number;
  /** Of those, cases where that candidate was the expected fault (never, for a negative). */
  correct: number;
  /** Matches that asserted a variant where the case says which one, and how many were wrong. */
  variantsAsserted: number;
  variantsWrong: number;
  /** Matches that left the variant open (listed the possible ones). */
  variantsOpen: number;
}

/** Bands: the reply threshold (0.80) is a boundary; above it, 5-point bands. */
export const CALIBRATION_BANDS: readonly [number, number][] = [[0.95, 1.0001], [0.9, 0.95], [0.85, 0.9], [0.8, 0.85], [0.6, 0.8], [0, 0.6]];

export interface EvalReport {
  positives: number;
  correct: number;
  negatives: number;
  falsePositives: number;
  namedCases: number;
  namesCorrect: number;
  misses: { origin: string; expected: string | null; got: string | null; confidence: number | null; detail?: string }[];
  calibration: CalibrationBand[];
  /**
   * The same counts per source of cases: each corpus file (one family's blind pastes and its
   * near-misses), the fault files' examples, the lab's traces. `falsePositives` here are wrong
   * answers on that source's negatives (near-misses of the family).
   */
  groups: Record<string, { positives: number; correct: number; negatives: number; falsePositives: number }>;
}

/** The source a case belongs to, for the per-source table: its corpus file, or examples / lab traces. */
export function caseGroup(origin: string): string {
  if (origin.includes(' examples[')) return 'fault examples';
  const file = /^([^:\s]+\.jsonl):\d+$/.exec(origin);
  return file ? (file[1] as string) : 'lab traces';
}

export const EVAL_TARGETS = { top1: 0.98, falsePositives: 0, names: 0.95 } as const;

export function evaluate(engine: Engine, cases: CorpusCase[]): EvalReport {
  const calibration = CALIBRATION_BANDS.map(([from, to]) => ({ from, to: Math.min(1, to), answers: 0, correct: 0, variantsAsserted: 0, variantsWrong: 0, variantsOpen: 0 }));
  const report: EvalReport = { positives: 0, correct: 0, negatives: 0, falsePositives: 0, namedCases: 0, namesCorrect: 0, misses: [], calibration, groups: {} };
  for (const c of cases) {
    const d = engine.diagnose(c.text);
    const got = d.match?.id ?? null;
    const key = caseGroup(c.origin);
    const group = (report.groups[key] ??= { positives: 0, correct: 0, negatives: 0, falsePositives: 0 });
    const top = d.match ?? d.alternatives[0] ?? null;
    if (top) {
      const band = calibration[CALIBRATION_BANDS.findIndex(([from, to]) => top.confidence >= from && top.confidence < to)];
      if (band) {
        band.answers++;
        if (c.expect !== null && top.id === c.expect) band.correct++;
        if (d.match && d.match.id === c.expect) {
          if (d.match.variant === null) band.variantsOpen++;
          else if (c.cause) {
            band.variantsAsserted++;
            if (d.match.variant !== c.cause) band.variantsWrong++;
          }
        }
      }
    }
    if (c.expect === null) {
      report.negatives++;
      group.negatives++;
      if (got !== null) {
        report.falsePositives++;
        group.falsePositives++;
        report.misses.push({ origin: c.origin, expected: null, got, confidence: d.match?.confidence ?? null });
      }
      continue;
    }
    report.positives++;
    group.positives++;
    const wrongCause = got === c.expect && c.cause !== undefined && d.match?.variant !== c.cause;
    if (got === c.expect && !wrongCause) {
      report.correct++;
      group.correct++;
    }
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
  lines.push('', 'Per source: top-1 on its positives, wrong answers on its negatives (near-misses)', formatGroups(r.groups));
  lines.push('', 'Calibration: how often the top answer was right, per confidence band', formatCalibration(r.calibration));
  if (r.misses.length) {
    lines.push('', 'Confusions and misses:');
    for (const m of r.misses) lines.push(`  ${m.origin}: expected ${m.expected ?? 'no match'}, got ${m.got ?? 'no match'}${m.confidence !== null ? ` (${m.confidence})` : ''}${m.detail ? `; ${m.detail}` : ''}`);
  }
  return lines.join('\n');
}

export function formatGroups(groups: EvalReport['groups']): string {
  const pct = (a: number, b: number): string => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
  const rows = [['source', 'top-1', 'positives', 'wrong on negatives', 'negatives']];
  for (const [name, g] of Object.entries(groups).sort(([a], [b]) => a.localeCompare(b))) {
    rows.push([name, pct(g.correct, g.positives), `${g.correct}/${g.positives}`, pct(g.falsePositives, g.negatives), `${g.falsePositives}/${g.negatives}`]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `  ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}`).join('\n');
}

export function formatCalibration(bands: readonly CalibrationBand[]): string {
  const rows = [['confidence', 'answers', 'correct', 'accuracy', 'variant asserted / wrong', 'variant open']];
  for (const b of bands) {
    const range = `${Math.round(b.from * 100)}-${Math.round(b.to * 100)}%${b.from === 0.8 ? ' (reply)' : ''}`;
    rows.push([range, String(b.answers), String(b.correct), b.answers ? `${((100 * b.correct) / b.answers).toFixed(1)}%` : 'n/a', `${b.variantsAsserted} / ${b.variantsWrong}`, String(b.variantsOpen)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `  ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}`).join('\n');
}

export function meetsTargets(r: EvalReport): boolean {
  return (r.positives === 0 || r.correct / r.positives >= EVAL_TARGETS.top1) && r.falsePositives <= EVAL_TARGETS.falsePositives && (r.namedCases === 0 || r.namesCorrect / r.namedCases >= EVAL_TARGETS.names);
}
