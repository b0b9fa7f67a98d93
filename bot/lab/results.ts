import type { Diagnosis } from '../triage/types.js';

/** The lab's worlds: Debian 12 on the machine (the 1.x line), a Debian 13 chroot (the 2.x line). */
export const WORLDS = ['bookworm', 'trixie'] as const;
export type WorldName = (typeof WORLDS)[number];

/** The exit code a program uses for "this world cannot run this case" (labkit.NotApplicable). */
export const NOT_APPLICABLE_EXIT = 77;

export type ScenarioStatusName = 'reproduced' | 'not-reproduced' | 'not-applicable';
export type FixStatusName = 'verified' | 'fails' | 'not-applicable';

export interface LabStatus {
  status: ScenarioStatusName | FixStatusName;
  detail?: string;
  measured?: Record<string, number>;
}
export interface ScenarioResult extends LabStatus {
  fixes: Record<string, LabStatus>;
}
export interface WorldResult {
  versions: Record<string, string>;
  scenarios: Record<string, ScenarioResult>;
}
export type FaultResults = Partial<Record<WorldName, WorldResult>>;

/** What one run of `python3 <program> <scenario> [--fix X]` did. */
export interface RunOutcome {
  /** Exit code, or null when the run was killed (timeout). */
  code: number | null;
  timedOut: boolean;
  /** stdout and stderr in the order written, already normalised (see normalise.ts). */
  output: string;
  seconds: number;
}

const DETAIL_MAX = 300;

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > DETAIL_MAX ? `${one.slice(0, DETAIL_MAX - 3)}...` : one;
}

/** `LAB-MEASURE {"queries": 2}` lines, merged; non-numeric values are reported, not recorded. */
export function parseMeasures(output: string): { measured: Record<string, number>; problems: string[] } {
  const measured: Record<string, number> = {};
  const problems: string[] = [];
  for (const line of output.split('\n')) {
    const m = /^LAB-MEASURE (.{1,2000})$/.exec(line.trimEnd());
    if (!m) continue;
    let data: unknown;
    try {
      data = JSON.parse(m[1] as string);
    } catch {
      problems.push(`LAB-MEASURE line is not JSON: ${clip(m[1] as string)}`);
      continue;
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      problems.push('LAB-MEASURE needs a JSON object of figures');
      continue;
    }
    for (const [k, v] of Object.entries(data)) {
      if (typeof v === 'number' && Number.isFinite(v)) measured[k] = v;
      else problems.push(`LAB-MEASURE ${k} is not a number`);
    }
  }
  return { measured, problems };
}

/** The reason a program gave with labkit.NotApplicable. */
function notApplicableReason(output: string): string {
  const m = /^LAB-NOT-APPLICABLE (.{0,400})/m.exec(output);
  return clip(m?.[1] ?? 'the program said this world cannot run it');
}

/** The line that says what went wrong: the last exception line of a traceback, else the last line. */
export function errorLine(output: string): string {
  const lines = output.split('\n').map((l) => l.trimEnd()).filter((l) => l && !l.startsWith('LAB-'));
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i] as string;
    if (/^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Group|Timeout|Missing\w*|NotFound\w*)\b.*$/.test(l) || /^[a-z_][\w.]*\.[A-Z]\w*: /.test(l)) return clip(l);
  }
  return clip(lines[lines.length - 1] ?? '(no output)');
}

function withMeasured(status: LabStatus, output: string): LabStatus {
  const { measured } = parseMeasures(output);
  return Object.keys(measured).length ? { ...status, measured } : status;
}

function failedRun(run: RunOutcome, timeout: number): string | null {
  if (run.timedOut) return `timed out after ${timeout}s`;
  if (run.code === null) return 'killed';
  return null;
}

/**
 * A scenario is reproduced when the program failed and Faultline diagnoses its output as this
 * fault and the scenario's cause (the variant).
 */
