import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ROLE_NAMES, type Role } from '../triage/names/roles.js';
import type { Engine } from '../triage/diagnose.js';

/** Where a person reads a name off a paste: the places of the issue, one extractor each. */
export const NAME_PLACES = ['message', 'code', 'sql', 'pydantic', 'mapper', 'path', 'python'] as const;

const nameLabel = z.strictObject({ role: z.enum(ROLE_NAMES), name: z.string().min(1), from: z.enum(NAME_PLACES) });
const pasteCase = z.strictObject({
  source: z.url({ protocol: /^https$/ }),
  adapted: z.string().min(1),
  text: z.string().min(1),
  names: z.array(nameLabel).min(1),
});
export type NamesCase = z.infer<typeof pasteCase> & { origin: string; file: string };

/** Reads one file of real pastes labelled with the names a person reads off them (tests/corpus/names/). */
export function readNamesCorpus(file: string): NamesCase[] {
  if (!statSync(file, { throwIfNoEntry: false })?.isFile()) return [];
  const data = parse(readFileSync(file, 'utf8')) as unknown;
  const list = z.array(z.unknown()).parse(data);
  return list.map((item, i) => {
    const parsed = pasteCase.safeParse(item);
    if (!parsed.success) throw new Error(`${file}: entry ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    return { ...parsed.data, origin: parsed.data.source, file: basename(file) };
  });
}

/** Every `*.yaml` of a names corpus folder: the pastes the extractors were built on, and the held-out ones. */
export function readNamesCorpusDir(dir: string): NamesCase[] {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().flatMap((f) => readNamesCorpus(join(dir, f)));
}

interface Tally { pastes: number; pastesAllFound: number; names: number; found: number; wrongRole: number }
const tally = (): Tally => ({ pastes: 0, pastesAllFound: 0, names: 0, found: 0, wrongRole: 0 });

export interface NamesReport extends Tally {
  /** Per place a name was read from (message, code, sql, ...): names found and wrong-role assignments. */
  byPlace: Record<string, Tally>;
  /** Per kind of thread (GitHub issue or pull request, other pages). */
  bySite: Record<string, Tally>;
  /** Per corpus file: the pastes the extractors were developed on, and those held out. */
  byFile: Record<string, Tally>;
  byRole: Record<string, Tally>;
  /** Names the answer presented as found (not a guess) that a person does not read off the paste in that role. */
  presentedGuesses: number;
  misses: { origin: string; role: Role; expected: string; got: string | null; gotRole?: string }[];
}

export const NAMES_TARGETS = { found: 0.95, wrongRole: 0.02 } as const;

function siteOf(url: string): string {
  return /^https:\/\/github\.com\/[^/]+\/[^/]+\/(?:issues|pull)\//.test(url) ? 'github issues' : 'other pages';
}

/**
 * A name is found when the answer's name for its role is exactly the label. It is a wrong-role
 * assignment when the answer puts the labelled name in another role the label does not give it
 * (the related class named as the model). A paste counts as found when all its names are.
 */
export function evaluateNames(engine: Engine, cases: NamesCase[]): NamesReport {
  const report: NamesReport = { ...tally(), byPlace: {}, bySite: {}, byFile: {}, byRole: {}, presentedGuesses: 0, misses: [] };
  const bucket = (map: Record<string, Tally>, key: string): Tally => (map[key] ??= tally());
  for (const c of cases) {
    const d = engine.diagnose(c.text);
    const names = new Map(d.entities.names.map((n) => [n.role as string, n]));
    const site = bucket(report.bySite, siteOf(c.source));
    const file = bucket(report.byFile, c.file);
    let all = true;
    for (const label of c.names) {
      const got = names.get(label.role);
      const ok = got?.value === label.name;
      const wrong = d.entities.names.find((n) => n.value === label.name && n.role !== label.role && !n.guess && !c.names.some((l) => l.role === n.role && l.name === n.value));
      for (const t of [report, bucket(report.byPlace, label.from), site, file, bucket(report.byRole, label.role)]) {
        t.names++;
        if (ok) t.found++;
        if (wrong) t.wrongRole++;
      }
      if (!ok) {
        all = false;
        report.misses.push({ origin: c.origin, role: label.role, expected: label.name, got: got?.value ?? null, ...(wrong ? { gotRole: wrong.role } : {}) });
      }
    }
    const places = new Set(c.names.map((l) => l.from));
    for (const t of [report, site, file, ...[...places].map((p) => bucket(report.byPlace, p))]) {
      t.pastes++;
      if (all) t.pastesAllFound++;
    }
  }
  return report;
}

export function namesMeetTargets(r: NamesReport): boolean {
  return r.pastes === 0 || (r.pastesAllFound / r.pastes >= NAMES_TARGETS.found && r.wrongRole / Math.max(1, r.names) <= NAMES_TARGETS.wrongRole);
}

export function formatNames(r: NamesReport): string {
  const pct = (a: number, b: number): string => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
  const row = (label: string, t: Tally): string => `  ${label.padEnd(16)} ${String(t.pastes).padStart(6)} ${pct(t.pastesAllFound, t.pastes).padStart(8)} ${String(t.names).padStart(6)} ${pct(t.found, t.names).padStart(8)} ${pct(t.wrongRole, t.names).padStart(8)}`;
  const lines = [
    `names: every required name found in ${pct(r.pastesAllFound, r.pastes)} of ${r.pastes} real pastes (target >= ${NAMES_TARGETS.found * 100}%), wrong-role ${pct(r.wrongRole, r.names)} of ${r.names} names (target <= ${NAMES_TARGETS.wrongRole * 100}%)  ${namesMeetTargets(r) ? 'ok' : 'BELOW TARGET'}`,
    '',
    `  ${'per place'.padEnd(16)} ${'pastes'.padStart(6)} ${'all found'.padStart(8)} ${'names'.padStart(6)} ${'found'.padStart(8)} ${'wrong'.padStart(8)}`,
    ...NAME_PLACES.filter((p) => r.byPlace[p]).map((p) => row(p, r.byPlace[p] as Tally)),
    ...Object.entries(r.bySite).map(([k, t]) => row(k, t)),
    ...Object.entries(r.byFile).map(([k, t]) => row(k, t)),
    row('all', r),
  ];
  if (r.misses.length) {
    lines.push('', 'Names missed:');
    for (const m of r.misses) lines.push(`  ${m.origin}: ${m.role} expected ${m.expected}, got ${m.got ?? 'nothing'}${m.gotRole ? ` (put in ${m.gotRole})` : ''}`);
  }
  return lines.join('\n');
}

