import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labProblems } from '../../bot/kb/lab-check.js';
import { parseFaultFile } from '../../bot/kb/load.js';
import { writeLabResults } from '../../bot/lab/record.js';
import type { FaultResults } from '../../bot/lab/results.js';

// `knowledge check` holds a fault file's lab section to the rest of the file. The fixture fault
// is edited as text, the way an author would, and loaded through the real loader.
const root = join(import.meta.dirname, '..', 'fixtures', 'lab', 'knowledge');
const file = join(root, 'faults', 'demo', 'zero-division.yaml');
const source = readFileSync(file, 'utf8');

function load(text: string) {
  const { fault, problems } = parseFaultFile(root, file, text);
  expect(problems).toEqual([]);
  return fault!;
}

const versions = { bookworm: { python: '3.11.2', sqlalchemy: '1.4.46' }, trixie: { python: '3.13.5', sqlalchemy: '2.0.40' } };
function recorded(defaultRate: { bookworm: string; trixie: string }, wrongFix = 'fails'): FaultResults {
  const world = (w: 'bookworm' | 'trixie') => ({
    versions: versions[w],
    scenarios: {
      'empty-average': { status: 'reproduced' as const, fixes: { 'guard-empty': { status: 'verified' as const }, 'wrong-fix': { status: wrongFix as 'fails' } } },
      'zero-rate': { status: 'reproduced' as const, fixes: { 'default-rate': { status: defaultRate[w] as 'verified' } } },
    },
  });
  return { bookworm: world('bookworm'), trixie: world('trixie') };
}

describe('the lab section in knowledge check', () => {
  it('passes the fixture as written', () => {
    expect(labProblems(load(source))).toEqual([]);
  });

  it('names a scenario cause or fix the fault does not have', () => {
    const text = source.replace('      cause: zero-rate\n', '      cause: zero-rates\n').replace('fixes: [default-rate]', 'fixes: [default-rate/py2, nope]');
    expect(labProblems(load(text))).toEqual([
      "lab.scenarios[1].cause: 'zero-rates' is not a cause of this fault (causes: empty-average, zero-rate)",
      "lab.scenarios[1].fixes[0]: 'default-rate/py2': fix default-rate has no form 'py2'",
      "lab.scenarios[1].fixes[1]: 'nope' names no fix of this fault (fixes: guard-empty, default-rate, wrong-fix)",
    ]);
  });

  it('fails when requires admits a world where the fix failed', () => {
    const text = writeLabResults(source, recorded({ bookworm: 'fails', trixie: 'verified' }));
    const problems = labProblems(load(text));
    expect(problems.some((p) => p.startsWith('fix default-rate: requires (python >=3.0) admits bookworm (python 3.11.2), yet the lab found it fails there'))).toBe(true);
    // wrong-fix has no requires at all, so every world admits it
    expect(problems.some((p) => p.startsWith('fix wrong-fix: requires (nothing) admits bookworm'))).toBe(true);
  });

  it('fails when requires excludes a world where the fix was verified', () => {
    const text = writeLabResults(source.replace("requires: {python: '>=3.0'}", "requires: {python: '>=3.12'}"), recorded({ bookworm: 'verified', trixie: 'verified' }, 'not-applicable'));
    expect(labProblems(load(text))).toEqual(['fix default-rate: the lab verified it on bookworm (python 3.11.2) but requires (python >=3.12) excludes that version; widen requires']);
  });

  it('accepts requires that match the runs', () => {
    const text = writeLabResults(source.replace("requires: {python: '>=3.0'}", "requires: {python: '>=3.12'}"), recorded({ bookworm: 'fails', trixie: 'verified' }, 'not-applicable'));
    expect(labProblems(load(text))).toEqual([]);
  });

  it('with --lab-strict, wants every shown fix run (or unverified) and verified somewhere', () => {
    const text = writeLabResults(source.replace('fixes: [guard-empty, wrong-fix]', 'fixes: [wrong-fix]'), recorded({ bookworm: 'verified', trixie: 'verified' }, 'not-applicable'));
    const loose = load(text);
    expect(labProblems(loose)).toEqual([]);
    const strict = labProblems(loose, { strict: true });
    expect(strict).toContain("fix guard-empty is shown to users but no lab scenario runs it; run it in a scenario or say why in its 'unverified'");
    expect(strict).toContain("fix wrong-fix was verified in no world (not-applicable); rewrite it until it runs clean, remove it, or say why in 'unverified'");
    const excused = text.replace("    docs: [https://docs.python.org/3/library/exceptions.html#ZeroDivisionError]\nexamples:", "    docs: [https://docs.python.org/3/library/exceptions.html#ZeroDivisionError]\n    unverified: {en: the runner's own test, ja: ランナー自身のテスト}\nexamples:");
    expect(labProblems(load(excused), { strict: true })).not.toContain("fix wrong-fix was verified in no world (not-applicable); rewrite it until it runs clean, remove it, or say why in 'unverified'");
  });
});
