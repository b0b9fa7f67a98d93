import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../bot/kb/load.js';
import { writeLabResults } from '../../bot/lab/record.js';
import { createResultCache, importedKits, outcomeOf, runKey, runnerDigest, sharedLabDigest, type RawRun, type RunKeyInputs } from '../../bot/lab/result-cache.js';
import { FIXTURE_DIR } from './helpers.js';

const repoLab = join(import.meta.dirname, '..', '..', 'knowledge', 'lab');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of the fixture catalogue with the repo's labkit.py, to edit freely. */
function catalogue(): string {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-cache-test-'));
  dirs.push(dir);
  cpSync(FIXTURE_DIR, dir, { recursive: true });
  cpSync(join(repoLab, 'labkit.py'), join(dir, 'lab', 'labkit.py'));
  return dir;
}

/** The key inputs of one fixture run, read from the catalogue as the lab reads them. */
function inputs(dir: string, slug: string, args: string[]): RunKeyInputs {
  const fault = loadKnowledge(dir).faults.find((f) => f.id === `demo.${slug}`);
  if (!fault) throw new Error(`no fixture fault demo.${slug}: ${JSON.stringify(loadKnowledge(dir).problems)}`);
  return {
    world: 'bookworm',
    worldPackages: 'packages-digest',
    runner: runnerDigest(),
    shared: sharedLabDigest(join(dir, 'lab'), readFileSync(join(dir, 'lab', 'programs', 'demo', `${slug}.py`), 'utf8')),
    program: readFileSync(join(dir, 'lab', 'programs', 'demo', `${slug}.py`), 'utf8'),
    lab: fault.lab,
    args,
    withBouncer: false,
    timeoutSeconds: 90,
  };
}

const keyOf = (dir: string, slug: string, args: string[]): string => runKey(inputs(dir, slug, args));

