import { createRequire } from 'node:module';
import type { Engine } from '../triage/diagnose.js';
import type { Diagnosis } from '../triage/types.js';
import { placeholdersIn, type Fault } from './compile.js';
import { roleOf } from '../triage/names/roles.js';
import { labProblems } from './lab-check.js';
import { formatProblem, type KnowledgeProblem } from './load.js';
import { structuralProblems } from './regex-safety.js';

export interface CheckFailure {
  faultId: string;
  file: string;
  what: string;
}

export interface CheckReport {
  faults: number;
  examples: number;
  counterexamples: number;
  regexes: number;
  failures: CheckFailure[];
  /** Faults below CATALOGUE_BAR (a failure only with `bar`). */
  belowBar: string[];
}

/** Extra per-example checks plugged in by other layers (e.g. the Slack renderer's size limits). */
export type ExampleCheck = (fault: Fault, diagnosis: Diagnosis) => string[];

function missing(expected: string[] | undefined, actual: string[]): string[] {
  return (expected ?? []).filter((x) => !actual.includes(x));
}

/** Verifies that one example diagnoses as its fault with the names it promises. */
export function checkExample(fault: Fault, expect: Fault['examples'][number]['expect'], d: Diagnosis): string[] {
  const problems: string[] = [];
  if (d.match?.id !== fault.id) {
    const got = d.match ? `${d.match.id} (${d.match.confidence})` : `no match${d.alternatives[0] ? `; best candidate ${d.alternatives[0].id} at ${d.alternatives[0].confidence}` : ''}`;
    problems.push(`expected ${fault.id}, got ${got}`);
    return problems;
  }
  if (expect.cause && d.match.variant !== expect.cause) problems.push(`expected cause ${expect.cause}, got ${d.match.variant}`);
  if (expect.method && d.match.method !== expect.method) problems.push(`expected method ${expect.method}, got ${d.match.method}`);
  const e = d.entities;
  const checks: [string, string[] | undefined, string[]][] = [
    ['models', expect.models, e.models],
    ['attributes', expect.attributes, e.attributes],
    ['tables', expect.tables, e.tables],
    ['fields', expect.fields, e.fields],
  ];
  for (const [name, want, have] of checks) {
    const lost = missing(want, have);
    if (lost.length) problems.push(`${name}: expected ${lost.join(', ')} among [${have.join(', ')}]`);
  }
  for (const [k, v] of Object.entries(expect.captures ?? {})) {
    if (e.captures[k] !== v) problems.push(`capture ${k}: expected '${v}', got '${e.captures[k] ?? ''}'`);
  }
  if (expect.snippet && !d.fixes.some((f) => [f.snippet, ...f.otherForms.map((o) => o.snippet)].some((s) => s.includes(expect.snippet as string)))) {
    problems.push(`no fix snippet contains '${expect.snippet}'`);
  }
  return problems;
}