export function scenarioStatus(run: RunOutcome, diagnosis: Diagnosis | null, faultId: string, cause: string | null, timeout: number): LabStatus {
  const killed = failedRun(run, timeout);
  if (killed) return { status: 'not-reproduced', detail: killed };
  if (run.code === NOT_APPLICABLE_EXIT) return withMeasured({ status: 'not-applicable', detail: notApplicableReason(run.output) }, run.output);
  if (run.code === 0) return withMeasured({ status: 'not-reproduced', detail: 'the program exited 0: it did not raise the error' }, run.output);
  const match = diagnosis?.match ?? null;
  if (!match) return { status: 'not-reproduced', detail: `Faultline did not diagnose the output (exit ${run.code}): ${errorLine(run.output)}` };
  if (match.id !== faultId) return { status: 'not-reproduced', detail: `diagnosed as ${match.id} (${match.variant}), not ${faultId}: ${errorLine(run.output)}` };
  if (match.variant !== cause) return { status: 'not-reproduced', detail: cause === null ? `diagnosed as cause ${match.variant}, which the output cannot tell` : `diagnosed as cause ${match.variant}, not ${cause}` };
  return withMeasured({ status: 'reproduced' }, run.output);
}

/** A fix is verified when the program with the fix applied exits 0. */
export function fixStatus(run: RunOutcome, timeout: number): LabStatus {
  const killed = failedRun(run, timeout);
  if (killed) return { status: 'fails', detail: killed };
  if (run.code === 0) return withMeasured({ status: 'verified' }, run.output);
  if (run.code === NOT_APPLICABLE_EXIT) return withMeasured({ status: 'not-applicable', detail: notApplicableReason(run.output) }, run.output);
  return withMeasured({ status: 'fails', detail: `exit ${run.code}: ${errorLine(run.output)}` }, run.output);
}

function sameFigures(a: Record<string, number> | undefined, b: Record<string, number> | undefined): string | null {
  const keys = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})]);
  const diffs: string[] = [];
  for (const k of [...keys].sort()) {
    const x = a?.[k];
    const y = b?.[k];
    if (x !== y) diffs.push(`${k} recorded ${x ?? 'nothing'}, now ${y ?? 'nothing'}`);
  }
  return diffs.length ? `measured ${diffs.join('; ')}` : null;
}

function compareStatus(where: string, recorded: LabStatus | undefined, fresh: LabStatus | undefined): string[] {
  if (!recorded && !fresh) return [];
  if (!recorded) return [`${where}: not recorded, now ${fresh?.status}`];
  if (!fresh) return [`${where}: recorded ${recorded.status}, no longer run`];
  const out: string[] = [];
  if (recorded.status !== fresh.status) out.push(`${where}: recorded ${recorded.status}, now ${fresh.status}${fresh.detail ? ` (${fresh.detail})` : ''}`);
  const figures = sameFigures(recorded.measured, fresh.measured);
  if (figures) out.push(`${where}: ${figures}`);
  return out;
}

/**
 * The release line a version belongs to: major.minor, or the major alone for PostgreSQL (10+
 * numbers point releases as 15.20, 15.21). Debian's point releases do not start a new line.
 */
function releaseLine(name: string, v: string | undefined): string {
  return v ? v.split('.').slice(0, name === 'postgresql' ? 1 : 2).join('.') : 'absent';
}

/** Versions that moved within their release line since the results were recorded. */
export function pointReleaseChanges(recorded: FaultResults | undefined, fresh: FaultResults): string[] {
  const out: string[] = [];
  for (const world of WORLDS) {
    const then = recorded?.[world]?.versions ?? {};
    const now = fresh[world]?.versions ?? {};
    for (const [k, v] of Object.entries(now)) {
      if (then[k] && then[k] !== v && releaseLine(k, then[k]) === releaseLine(k, v)) out.push(`${world}: ${k} ${then[k]} -> ${v}`);
    }
  }
  return out;
}

/**
 * Where a fresh run disagrees with what the fault file records: statuses, measured figures and
 * the world's release lines (SQLAlchemy 1.4, PostgreSQL 15: "verified on 1.4" must stay true; a
 * point release is only noted). Details (error text) are not compared: they are for people.
 * Only worlds present in `fresh` are compared.
 */
