import type { CorpusCase } from '../../bot/kb/evaluate.js';
import { worthDiagnosing } from '../../bot/listeners/thread-reply.js';
import type { Engine } from '../../bot/triage/diagnose.js';
import { type Wrapper, wrap } from './wrappers.js';

/**
 * The wrapper sweep: every blind-corpus positive that is output (not `chat`) and diagnosed right
 * bare, and every near-miss left unanswered bare, diagnosed again inside each wrapper.
 */
export interface WrapperTally {
  id: string;
  /** Positives the wrapper applied to. */
  positives: number;
  /** Same fault inside the wrapper. */
  kept: number;
  /** No answer inside the wrapper. */
  lost: string[];
  /** Another fault inside the wrapper. */
  wrong: string[];
  /** Positives answered unasked bare. */
  unasked: number;
  /** ... and still answered unasked (same fault) inside the wrapper. */
  unaskedKept: number;
  unaskedLost: string[];
  nearMisses: number;
  /** Near-misses answered inside the wrapper. */
  nearAnswered: string[];
}

export interface SweepCase {
  origin: string;
  text: string;
  expect: string | null;
  unasked: boolean;
}

/** The cases the sweep reads: right bare (positives) or unanswered bare (near-misses). */
export function sweepCases(engine: Engine, corpus: readonly CorpusCase[]): SweepCase[] {
  const out: SweepCase[] = [];
  for (const c of corpus) {
    if (c.chat) continue;
    const d = engine.diagnose(c.text, { fingerprint: false });
    const id = d.match?.id ?? null;
    if (c.expect !== null && id === c.expect) out.push({ origin: c.origin, text: c.text, expect: c.expect, unasked: worthDiagnosing(d, false) });
    if (c.expect === null && id === null) out.push({ origin: c.origin, text: c.text, expect: null, unasked: false });
  }
  return out;
}

export function sweep(engine: Engine, cases: readonly SweepCase[], wrappers: readonly Wrapper[]): WrapperTally[] {
  return wrappers.map((w) => {
    const t: WrapperTally = { id: w.id, positives: 0, kept: 0, lost: [], wrong: [], unasked: 0, unaskedKept: 0, unaskedLost: [], nearMisses: 0, nearAnswered: [] };
    for (const c of cases) {
      const text = wrap(w, c.text);
      if (text === null) continue;
      const d = engine.diagnose(text, { fingerprint: false });
      const id = d.match?.id ?? null;
      if (c.expect === null) {
        t.nearMisses++;
        if (id !== null) t.nearAnswered.push(`${c.origin} -> ${id}`);
        continue;
      }
      t.positives++;
      if (id === c.expect) t.kept++;
      else if (id === null) t.lost.push(c.origin);
      else t.wrong.push(`${c.origin} -> ${id}`);
      if (c.unasked) {
        t.unasked++;
        if (id === c.expect && worthDiagnosing(d, false)) t.unaskedKept++;
        else t.unaskedLost.push(c.origin);
      }
    }
    return t;
  });
}

const pct = (n: number, d: number): string => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);

export function formatTable(tallies: readonly WrapperTally[]): string {
  const rows = tallies.map((t) => `| ${t.id} | ${t.kept}/${t.positives} (${pct(t.kept, t.positives)}) | ${t.unaskedKept}/${t.unasked} (${pct(t.unaskedKept, t.unasked)}) | ${t.wrong.length} | ${t.nearAnswered.length}/${t.nearMisses} |`);
  return ['| wrapper | answers kept | unasked replies kept | wrong fault | near-misses newly answered |', '|---|---|---|---|---|', ...rows].join('\n');
}
