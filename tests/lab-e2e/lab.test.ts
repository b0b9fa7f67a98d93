import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The whole lab on the two fixture faults, for real: both worlds, PostgreSQL and PgBouncer, the
// programs, recording and comparing. Needs root and Debian's packages (`npm run test:lab`).
const repo = join(import.meta.dirname, '..', '..');
const fixture = join(repo, 'tests', 'fixtures', 'lab', 'knowledge');
const dir = mkdtempSync(join(tmpdir(), 'faultline-lab-e2e-'));
cpSync(fixture, dir, { recursive: true });
rmSync(join(dir, 'lab', 'traces'), { recursive: true, force: true });
cpSync(join(repo, 'knowledge', 'lab', 'labkit.py'), join(dir, 'lab', 'labkit.py'));
cpSync(join(repo, 'knowledge', 'lab', 'worlds'), join(dir, 'lab', 'worlds'), { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lab(...args: string[]) {
  const r = spawnSync(join(repo, 'node_modules', '.bin', 'tsx'), [join(repo, 'bot', 'lab', 'main.ts'), '--dir', dir, ...args], { encoding: 'utf8', timeout: 900_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const faultFile = join(dir, 'faults', 'demo', 'zero-division.yaml');
const leftovers = (): string[] => readdirSync('/tmp').filter((n) => /^faultline-lab-[A-Za-z0-9]{6}$/.test(n));

describe('npm run lab on the fixture catalogue', () => {
  const before = leftovers();

  it('runs every scenario and fix in both worlds and calls unrecorded results a disagreement', () => {
    const r = lab();
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(/^demo\.zero-division +2\/2 +2\/2 +2\/1\/0 +2\/1\/0 +NO$/m);
    expect(r.out).toMatch(/^demo\.undefined-table +1\/1 +1\/1 +1\/0\/0 +1\/0\/0 +NO$/m);
    expect(r.out).toContain('demo.zero-division bookworm empty-average --fix wrong-fix: fails: exit 1: ZeroDivisionError: division by zero');
    for (const f of ['demo.zero-division', 'demo.undefined-table']) for (const w of ['bookworm', 'trixie']) expect(r.out).toContain(`${f}: ${w}: no recorded results`);
    expect(r.out).toMatch(/^bookworm: python 3\.11\.\d+, sqlalchemy 1\.4\.\d+/m);
    expect(r.out).toMatch(/^trixie: python 3\.13\.\d+, sqlalchemy 2\.0\.\d+/m);
  });

  it('records results and traces; the traces are the same as the committed ones', () => {
    const source = readFileSync(faultFile, 'utf8');
    const r = lab('--record');
    expect(r.code, r.err).toBe(0);
    const recorded = readFileSync(faultFile, 'utf8');
    expect(recorded.startsWith(source)).toBe(true);
    expect(recorded).toMatch(/ {4}trixie:\n {6}versions:\n/);
    for (const [slug, names] of [['zero-division', ['empty-average', 'zero-rate']], ['undefined-table', ['not-created']]] as const) {
      for (const n of names) for (const w of ['bookworm', 'trixie']) {
        const name = `${n}.${w}.txt`;
        expect(readFileSync(join(dir, 'lab', 'traces', 'demo', slug, name), 'utf8'), name).toBe(readFileSync(join(fixture, 'lab', 'traces', 'demo', slug, name), 'utf8'));
      }
    }
  });

  it('agrees with itself on the next run, and --json says the same', () => {
    const r = lab('--json');
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.ok).toBe(true);
    expect(doc.totals).toMatchObject({ faults: 2, reproducedAnywhere: 2, fixesRun: 4, fixesVerifiedAnywhere: 3, disagreements: 0 });
    // Nothing changed since the first run: every run's output comes from the result cache.
    expect(doc.runs).toEqual({ executed: 0, reused: 14 });
    expect(doc.faults.find((f: { id: string }) => f.id === 'demo.zero-division').results.trixie.scenarios['empty-average'].fixes['guard-empty']).toEqual({ status: 'verified', measured: { queries: 0, calls: 1 } });
  });

  it('exits 1 naming the fix whose recorded result a fresh run contradicts', () => {
    const text = readFileSync(faultFile, 'utf8');
    const tampered = text.replace(/(zero-rate:\n {10}status: reproduced\n {10}fixes:\n {12}default-rate:\n {14}status: )verified/, '$1fails');
    expect(tampered).not.toBe(text);
    writeFileSync(faultFile, tampered);
    const r = lab('--only', 'demo.zero-division', '--world', 'bookworm');
    expect(r.code).toBe(1);
    expect(r.out).toContain('demo.zero-division: bookworm scenario zero-rate fix default-rate: recorded fails, now verified');
    expect(r.out).not.toContain('trixie');
  });

  it('--fresh executes every run again and still finds the disagreement', () => {
    const r = lab('--fresh', '--json', '--only', 'demo.zero-division', '--world', 'bookworm');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(doc.runs).toEqual({ executed: 5, reused: 0 });
    expect(doc.faults[0].disagreements).toContain('bookworm scenario zero-rate fix default-rate: recorded fails, now verified');
  });

  it('leaves no services, mounts or temporary folders behind', async () => {
    expect(leftovers()).toEqual(before);
    const lingering = (): string[] => spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.includes('faultline-lab/services') || l.includes('bookworm-run/services') || l.includes(dir));
    // Processes still exiting get a few seconds on a loaded machine.
    for (let i = 0; i < 20 && lingering().length; i++) await new Promise((r) => setTimeout(r, 500));
    expect(lingering()).toEqual([]);
    const mounts = readFileSync('/proc/self/mounts', 'utf8');
    expect(mounts.split('\n').filter((l) => l.includes('faultline-lab-src') || / \/\S*trixie-[0-9a-f]{16}\//.test(l))).toEqual([]);
  });
});