export function compareResults(recorded: FaultResults | undefined, fresh: FaultResults): string[] {
  const out: string[] = [];
  for (const world of WORLDS) {
    const now = fresh[world];
    if (!now) continue;
    const then = recorded?.[world];
    if (!then) {
      out.push(`${world}: no recorded results (run 'npm run lab -- --record')`);
      continue;
    }
    for (const k of [...new Set([...Object.keys(then.versions), ...Object.keys(now.versions)])].sort()) {
      if (releaseLine(k, then.versions[k]) !== releaseLine(k, now.versions[k])) out.push(`${world}: ${k} recorded ${then.versions[k] ?? 'absent'}, now ${now.versions[k] ?? 'absent'}`);
    }
    for (const id of [...new Set([...Object.keys(then.scenarios), ...Object.keys(now.scenarios)])].sort()) {
      const a = then.scenarios[id];
      const b = now.scenarios[id];
      out.push(...compareStatus(`${world} scenario ${id}`, a, b));
      if (!a || !b) continue;
      for (const fix of [...new Set([...Object.keys(a.fixes), ...Object.keys(b.fixes)])].sort()) {
        out.push(...compareStatus(`${world} scenario ${id} fix ${fix}`, a.fixes[fix], b.fixes[fix]));
      }
    }
  }
  return out;
}

/** Per-world counts for one fault. */
export interface WorldCounts {
  scenarios: number;
  reproduced: number;
  scenariosNotApplicable: number;
  verified: number;
  fails: number;
  notApplicable: number;
}

export function countWorld(result: WorldResult | undefined): WorldCounts | null {
  if (!result) return null;
  const c: WorldCounts = { scenarios: 0, reproduced: 0, scenariosNotApplicable: 0, verified: 0, fails: 0, notApplicable: 0 };
  for (const s of Object.values(result.scenarios)) {
    c.scenarios++;
    if (s.status === 'reproduced') c.reproduced++;
    if (s.status === 'not-applicable') c.scenariosNotApplicable++;
    for (const f of Object.values(s.fixes)) {
      if (f.status === 'verified') c.verified++;
      else if (f.status === 'fails') c.fails++;
      else c.notApplicable++;
    }
  }
  return c;
}

export interface FaultReport {
  id: string;
  file: string;
  /** ran: the lab ran its scenarios; unreproducible: the file says why not; none: no lab section. */
  lab: 'ran' | 'unreproducible' | 'none';
  unreproducible?: string;
  results: FaultResults;
  disagreements: string[];
  /** Problems with the program's output itself (bad LAB-MEASURE lines). */
  notes: string[];
}

export interface Totals {
  faults: number;
  withScenarios: number;
  unreproducible: number;
  withoutLab: number;
  /** Faults with at least one scenario reproduced in at least one world. */
  reproducedAnywhere: number;
  /** Distinct fixes (fault/fix[/form]) verified in at least one world. */
  fixesVerifiedAnywhere: number;
  fixesRun: number;
  worlds: Partial<Record<WorldName, { faultsReproduced: number; scenarios: number; reproduced: number; verified: number; fails: number; notApplicable: number; scenariosNotApplicable: number }>>;
  disagreements: number;
}

export function totals(reports: FaultReport[], worlds: readonly WorldName[]): Totals {
  const t: Totals = { faults: reports.length, withScenarios: 0, unreproducible: 0, withoutLab: 0, reproducedAnywhere: 0, fixesVerifiedAnywhere: 0, fixesRun: 0, worlds: {}, disagreements: 0 };
  for (const w of worlds) t.worlds[w] = { faultsReproduced: 0, scenarios: 0, reproduced: 0, verified: 0, fails: 0, notApplicable: 0, scenariosNotApplicable: 0 };
  for (const r of reports) {
    t.disagreements += r.disagreements.length;
    if (r.lab === 'unreproducible') t.unreproducible++;
    if (r.lab === 'none') t.withoutLab++;
    if (r.lab !== 'ran') continue;
    t.withScenarios++;
    let anywhere = false;
    const fixes = new Map<string, boolean>();
    for (const w of worlds) {
      const c = countWorld(r.results[w]);
      const tw = t.worlds[w];
      if (!c || !tw) continue;
      tw.scenarios += c.scenarios;
      tw.reproduced += c.reproduced;
      tw.scenariosNotApplicable += c.scenariosNotApplicable;
      tw.verified += c.verified;
      tw.fails += c.fails;
      tw.notApplicable += c.notApplicable;
      if (c.reproduced > 0) {
        tw.faultsReproduced++;
        anywhere = true;
      }
      for (const s of Object.values(r.results[w]?.scenarios ?? {})) {
        for (const [fix, st] of Object.entries(s.fixes)) fixes.set(fix, (fixes.get(fix) ?? false) || st.status === 'verified');
      }
    }
    if (anywhere) t.reproducedAnywhere++;
    t.fixesRun += fixes.size;
    t.fixesVerifiedAnywhere += [...fixes.values()].filter(Boolean).length;
  }
  return t;
}

