import { describe, expect, it } from 'vitest';
import { normaliseOutput, traceText } from '../../bot/lab/normalise.js';

describe('normalising a run so re-runs record identical traces', () => {
  const names = { labDir: '/tmp/faultline-lab-src', workDir: '/tmp/faultline-lab/run-Ab12Cd', database: 'lab_3f9a0c1e22b4', pgPort: 41873, bouncerPort: 39001 };
  const raw = [
    'Traceback (most recent call last):',
    '  File "/tmp/faultline-lab-src/programs/asyncpg/x.py", line 9, in <module>',
    '  File "/tmp/faultline-lab/run-Ab12Cd/alembic/env.py", line 3, in <module>',
    'asyncpg.exceptions.InvalidCatalogNameError: database "lab_3f9a0c1e22b4" does not exist',
    'sqlalchemy.exc.OperationalError: connection to server at "127.0.0.1", port 41873 failed (pgbouncer 39001)',
    '<sqlalchemy.engine.base.Connection object at 0x7f12ab34cd56>',
    'DETAIL:  Process 31337 waits for ShareLock on transaction 1234; blocked by process 31338.',
    '==== 1 failed in 0.47s ====',
    'LAB-MEASURE {"queries": 2}',
  ].join('\r\n');

  it('replaces paths, the database, ports, addresses, pids and timings with fixed ones', () => {
    const out = normaliseOutput(raw, names);
    expect(out).toBe([
      'Traceback (most recent call last):',
      '  File "/srv/lab/programs/asyncpg/x.py", line 9, in <module>',
      '  File "/srv/app/alembic/env.py", line 3, in <module>',
      'asyncpg.exceptions.InvalidCatalogNameError: database "app" does not exist',
      'sqlalchemy.exc.OperationalError: connection to server at "127.0.0.1", port 5432 failed (pgbouncer 6432)',
      '<sqlalchemy.engine.base.Connection object at 0x7f3a2c1d0e50>',
      'DETAIL:  Process 4242 waits for ShareLock on transaction 1234; blocked by process 4242.',
      '==== 1 failed in 0.12s ====',
      'LAB-MEASURE {"queries": 2}',
    ].join('\n'));
  });

  it('drops the lab protocol lines from the recorded trace, keeps the rest', () => {
    expect(traceText('boom\nLAB-MEASURE {"q": 1}\nLAB-NOT-APPLICABLE x\nValueError: x\n\n\n')).toBe('boom\nValueError: x\n');
  });
});
