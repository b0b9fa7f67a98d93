import type { Fault } from '../kb/compile.js';
import type { FixSpec, LabSpec } from '../kb/schema.js';
import type { Facts, Lang } from './types.js';

/** How the lab's worlds are named to users. */
const WORLD_SYSTEM: Record<string, string> = { bookworm: 'Debian 12', trixie: 'Debian 13' };

/** Display names of the libraries the lab records versions of. */
const LIBRARY_NAME: Record<string, string> = {
  sqlalchemy: 'SQLAlchemy',
  pydantic: 'pydantic',
  asyncpg: 'asyncpg',
  psycopg: 'psycopg',
  psycopg2: 'psycopg2',
  fastapi: 'FastAPI',
  alembic: 'Alembic',
  'pytest-asyncio': 'pytest-asyncio',
  postgresql: 'PostgreSQL',
  pgbouncer: 'PgBouncer',
  python: 'Python',
};

/** The version the lab records for a fault's library (`postgres` faults are about the server). */
const LIBRARY_VERSION_KEY: Record<string, string> = { postgres: 'postgresql', asyncio: 'python', python: 'python' };

export type RequirementVerdict = 'ok' | 'unknown' | 'no';

function versionParts(v: string): number[] {
  return v.split('.').map((p) => Number.parseInt(p, 10) || 0);
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Checks a requirement ('>=2.0.13', '>=1.4,<2.0') against the version the paste shows. A paste
 * usually shows only major.minor, so `>=2.0.13` against `2.0` is "cannot tell" rather than a yes.
 */
export function checkRequirement(requirement: string, shown: string | undefined): RequirementVerdict {
  if (!shown) return 'unknown';
  const verdicts = requirement.split(',').map((p) => checkComparison(p.trim(), shown));
  return verdicts.includes('no') ? 'no' : verdicts.includes('unknown') ? 'unknown' : 'ok';
}

interface Comparison { op: string; want: number[] }

/** Requirements come from the fault files, so each is parsed once, not once per paste. */
const comparisons = new Map<string, Comparison | null>();

function parseComparison(requirement: string): Comparison | null {
  let c = comparisons.get(requirement);
  if (c === undefined) {
    const m = /^(>=|<=|>|<)\s*(.+)$/.exec(requirement);
    c = m ? { op: m[1] as string, want: versionParts(m[2] ?? '') } : null;
    comparisons.set(requirement, c);
  }
  return c;
}

function checkComparison(requirement: string, shown: string): RequirementVerdict {
  const c = parseComparison(requirement);
  if (!c) return 'unknown';
  const { want } = c;
  const have = versionParts(shown);
  const prefix = want.slice(0, have.length);
  const cmp = compareVersions(have, prefix);
  const exactBeyond = want.length > have.length && want.slice(have.length).some((n) => n > 0);
  switch (c.op) {
    case '>=': return cmp > 0 ? 'ok' : cmp < 0 ? 'no' : exactBeyond ? 'unknown' : 'ok';
    case '>': return cmp > 0 ? 'ok' : cmp < 0 ? 'no' : 'unknown';
    case '<': return cmp < 0 ? 'ok' : cmp > 0 ? 'no' : exactBeyond ? 'unknown' : 'no';
    case '<=': return cmp < 0 ? 'ok' : cmp > 0 ? 'no' : 'unknown';
    default: return 'unknown';
  }
}

/** A full version ('1.4.46') against a requirement: the lab knows exact versions. */
export function versionSatisfies(requirement: string, version: string): boolean {
  return checkRequirement(requirement, version) === 'ok';
}

function requiresVerdict(requires: Record<string, string> | undefined, facts: Facts): RequirementVerdict {
  let verdict: RequirementVerdict = 'ok';
  for (const [lib, req] of Object.entries(requires ?? {})) {
    const v = checkRequirement(req, facts[lib]);
    if (v === 'no') return 'no';
    if (v === 'unknown') verdict = 'unknown';
  }
  return verdict;
}

export function describeRequires(requires: Record<string, string> | undefined): string {
  return Object.entries(requires ?? {}).map(([lib, req]) => `${LIBRARY_NAME[lib] ?? lib} ${req.replace(/,/g, ', ')}`).join(', ');
}

/** One spelling of a fix: the main one (`id` null) or one of its `forms`. */
export interface FixFormChoice {
  id: string | null;
  /** The key the lab records it under: `fix-id` or `fix-id/form-id`. */
  key: string;
  snippet: string;
  requires: Record<string, string> | undefined;
  verdict: RequirementVerdict;
}

/**
 * Which spelling of a fix to show for the versions the paste shows: the first that fits; when the
 * paste does not tell, every spelling that may fit (the caller labels them); when none fits, the
 * main one, marked unavailable.
 */
export function chooseForms(fix: FixSpec, facts: Facts): { shown: FixFormChoice[]; available: boolean } {
  const all: FixFormChoice[] = [
    { id: null, key: fix.id, snippet: fix.snippet, requires: fix.requires, verdict: requiresVerdict(fix.requires, facts) },
    ...fix.forms.map((f) => ({ id: f.id, key: `${fix.id}/${f.id}`, snippet: f.snippet, requires: f.requires, verdict: requiresVerdict(f.requires, facts) })),
  ];
  const fitting = all.filter((f) => f.verdict === 'ok');
  if (fitting.length) return { shown: [fitting[0] as FixFormChoice], available: true };
  const possible = all.filter((f) => f.verdict === 'unknown');
  if (possible.length) return { shown: possible, available: true };
  return { shown: [all[0] as FixFormChoice], available: false };
}

export interface Verification {
  /** "SQLAlchemy 1.4.46 (Debian 12), 2.0.40 (Debian 13)"; null when the lab never saw it pass. */
  verifiedOn: string | null;
  /** Why it is not verified, in the user's language; null when it is. */
  notVerified: string | null;
  /** Figures the lab measured for it (queries, connections), from the first world that has them. */
  measured: Record<string, number> | null;
}

function libraryKeyFor(fault: Fault, requires: Record<string, string> | undefined, versions: Record<string, string>): string {
  for (const lib of Object.keys(requires ?? {})) if (versions[lib]) return lib;
  const own = LIBRARY_VERSION_KEY[fault.library] ?? fault.library;
  return versions[own] ? own : 'python';
}

const NOT_VERIFIED = {
  notRun: { en: 'the lab has not run this fault yet', ja: 'この障害はまだラボで実行されていません' },
  unreproducible: { en: 'the lab cannot reproduce this fault: ', ja: 'ラボではこの障害を再現できません: ' },
  noScenario: { en: 'no lab scenario runs this fix', ja: 'この修正を実行するラボのシナリオがありません' },
  failed: { en: 'it failed in the lab: ', ja: 'ラボで失敗しました: ' },
  skipped: { en: 'the lab could not run it: ', ja: 'ラボで実行できませんでした: ' },
} as const;

const USES_SQLALCHEMY = /\bsqlalchemy\b|\bcreate_(?:async_)?engine\(|\bAsyncSession\b|\bsessionmaker\(/;

/**
 * What the lab showed depends only on the fault file, never on the paste: worked out once per
 * spelling and language, then reused (the engine's faults are immutable once compiled).
 */
const verifications = new WeakMap<FixSpec, Map<string, Verification>>();

/** What the lab showed for one spelling of a fix, from the results recorded in the fault file. */
export function verificationOf(fault: Fault, fix: FixSpec, form: FixFormChoice, lang: Lang): Verification {
  let byForm = verifications.get(fix);
  if (!byForm) verifications.set(fix, (byForm = new Map()));
  const key = `${form.key}\u0000${lang}`;
  let v = byForm.get(key);
  if (!v) byForm.set(key, (v = workOutVerification(fault, fix, form, lang)));
  return { ...v };
}

function workOutVerification(fault: Fault, fix: FixSpec, form: FixFormChoice, lang: Lang): Verification {
  const lab: LabSpec | null = fault.lab;
  if (fix.unverified) return { verifiedOn: null, notVerified: fix.unverified[lang], measured: null };
  if (!lab?.results) {
    const reason = lab?.unreproducible ? `${NOT_VERIFIED.unreproducible[lang]}${lab.unreproducible[lang]}` : NOT_VERIFIED.notRun[lang];
    return { verifiedOn: null, notVerified: reason, measured: null };
  }
  const passed: string[] = [];
  let measured: Record<string, number> | null = null;
  let failure: string | null = null;
  let library: string | null = null;
  let skipped: string | null = null;
  for (const [world, result] of Object.entries(lab.results)) {
    // A failure where the spelling's own `requires` rules it out is the gate working, not news.
    const admitted = Object.entries(form.requires ?? {}).every(([lib, req]) => !result.versions[lib] || versionSatisfies(req, result.versions[lib] as string));
    let ok = false;
    for (const scenario of Object.values(result.scenarios)) {
      const r = scenario.fixes[form.key];
      if (r?.status === 'verified') {
        ok = true;
        measured ??= r.measured ?? null;
      } else if (r?.status === 'fails' && admitted) failure ??= r.detail ?? 'failed';
      else if (r?.status === 'not-applicable' && admitted) skipped ??= r.detail ?? null;
    }
    if (!ok) continue;
    library ??= libraryKeyFor(fault, form.requires, result.versions);
    const version = result.versions[library];
    if (!version) continue;
    // A driver's or a server's fault fixed through SQLAlchemy: its line matters as much.
    const alongside = library !== 'sqlalchemy' && USES_SQLALCHEMY.test(form.snippet) ? result.versions.sqlalchemy : undefined;
    const name = LIBRARY_NAME[library] ?? library;
    passed.push(alongside ? `${name} ${version} + SQLAlchemy ${alongside} (${WORLD_SYSTEM[world] ?? world})` : `${passed.length ? '' : `${name} `}${version} (${WORLD_SYSTEM[world] ?? world})`);
  }
  if (passed.length) return { verifiedOn: passed.join(', '), notVerified: null, measured };
  const reason = failure ? `${NOT_VERIFIED.failed[lang]}${failure}` : skipped ? `${NOT_VERIFIED.skipped[lang]}${skipped}` : NOT_VERIFIED.noScenario[lang];
  return { verifiedOn: null, notVerified: reason, measured: null };
}