function cell(c: WorldCounts | null, what: 'repro' | 'fixes'): string {
  if (!c) return '-';
  if (what === 'repro') return `${c.reproduced}/${c.scenarios}${c.scenariosNotApplicable ? ` (${c.scenariosNotApplicable} n.a.)` : ''}`;
  return `${c.verified}/${c.fails}/${c.notApplicable}`;
}

/** The table `npm run lab` prints: one row per fault, then the totals and what went wrong. */
export function formatTable(reports: FaultReport[], worlds: readonly WorldName[]): string {
  const header = ['fault', ...worlds.map((w) => `reproduced ${w}`), ...worlds.map((w) => `fixes ${w} ok/fail/n.a.`), 'agrees'];
  const rows = reports.map((r) => {
    if (r.lab !== 'ran') return [r.id, ...worlds.map(() => (r.lab === 'unreproducible' ? 'unreproducible' : 'no lab')), ...worlds.map(() => ''), r.disagreements.length ? 'NO' : 'yes'];
    return [r.id, ...worlds.map((w) => cell(countWorld(r.results[w]), 'repro')), ...worlds.map((w) => cell(countWorld(r.results[w]), 'fixes')), r.disagreements.length ? 'NO' : 'yes'];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  const t = totals(reports, worlds);
  out.push('');
  out.push(`Faults: ${t.faults}; with a lab program: ${t.withScenarios}; reproduced in at least one world: ${t.reproducedAnywhere}; unreproducible (the file says why): ${t.unreproducible}; no lab section: ${t.withoutLab}.`);
  for (const w of worlds) {
    const tw = t.worlds[w];
    if (!tw) continue;
    out.push(`${w}: ${tw.faultsReproduced} faults reproduced (${tw.reproduced}/${tw.scenarios} scenarios${tw.scenariosNotApplicable ? `, ${tw.scenariosNotApplicable} not applicable` : ''}); fixes ${tw.verified} verified, ${tw.fails} failed, ${tw.notApplicable} not applicable.`);
  }
  out.push(`Fixes run: ${t.fixesRun}; verified in at least one world: ${t.fixesVerifiedAnywhere}.`);
  const problems: string[] = [];
  for (const r of reports) {
    for (const w of worlds) {
      for (const [sid, s] of Object.entries(r.results[w]?.scenarios ?? {})) {
        if (s.status !== 'reproduced') problems.push(`  ${r.id} ${w} ${sid}: ${s.status}${s.detail ? `: ${s.detail}` : ''}`);
        for (const [fix, f] of Object.entries(s.fixes)) {
          if (f.status !== 'verified') problems.push(`  ${r.id} ${w} ${sid} --fix ${fix}: ${f.status}${f.detail ? `: ${f.detail}` : ''}`);
        }
      }
    }
    for (const n of r.notes) problems.push(`  ${r.id}: ${n}`);
  }
  if (problems.length) out.push('', 'Not reproduced, failed or not applicable:', ...problems);
  const disagreements = reports.flatMap((r) => r.disagreements.map((d) => `  ${r.id}: ${d}`));
  if (disagreements.length) out.push('', `Disagreements with the fault files (${disagreements.length}); run with --record to accept:`, ...disagreements);
  return out.join('\n');
}
