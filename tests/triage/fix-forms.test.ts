import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEngine } from '../../bot/kb/engine.js';
import { checkRequirement } from '../../bot/triage/fix-forms.js';
import { shippedEngine } from '../helpers.js';

const demo = loadEngine(join(import.meta.dirname, '..', 'fixtures', 'knowledge')).engine;
const paste = (version: string | null): string =>
  `DemoExpiredError: demo attribute expired${version ? ` (Background on this error at: https://sqlalche.me/e/${version}/abcd)` : ''}`;

describe('fix forms and version gates', () => {
  it('gives a 1.4 paste the 1.4 spelling, verified where the lab ran it, and no 2.0-only fix as applicable', () => {
    const d = demo.diagnose(paste('14'));
    const keep = d.fixes.find((f) => f.id === 'keep-loaded');
    expect(keep?.snippet).toContain('sessionmaker(engine, class_=AsyncSession');
    expect(keep?.form).toBe('sessionmaker');
    expect(keep?.available).toBe(true);
    expect(keep?.verifiedOn).toBe('SQLAlchemy 1.4.46 (Debian 12), 2.0.40 (Debian 13)');
    expect(keep?.otherForms).toEqual([]);
    const newOnly = d.fixes.find((f) => f.id === 'new-only');
    expect(newOnly?.available).toBe(false);
    expect(d.fixes.filter((f) => f.available).every((f) => f.id !== 'new-only')).toBe(true);
    expect(d.fixes.at(-1)?.id).toBe('new-only');
  });

  it('gives a 2.0 paste the 2.0 spelling first', () => {
    const d = demo.diagnose(paste('20'));
    const keep = d.fixes.find((f) => f.id === 'keep-loaded');
    expect(keep?.form).toBeNull();
    expect(keep?.snippet).toContain('async_sessionmaker');
    expect(keep?.verifiedOn).toBe('SQLAlchemy 2.0.40 (Debian 13)');
    expect(keep?.measured).toEqual({ queries: 1 });
    expect(d.fixes[0]?.id).toBe('new-only');
    expect(d.fixes[0]?.available).toBe(true);
  });

  it('shows both spellings, labelled, when the paste does not tell the version', () => {
    const d = demo.diagnose(paste(null));
    const keep = d.fixes.find((f) => f.id === 'keep-loaded');
    expect(keep?.formLabel).toBe('SQLAlchemy >=2.0');
    expect(keep?.otherForms.map((f) => [f.label, f.verifiedOn])).toEqual([['SQLAlchemy <2.0', 'SQLAlchemy 1.4.46 (Debian 12), 2.0.40 (Debian 13)']]);
    expect(keep?.caveat).toBeNull();
  });

  it('says why a fix is not verified', () => {
    const d = demo.diagnose(paste('20'), { lang: 'ja' });
    expect(d.fixes.find((f) => f.id === 'rotate-infra')?.notVerified).toBe('サーバー設定のため、ラボでは実行できません');
  });

  it('compares ranges and partial versions', () => {
    expect(checkRequirement('>=1.4,<2.0', '1.4')).toBe('ok');
    expect(checkRequirement('>=1.4,<2.0', '2.0')).toBe('no');
    expect(checkRequirement('>=2.0.13', '2.0')).toBe('unknown');
    expect(checkRequirement('>=2.0.13', '2.0.40')).toBe('ok');
    expect(checkRequirement('<2', '1.10')).toBe('ok');
  });
});

describe('the SQLAlchemy line from frames and code when no link says it', () => {
  const trace = (frames: string[], code = '    x = 1'): string => [
    'Traceback (most recent call last):',
    '  File "/app/svc.py", line 10, in handler',
    code,
    ...frames.flatMap((f) => { const [file, fn] = f.split(':'); return [`  File "/usr/lib/python3/dist-packages/sqlalchemy/${file}", line 100, in ${fn}`, '    pass']; }),
    'sqlalchemy.exc.InterfaceError: (sqlalchemy.dialects.postgresql.asyncpg.InterfaceError) <class \'asyncpg.exceptions._base.InterfaceError\'>: cannot perform operation: another operation is in progress',
  ].join('\n');

  it('reads 2.0 from functions only 2.0 has', () => {
    expect(shippedEngine().diagnose(trace(['orm/session.py:_execute_internal', 'engine/base.py:_exec_single_context'])).facts.sqlalchemy).toBe('2.0');
  });
  it('reads 1.4 from functions only 1.4 has', () => {
    expect(shippedEngine().diagnose(trace(['engine/base.py:_execute_20', 'util/compat.py:raise_'])).facts.sqlalchemy).toBe('1.4');
  });
  it('reads 2.0 from 2.0-only APIs in the user code', () => {
    expect(shippedEngine().diagnose(trace(['engine/base.py:execute'], '    Session = async_sessionmaker(engine)')).facts.sqlalchemy).toBe('2.0');
    expect(shippedEngine().diagnose(trace(['engine/base.py:execute'])).facts.sqlalchemy).toBeUndefined();
  });
});

describe('the PgBouncer prepared-statement fault', () => {
  // The issue's finding: turning both statement caches off still failed behind PgBouncer in
  // transaction mode, so a 1.4 user had no working in-app fix. The fix offered first must be one
  // the lab ran clean on SQLAlchemy 1.4 and 2.0, on every real trace the lab recorded.
  const dir = join(import.meta.dirname, '..', '..', 'knowledge', 'lab', 'traces', 'asyncpg', 'prepared-statement-pgbouncer');
  const traces = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.txt')) : [];

  it('has real traces from both worlds', () => {
    expect(traces.some((f) => f.endsWith('.bookworm.txt'))).toBe(true);
    expect(traces.some((f) => f.endsWith('.trixie.txt'))).toBe(true);
  });

  it.each(traces)('%s: offers first a fix verified on 1.4 and on 2.0', (file) => {
    const d = shippedEngine().diagnose(readFileSync(join(dir, file), 'utf8'));
    expect(d.match?.id).toBe('asyncpg.prepared-statement-pgbouncer');
    const first = d.fixes[0];
    expect(first?.available).toBe(true);
    expect(first?.verifiedOn).toMatch(/\(Debian 12\).*\(Debian 13\)/);
    // Through SQLAlchemy, on both its lines; the raw-asyncpg variant's fix involves no SQLAlchemy.
    if (!file.startsWith('raw-asyncpg')) {
      expect(first?.verifiedOn).toMatch(/SQLAlchemy 1\.4\.\d+ \(Debian 12\)/);
      expect(first?.verifiedOn).toMatch(/SQLAlchemy 2\.0\.\d+ \(Debian 13\)/);
    }
  });
});