/** Names a fault's own regexes capture (signatures and clues): they need no role. */
function capturedNames(fault: Fault): Set<string> {
  const names = new Set<string>();
  for (const { source } of fault.regexSources) for (const m of source.matchAll(/\(\?<([A-Za-z_]\w*)>/g)) names.add(m[1] as string);
  return names;
}

/**
 * A snippet may ask for a role only if the fault can fill it: one of its examples, diagnosed,
 * fills the role; or its own regex captures the name; or it declares the name under
 * `placeholders` with a fallback (knowledge/README.md, "Placeholders and roles").
 */
export function unfillableRoles(fault: Fault, filled: ReadonlySet<string>): string[] {
  const captured = capturedNames(fault);
  const problems: string[] = [];
  fault.fixes.forEach((fix, i) => {
    const seen = new Set<string>();
    for (const text of [fix.snippet, ...fix.forms.map((f) => f.snippet)]) {
      for (const name of placeholdersIn(text)) {
        if (seen.has(name)) continue;
        seen.add(name);
        const role = roleOf(name);
        if (!role || captured.has(name) || name in fault.placeholders || filled.has(role)) continue;
        problems.push(`fixes[${i}].snippet: {{${name}}} asks for the role '${role}', which no example of this fault fills: add an example whose paste shows it, capture it in a signature, or declare '${name}' under placeholders with a fallback`);
      }
    }
  });
  return problems;
}

const deepVerdicts = new Map<string, string>();

/** Thrown when `--deep` runs where recheck (a dev dependency) is not installed. */
export class RecheckMissingError extends Error {
  override name = 'RecheckMissingError';
}

/**
 * recheck is a devDependency (it bundles a large checker) and only `--deep` uses it, so it is
 * required here, on first use: the production image prunes it and must still start.
 */
export function loadRecheck(): typeof import('recheck') {
  try {
    return createRequire(import.meta.url)('recheck') as typeof import('recheck');
  } catch {
    throw new RecheckMissingError("knowledge check --deep needs recheck, a dev dependency: run it from a checkout after 'npm ci' (not from a production install).");
  }
}

/**
 * recheck's exact analysis: seconds per pattern, so it runs only with `knowledge check --deep`;
 * verdicts are memoised per pattern for the process. The automaton checker decides first: it is
 * exact. recheck's default would hand every pattern with a repeat bound above 30 (`[^\n]{0,300}`)
 * to its fuzzer, whose verdict on the same pattern changed between runs (safe, polynomial,
 * polynomial); the fuzzer is kept for what the automaton cannot analyse (some lookarounds, a
 * timeout).
 */
export function deepRegexProblem(source: string): string | null {
  const cached = deepVerdicts.get(source);
  if (cached !== undefined) return cached || null;
  const [pattern, flags] = source.startsWith('(?i)') ? [source.slice(4), 'i'] : [source, ''];
  const recheck = loadRecheck();
  let verdict = '';
  try {
    const exact = recheck.checkSync(pattern, flags, { timeout: 20_000, checker: 'automaton' });
    const result = exact.status === 'unknown' ? recheck.checkSync(pattern, flags, { timeout: 20_000 }) : exact;
    if (result.status === 'vulnerable') verdict = `backtracks ${result.complexity.type === 'exponential' ? 'exponentially' : 'polynomially'}${result.attack ? ` (e.g. on '${result.attack.pattern}')` : ''}; bound the repeats`;
    else if (result.status === 'unknown') verdict = `could not be proven safe (${result.error?.kind ?? 'unknown'}); simplify it`;
  } catch (err) {
    verdict = `could not be analysed: ${(err as Error).message}`;
  }
  deepVerdicts.set(source, verdict);
  return verdict || null;
}

/** What every fault must have (issue 14): real examples with their source, and a near-miss it must not match. */
export const CATALOGUE_BAR = { sourcedExamples: 3, counterexamples: 1 } as const;

export function checkKnowledge(engine: Engine, faults: Fault[], problems: KnowledgeProblem[], options: { only?: string; extra?: ExampleCheck[]; deep?: boolean; labStrict?: boolean; bar?: boolean } = {}): CheckReport {
  const report: CheckReport = { faults: 0, examples: 0, counterexamples: 0, regexes: 0, failures: [], belowBar: [] };
  for (const p of problems) {
    if (!options.only || p.file.includes(options.only.replace('.', '/'))) report.failures.push({ faultId: '', file: p.file, what: formatProblem(p) });
  }
  for (const fault of faults) {
    if (options.only && fault.id !== options.only) continue;
    report.faults++;
    const fail = (what: string): void => { report.failures.push({ faultId: fault.id, file: fault.file, what }); };
    for (const { field, source } of fault.regexSources) {
      report.regexes++;
      for (const problem of structuralProblems(source)) fail(`${field}: regex ${problem}`);
      const deep = options.deep ? deepRegexProblem(source) : null;
      if (deep) fail(`${field}: regex ${deep}`);
    }
    for (const problem of labProblems(fault, { strict: options.labStrict })) fail(problem);
    const sourced = fault.examples.filter((e) => e.source !== undefined).length;
    if (sourced < CATALOGUE_BAR.sourcedExamples || fault.counterexamples.length < CATALOGUE_BAR.counterexamples) {
      report.belowBar.push(fault.id);
      if (options.bar) fail(`below the catalogue bar: ${sourced} example(s) with a real-world source (need ${CATALOGUE_BAR.sourcedExamples}), ${fault.counterexamples.length} counterexample(s) (need ${CATALOGUE_BAR.counterexamples})`);
    }
    const filled = new Set<string>();
    fault.examples.forEach((ex, i) => {
      report.examples++;
      for (const lang of ['en', 'ja'] as const) {
        const d = engine.diagnose(ex.input, { lang });
        if (lang === 'en' && d.match?.id === fault.id) for (const n of d.entities.names) filled.add(n.role);
        const issues = lang === 'en' ? checkExample(fault, ex.expect, d) : [];
        if (lang === 'en' && d.match?.id === fault.id && d.errorOutput === ex.chat) {
          issues.push(ex.chat ? 'marked chat but reads as error output (it would be answered unasked)' : 'does not read as error output, so it would not be answered unasked; mark it `chat: true` if it is a chat message quoting the error');
        }
        for (const check of options.extra ?? []) issues.push(...check(fault, d));
        for (const issue of issues) fail(`examples[${i}] "${ex.name}" (${lang}): ${issue}`);
        if (lang === 'en' && issues.some((x) => x.startsWith('expected '))) break;
      }
    });
    for (const problem of unfillableRoles(fault, filled)) fail(problem);
    fault.counterexamples.forEach((cx, i) => {
      report.counterexamples++;
      const d = engine.diagnose(cx.input);
      if (d.match?.id === fault.id) fail(`counterexamples[${i}] "${cx.name}": matched ${fault.id} at ${d.match.confidence} (${d.match.method}) but must not`);
    });
  }
  return report;
}