describe('the lab result cache key', () => {
  it('is the same for the same inputs, in another folder', () => {
    expect(keyOf(catalogue(), 'zero-division', ['zero-rate'])).toBe(keyOf(catalogue(), 'zero-division', ['zero-rate']));
  });

  it('differs per scenario, fix, world, timeout and PgBouncer', () => {
    const dir = catalogue();
    const base = inputs(dir, 'zero-division', ['zero-rate']);
    const keys = [
      runKey(base),
      runKey({ ...base, args: ['empty-average'] }),
      runKey({ ...base, args: ['zero-rate', '--fix', 'default-rate'] }),
      runKey({ ...base, world: 'trixie' }),
      runKey({ ...base, timeoutSeconds: 30 }),
      runKey({ ...base, withBouncer: true }),
      runKey({ ...base, worldPackages: 'another-digest' }),
      runKey({ ...base, runner: 'another-runner' }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('changes for every program when labkit.py changes, and for the programs that import a kit when it changes', () => {
    const dir = catalogue();
    const runs: [string, string[]][] = [
      ['zero-division', ['zero-rate']],
      ['zero-division', ['empty-average', '--fix', 'guard-empty']],
      ['undefined-table', ['not-created']],
    ];
    mkdirSync(join(dir, 'lab', 'kits'));
    writeFileSync(join(dir, 'lab', 'kits', 'orm.py'), 'from kits import base\nBASE = 1\n');
    writeFileSync(join(dir, 'lab', 'kits', 'base.py'), 'X = 1\n');
    const zero = join(dir, 'lab', 'programs', 'demo', 'zero-division.py');
    writeFileSync(zero, `from kits import orm as kit\n${readFileSync(zero, 'utf8')}`);
    const before = runs.map(([s, a]) => keyOf(dir, s, a));
    writeFileSync(join(dir, 'lab', 'kits', 'base.py'), 'X = 2\n');
    const kitEdited = runs.map(([s, a]) => keyOf(dir, s, a));
    writeFileSync(join(dir, 'lab', 'labkit.py'), `${readFileSync(join(dir, 'lab', 'labkit.py'), 'utf8')}\n# edited\n`);
    const labkitEdited = runs.map(([s, a]) => keyOf(dir, s, a));
    for (let i = 0; i < runs.length; i++) {
      const usesKit = runs[i]?.[0] === 'zero-division';
      expect(kitEdited[i] !== before[i], runs[i]?.join(' ')).toBe(usesKit);
      expect(labkitEdited[i], runs[i]?.join(' ')).not.toBe(kitEdited[i]);
    }
  });

  it('reads the kits a program imports, in every spelling', () => {
    expect(importedKits('from kits import orm as kit, base\nimport kits.pg\nfrom kits.redis import server\nfrom kitsch import x\n')).toEqual(['base', 'orm', 'pg', 'redis']);
  });

  it('ignores Python bytecode caches under kits/', () => {
    const dir = catalogue();
    mkdirSync(join(dir, 'lab', 'kits', '__pycache__'), { recursive: true });
    const before = sharedLabDigest(join(dir, 'lab'));
    writeFileSync(join(dir, 'lab', 'kits', '__pycache__', 'orm.cpython-311.pyc'), 'bytes');
    expect(sharedLabDigest(join(dir, 'lab'))).toBe(before);
  });

  it("changes when the program or the fault's scenarios change, not when recorded results do", () => {
    const dir = catalogue();
    const key = (): string => keyOf(dir, 'zero-division', ['zero-rate']);
    const first = key();
    const faultFile = join(dir, 'faults', 'demo', 'zero-division.yaml');
    const source = readFileSync(faultFile, 'utf8');
    const recorded = { versions: { python: '3.11.2' }, scenarios: { 'zero-rate': { status: 'reproduced' as const, fixes: { 'default-rate': { status: 'verified' as const } } } } };
    writeFileSync(faultFile, writeLabResults(source, { bookworm: recorded, trixie: recorded }));
    expect(readFileSync(faultFile, 'utf8')).toContain('results:');
    expect(key()).toBe(first);
    writeFileSync(faultFile, source.replace(/fixes: \[default-rate\]/, 'fixes: [default-rate, guard-empty]'));
    expect(source).toMatch(/fixes: \[default-rate\]/);
    expect(key()).not.toBe(first);
    writeFileSync(faultFile, source);
    expect(key()).toBe(first);
    const program = join(dir, 'lab', 'programs', 'demo', 'zero-division.py');
    writeFileSync(program, `${readFileSync(program, 'utf8')}\n`);
    expect(key()).not.toBe(first);
  });
});

describe('the lab result cache store', () => {
  const run: RawRun = {
    code: 1,
    timedOut: false,
    raw: 'Traceback (most recent call last):\n  File "/work/x/lab/programs/demo/zero-division.py", line 3, in <module>\nZeroDivisionError: division by zero\n',
    names: { labDir: '/work/x/lab', workDir: '/tmp/run-abc' },
    seconds: 0.4,
  };

  it('gives back what was stored, normalised as a fresh run is', () => {
    const dir = catalogue();
    const cache = createResultCache(join(dir, 'results'));
    expect(cache.get('ab'.repeat(32))).toBeNull();
    cache.put('ab'.repeat(32), run);
    const back = cache.get('ab'.repeat(32));
    expect(back).toEqual(run);
    expect(outcomeOf(back as RawRun).output).toContain('File "/srv/lab/programs/demo/zero-division.py"');
  });

  it('does not keep timed-out or killed runs, and treats a torn entry as a miss', () => {
    const dir = catalogue();
    const cache = createResultCache(join(dir, 'results'));
    cache.put('cd'.repeat(32), { ...run, code: null, timedOut: true });
    expect(cache.get('cd'.repeat(32))).toBeNull();
    mkdirSync(join(dir, 'results', 'ef'), { recursive: true });
    writeFileSync(join(dir, 'results', 'ef', `${'ef'.repeat(32)}.json`), '{"code": 1, "raw": "Trace');
    expect(cache.get('ef'.repeat(32))).toBeNull();
  });
});
