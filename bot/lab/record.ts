import { isDeepStrictEqual } from 'node:util';
import { Document, isMap, isScalar, parse, parseDocument, type Node, type Pair } from 'yaml';
import { WORLDS, type FaultResults, type LabStatus, type ScenarioResult, type WorldResult } from './results.js';

function orderedStatus(s: LabStatus): Record<string, unknown> {
  const out: Record<string, unknown> = { status: s.status };
  if (s.detail) out.detail = s.detail;
  if (s.measured && Object.keys(s.measured).length) out.measured = Object.fromEntries(Object.entries(s.measured).sort(([a], [b]) => a.localeCompare(b)));
  return out;
}

/** Results as plain data in a stable key order, so recording twice gives the same text. */
export function orderedResults(results: FaultResults): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const world of WORLDS) {
    const r: WorldResult | undefined = results[world];
    if (!r) continue;
    const scenarios: Record<string, unknown> = {};
    for (const [id, s] of Object.entries(r.scenarios)) {
      const entry = orderedStatus(s);
      const fixes = Object.entries((s as ScenarioResult).fixes ?? {});
      if (fixes.length) entry.fixes = Object.fromEntries(fixes.map(([fix, f]) => [fix, orderedStatus(f)]));
      scenarios[id] = entry;
    }
    out[world] = { versions: Object.fromEntries(Object.entries(r.versions).sort(([a], [b]) => a.localeCompare(b))), scenarios };
  }
  return out;
}

function lineStart(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1;
}

function indentBlock(text: string, indent: string): string {
  return text
    .split('\n')
    .map((l) => (l ? indent + l : l))
    .join('\n');
}

/**
 * Writes `lab.results` into a fault file's YAML and changes nothing else: the text outside the
 * results is kept byte for byte (comments, block scalars, quoting), by replacing only the span
 * of the existing `results:` entry, or inserting one after the last entry of `lab:`.
 * Throws when the file has no block-style `lab:` mapping.
 */
export function writeLabResults(source: string, results: FaultResults): string {
  const doc = parseDocument(source, { keepSourceTokens: true });
  if (doc.errors.length) throw new Error(`not valid YAML: ${doc.errors[0]?.message.split('\n')[0]}`);
  const lab = doc.get('lab', true) as Node | undefined;
  if (!lab || !isMap(lab) || lab.flow) throw new Error("the fault file needs a block-style 'lab:' mapping with scenarios before results can be recorded");
  const pairs = lab.items as Pair<Node, Node>[];
  const first = pairs[0];
  if (!first?.key?.range) throw new Error("'lab:' is empty");
  const indent = ' '.repeat(first.key.range[0] - lineStart(source, first.key.range[0]));
  const body = new Document({ results: orderedResults(results) }).toString({ lineWidth: 0, indent: 2, minContentWidth: 0 });
  const block = indentBlock(body, indent).replace(/^ +/, '');
  const existing = pairs.find((p) => isScalar(p.key) && p.key.value === 'results');
  let next: string;
  if (existing?.key?.range && existing.value?.range) {
    const start = existing.key.range[0];
    let end = existing.value.range[2];
    if (source[end - 1] !== '\n') {
      const nl = source.indexOf('\n', end);
      end = nl < 0 ? source.length : nl + 1;
    }
    next = source.slice(0, start) + block + source.slice(end);
  } else {
    const last = pairs[pairs.length - 1] as Pair<Node, Node>;
    let at = last.value?.range?.[2] ?? last.key.range?.[2] ?? source.length;
    if (source[at - 1] !== '\n') {
      const nl = source.indexOf('\n', at);
      at = nl < 0 ? source.length : nl + 1;
    }
    const before = source.slice(0, at);
    next = `${before}${before.endsWith('\n') ? '' : '\n'}${indent}${block}${source.slice(at)}`;
  }
  // The splice must mean exactly "the same file with these results": check it.
  const want = parse(source) as Record<string, Record<string, unknown>>;
  (want.lab as Record<string, unknown>).results = orderedResults(results);
  if (!isDeepStrictEqual(parse(next), want)) throw new Error('recording the results would change more than lab.results; the file layout is unusual (edit lab: by hand to a plain block mapping)');
  return next;
}

/** Recorded results merged with fresh ones: worlds that were not run keep what was recorded. */
export function mergeResults(recorded: FaultResults | undefined, fresh: FaultResults): FaultResults {
  const out: FaultResults = {};
  for (const w of WORLDS) {
    const r = fresh[w] ?? recorded?.[w];
    if (r) out[w] = r;
  }
  return out;
}
