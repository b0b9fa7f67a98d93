import { describe, expect, it } from 'vitest';
import { normaliseInput } from '../../bot/triage/normalise.js';
import { parsePaste } from '../../bot/triage/parse.js';
import { faultExample, fixture } from '../helpers.js';

const parse = (text: string, known: string[] = []) => parsePaste(normaliseInput(text), new Set(known));

describe('parsePaste', () => {
  it('reads both links of a "direct cause" chain with frames, SQL and the error code', () => {
    const p = parse(fixture('chained-asyncpg-unique.txt'));
    expect(p.records.map((r) => r.shortType)).toEqual(['IntegrityError', 'IntegrityError']);
    const [cause, wrapper] = p.records;
    expect(cause?.link).toBe('cause');
    expect(cause?.message).toMatch(/^<class 'asyncpg\.exceptions\.UniqueViolationError'>: duplicate key value violates unique constraint "users_email_key"\nDETAIL: {2}Key/);
    expect(wrapper?.type).toBe('sqlalchemy.exc.IntegrityError');
    expect(wrapper?.sql).toBe('INSERT INTO users (email, name, organization_id) VALUES ($1::VARCHAR, $2::VARCHAR, $3::INTEGER) RETURNING users.id');
    expect(wrapper?.hadParameters).toBe(true);
    expect(wrapper?.message).not.toContain('[parameters');
    expect(wrapper?.codes).toEqual(['gkpj']);
    expect(wrapper?.frames[0]).toMatchObject({ file: '/app/app/api/users.py', line: 33, func: 'create_user', code: 'await session.commit()', library: false });
    expect(wrapper?.frames[1]?.library).toBe(true);
  });

  it("reads the exception IPython's header names when the paste stops before its exception line", () => {
    // ray-project/ray#12603 as the fault example has it, cut where an excerpt or a poster cuts a long
    // notebook traceback: above its last line. The header is IPython's own `<class>  Traceback (...)`.
    const paste = faultExample('redis/connection-reset.yaml', 'Windows, reset while redis-py wrote a command, IPython traceback (adapted, quote markers removed, trimmed to the first chained exception)');
    const cut = paste.slice(0, paste.lastIndexOf('ConnectionResetError: [WinError'));
    const p = parse(cut, ['ConnectionResetError']);
    expect(p.records.map((r) => [r.type, r.message])).toEqual([['ConnectionResetError', '']]);
    expect(p.records[0]?.frames.map((f) => f.code)).toEqual(['sendall(self._sock, item)', 'return sock.sendall(*args, **kwargs)']);
    // Whole, the exception line is read as before, and the header adds nothing.
    expect(parse(paste, ['ConnectionResetError']).records.map((r) => r.type)).toEqual(['ConnectionResetError']);
    // A log level before a Python traceback header is no class (blind-postgres-a:54's QGIS log shape).
    expect(parse('WARNING    Traceback (most recent call last)\n<ipython-input-1-2d6f026194dd> in <module>\n----> 1 run()\n').records.map((r) => r.type)).not.toContain('WARNING');
  });

  it("reads an `E` line that is itself a dotted exception line as the next error, not as more of the line above", () => {
    // pytest's `E   ` prefix (the wrapper sweep's pytest-e form) over two lines of a real gunicorn log: its last log line and the
    // exception under it (https://github.com/benoitc/gunicorn/issues/2103, trimmed: the frames between them left out).
    const paste = [
      "E   [2019-09-04 09:21:14 -0400] [29779] [INFO] Reason: Worker failed to boot.",
      "E   gunicorn.errors.HaltServer: <HaltServer 'Worker failed to boot.' 3>",
    ].join('\n');
    const records = parse(paste, ['HaltServer']).records;
    expect(records.map((r) => r.type)).toEqual(['', 'gunicorn.errors.HaltServer']);
    expect(records[0]?.message).not.toContain('HaltServer');
    // A message's own continuation lines stay with it.
    const wrapped = parse('E   sqlalchemy.exc.IntegrityError: (psycopg2.errors.UniqueViolation) duplicate key value violates unique constraint "users_email_key"\nE   DETAIL:  Key (email)=(a@b.c) already exists.').records;
    expect(wrapped.map((r) => r.type)).toEqual(['sqlalchemy.exc.IntegrityError']);
    expect(wrapped[0]?.message).toContain('DETAIL:');
  });

  it('marks "during handling" chains as context', () => {
    const p = parse(fixture('during-handling.txt'));
    expect(p.records.map((r) => [r.shortType, r.message, r.link])).toEqual([
      ['KeyError', "'user'", 'context'],
      ['ValueError', 'bad payload', null],
    ]);
  });

  it('reads pytest long output: the > source line belongs to the user frame, E lines are the error', () => {
    const p = parse(faultExample('sqlalchemy/missing-greenlet.yaml', 'pytest failure, the seed case (result resolved through select(User))'), ['MissingGreenlet']);
    expect(p.records).toHaveLength(1);
    const r = p.records[0];
    expect(r?.type).toBe('sqlalchemy.exc.MissingGreenlet');
    expect(r?.codes).toEqual(['xd2s']);
    const user = r?.frames.find((f) => !f.library);
    expect(user).toMatchObject({ file: 'tests/test_users.py', line: 18, code: 'assert result.organization.name == "Acme"' });
    expect(p.sourceLines.some((l) => l.includes('select(User).where(User.id == 100)'))).toBe(true);
  });

  it('reads tracebacks inside exception groups', () => {
    const p = parse(fixture('exception-group.txt'));
    const r = p.records.find((x) => x.shortType === 'MissingGreenlet');
    expect(r?.frames.map((f) => f.func)).toEqual(['read_user_organization', '_load_for_state', 'await_only']);
  });

  it('reads Python warning lines as warning records', () => {
    const p = parse("/app/app/models.py:42: SAWarning: relationship 'User.orders' will copy column users.id to column orders.user_id, which conflicts with relationship(s): 'Order.user'");
    expect(p.records[0]).toMatchObject({ kind: 'warning', shortType: 'SAWarning' });
    expect(p.records[0]?.frames[0]).toMatchObject({ file: '/app/app/models.py', line: 42 });
  });

  it('finds an exception named inside a sentence', () => {
    const p = parse('after the upgrade we get sqlalchemy.exc.NoResultFound: No row was found when one was required on login');
    expect(p.records[0]?.type).toBe('sqlalchemy.exc.NoResultFound');
  });

  it('reads pytest summary lines', () => {
    const p = parse('FAILED tests/test_api.py::test_create - sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called', ['MissingGreenlet']);
    expect(p.records[0]?.shortType).toBe('MissingGreenlet');
  });

  it('keeps PostgreSQL server lines as bare records', () => {
    const p = parse('2025-01-02 10:11:12.345 UTC [812] FATAL:  sorry, too many clients already');
    expect(p.records[0]?.kind).toBe('line');
    expect(p.records[0]?.message).toContain('sorry, too many clients already');
  });

  it('reads IPython / Jupyter tracebacks: the arrow in the cell is user code, the one in site-packages is not', () => {
    const p = parse(['MissingGreenlet                           Traceback (most recent call last)', 'Cell In[7], line 4', '      3     author = (await s.execute(select(Author))).scalars().first()', '----> 4 print(author.books)', '', 'File ~/venvs/lab/lib/python3.11/site-packages/sqlalchemy/orm/attributes.py:566, in InstrumentedAttribute.__get__(self, instance, owner)', '--> 566 return self.impl.get(state, dict_)', '', "MissingGreenlet: greenlet_spawn has not been called; can't call await_only() here."].join('\n'), ['MissingGreenlet']);
    const frames = p.records[0]?.frames ?? [];
    expect(frames.map((f) => [f.code, f.library])).toEqual([['print(author.books)', false], ['return self.impl.get(state, dict_)', true]]);
  });

  it('bounds deeply repeated frames', () => {
    const frame = '  File "/app/app/rec.py", line 3, in f\n    return f(n - 1)\n';
    const p = parse(`Traceback (most recent call last):\n${frame.repeat(3000)}RecursionError: maximum recursion depth exceeded`);
    expect(p.records[0]?.shortType).toBe('RecursionError');
    expect(p.records[0]?.frames.length).toBeLessThanOrEqual(200);
  });

  // Real pastes whose traceback stops before its exception line (motivated by blind misses whose
  // titles named the exception above a trimmed trace; these are other threads of the same shape).
  it('gives frames cut before their exception line to the exception a Python 2 repr in the lead names', () => {
    // restran/fomalhaut-panel#1, the poster's quote ends after the first frame.
    const p = parse([
      'after execute"python manage.py celery worker --loglevel=info", there is an error:"Unrecoverable error: OperationalError(\'database is locked\',)',
      'Traceback (most recent call last):',
      '  File "/Users/jackieliao/Library/Python/2.7/lib/python/site-packages/celery/worker/__init__.py", line 206, in start"',
    ].join('\n'));
    expect(p.records.map((r) => [r.kind, r.type, r.message, r.frames.length])).toEqual([['exception', 'OperationalError', 'database is locked', 1]]);
  });

  it('reads a Python 2 exception repr at the end of a Celery log line', () => {
    // celery/celery#5774 (the first line of the report)
    const p = parse('[2019-10-11 11:06:32,967: ERROR/MainProcess] Unrecoverable error: InterfaceError("(0, \'\')",)');
    expect(p.records.map((r) => [r.kind, r.type, r.message])).toEqual([['exception', 'InterfaceError', "(0, '')"]]);
  });

  it('takes the exception a lead sentence names for a traceback cut before its last line', () => {
    // pydantic/httpx2#452 (from encode/httpx#1188), adapted: trimmed inside the traceback
    const p = parse([
      'At some point it failed with a `httpcore._exceptions.ReadTimeout` exception:',
      '```',
      'Traceback (most recent call last):',
      '  File "/home/user/main.py", line 351, in <module>',
      '    asyncio.run(run())',
      '  File "/usr/lib64/python3.8/asyncio/runners.py", line 43, in run',
      '    return loop.run_until_complete(main)',
    ].join('\n'), ['ReadTimeout']);
    expect(p.records.map((r) => [r.kind, r.type, r.frames.length])).toEqual([['exception', 'httpcore._exceptions.ReadTimeout', 2]]);
  });

  it('leaves a cut traceback unowned when the lead names no exception, and never looks past the first traceback', () => {
    const frames = ['Traceback (most recent call last):', '  File "/app/app/jobs.py", line 12, in run', '    sync()'];
    const none = parse(['the nightly job stopped again, trace below', ...frames].join('\n'), ['ReadTimeout']);
    expect(none.records.every((r) => r.kind === 'line')).toBe(true);
    const after = parse([...frames, 'then later we saw httpx.ReadTimeout in the proxy', ...frames].join('\n'), ['ReadTimeout']);
    expect(after.records.some((r) => r.type.endsWith('ReadTimeout'))).toBe(false);
  });

  it("reads GlobaLeaks' mail header, a known class and its docstring without a colon, as the exception", () => {
    // globaleaks-whistleblowing-software#3390 (adapted: trimmed to the header and the first link)
    const p = parse([
      'Version: 4.10.18',
      '',
      'sqlalchemy.exc.IntegrityError Wraps a DB-API IntegrityError.',
      '',
      'Traceback (most recent call last):',
      '',
      '  File "/usr/lib/python3/dist-packages/sqlalchemy/engine/base.py", line 1245, in _execute_context',
      '    self.dialect.do_execute(',
      '',
      'sqlite3.IntegrityError: UNIQUE constraint failed: internaltip.tid, internaltip.progressive',
    ].join('\n'), ['IntegrityError']);
    expect(p.records.map((r) => [r.type, r.message])).toEqual([
      ['sqlalchemy.exc.IntegrityError', 'Wraps a DB-API IntegrityError.'],
      ['sqlite3.IntegrityError', 'UNIQUE constraint failed: internaltip.tid, internaltip.progressive'],
    ]);
    // A class a fault does not name stays a sentence.
    expect(parse('myapp.errors.QuotaExceeded Please retry later.', ['IntegrityError']).records.every((r) => r.kind === 'line')).toBe(true);
  });
});

describe('a traceback cut before its exception line', () => {
  const parse = (text: string) => parsePaste(normaliseInput(text), new Set(['AppRegistryNotReady', 'ImproperlyConfigured']));

  it('reads the message the lead quotes after the class it names', () => {
    const p = parse([
      'worker fails: AppRegistryNotReady: Apps aren\'t loaded yet.',
      '',
      'Traceback (most recent call last):',
      '  File "/srv/venv/lib/site-packages/billiard/process.py", line 292, in _bootstrap',
      '    self.run()',
    ].join('\n'));
    const r = p.records.at(-1);
    expect(r?.type).toBe('AppRegistryNotReady');
    expect(r?.message).toBe("Apps aren't loaded yet.");
    expect(r?.frames.length).toBe(1);
  });

  it('keeps an empty message when the lead names the class without one', () => {
    const p = parse('AppRegistryNotReady when starting the worker\n\nTraceback (most recent call last):\n  File "/srv/app/tasks.py", line 3, in <module>\n    from app.models import User');
    expect(p.records.at(-1)).toMatchObject({ type: 'AppRegistryNotReady', message: '' });
  });

  it("reads the last frame's raise of a literal message", () => {
    const p = parse('got this:\n  File "/srv/venv/lib/python3.4/site-packages/django/apps/registry.py", line 131, in check_models_ready\n    raise AppRegistryNotReady("Models aren\'t loaded yet.")');
    expect(p.records.at(-1)).toMatchObject({ type: 'AppRegistryNotReady', message: "Models aren't loaded yet." });
  });

  it.each([
    ['a formatted message', '    raise ImproperlyConfigured("Requested %s" % name)'],
    ['an f-string', '    raise ImproperlyConfigured(f"Requested {name}")'],
    ['a re-raise', '    raise exc'],
    ['a class that is no error', '    raise Foo("x")'],
  ])('does not read %s as the exception', (_what, code) => {
    const p = parse(`got this:\n  File "/srv/venv/lib/python3.11/site-packages/x/conf.py", line 9, in setup\n${code}`);
    expect(p.records.every((r) => r.kind !== 'exception')).toBe(true);
  });
});

describe('issue 14 round 4 shapes (gaps7-db)', () => {
  it("reads the message after a class in Markdown code in the lead (omnigent's crash report, adapted: trace cut after its first frame)", () => {
    // https://github.com/omnigent-ai/omnigent/issues/7509
    const p = parse([
      '## Summary',
      '',
      '`ImportError`: dlopen(/opt/homebrew/Cellar/python@3.14/3.14.7/Frameworks/Python.framework/Versions/3.14/lib/python3.14/lib-dynload/pyexpat.cpython-314-darwin.so, 0x0002): Symbol not found: _XML_SetAllocTrackerActivationThreshold',
      '',
      '## Traceback',
      '',
      'Traceback (most recent call last):',
      '  File "/opt/homebrew/Cellar/omnigent/0.14.0/libexec/lib/python3.14/site-packages/omnigent/cli.py", line 2360, in main',
      '    cli(args=argv, standalone_mode=False)',
    ].join('\n'));
    const r = p.records.at(-1);
    expect(r?.type).toBe('ImportError');
    expect(r?.message).toMatch(/^dlopen\(\/opt\/homebrew\/.{1,200}Symbol not found: _XML_SetAllocTrackerActivationThreshold$/);
    expect(r?.frames.length).toBe(1);
  });

  it("does not read pytest's bare `ERROR path` summary line as the error (icon4py's collection error)", () => {
    // https://github.com/C2SM/icon4py/pull/733
    const p = parse([
      '_____________ ERROR collecting model/testing/tests/test_helpers.py _____________',
      'import file mismatch:',
      "imported module 'test_helpers' has this __file__ attribute:",
      '  /icon4py/model/common/tests/math_tests/test_helpers.py',
      'which is not the same as the test file we want to collect:',
      '  /icon4py/model/testing/tests/test_helpers.py',
      'HINT: remove __pycache__ / .pyc files and/or use a unique basename for your test file modules',
      '=========================== short test summary info ============================',
      'ERROR model/testing/tests/test_helpers.py',
      '!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!',
    ].join('\n'));
    // Read as an error, the path alone was the paste's only record and the message above it was never read.
    expect(p.records.some((r) => r.message.startsWith("imported module 'test_helpers' has this __file__ attribute"))).toBe(true);
  });

  it('still reads an ERROR summary line that carries a message', () => {
    const p = parse('=========================== short test summary info ============================\nERROR tests/test_db.py::test_insert - sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection refused');
    expect(p.records.at(-1)).toMatchObject({ type: 'sqlalchemy.exc.OperationalError' });
  });
});

describe('a class named in prose that the writer gets (gaps8-db)', () => {
  const types = (text: string, known: string[]) => parse(text, known).records.filter((r) => r.type).map((r) => [r.type, r.quoted === true]);

  it('reads the class a report says is raised, as a quoted record without a message', () => {
    // Written as https://github.com/lablup/backend.ai/issues/8468 (its description's first sentence).
    const text = '`AgentDBSource.get_by_id()` raises a `MissingGreenlet` error when accessing the kernels relationship despite using selectinload.';
    expect(types(text, ['MissingGreenlet'])).toEqual([['MissingGreenlet', true]]);
  });

  it('reads the class after "experiencing", not after the noun (gaps16-app)', () => {
    // As written in https://github.com/bowtiedbluefin/morpheus-STT/blob/52804f1cb6d6c9f1f2836b07f988b61d4153db1c/CONCURRENCY_FIXES.md
    const text = '**Problem:** The server was experiencing `httpx.ConnectTimeout` errors when uploading results to presigned URLs. The error messages were truncated and not informative.';
    expect(types(text, ['ConnectTimeout'])).toEqual([['httpx.ConnectTimeout', true]]);
    expect(types('In my experience a DetachedInstanceError means the session is gone', ['DetachedInstanceError'])).toEqual([]);
  });

  it('reads a per-SQLSTATE class no fault names by type, in any script around it', () => {
    expect(types('バッチ投入でNumericValueOutOfRangeが発生しました', [])).toEqual([['NumericValueOutOfRange', true]]);
  });

  it('leaves a class that was fixed, or named by code, or unknown', () => {
    expect(types('fixed the DetachedInstanceError in the digest task by eager-loading owner', ['DetachedInstanceError'])).toEqual([]);
    expect(types('here we get it:\nexcept MultipleResultsFound:\n    raise', ['MultipleResultsFound'])).toEqual([]);
    expect(types('we get SomethingWeirdError when the cron runs', ['DetachedInstanceError'])).toEqual([]);
    expect(types('the sqlalchemy.orm.DetachedInstanceErrorX is what we get', ['DetachedInstanceError'])).toEqual([]);
  });
});

describe('a traceback cut in its raising frame, no literal message (gaps8-db)', () => {
  // Adapted from https://github.com/rhoboro/async-fastapi-sqlalchemy/issues/2: cut after the
  // raising frame (the exception line below it dropped), and once more inside the class name.
  const frames = [
    'Traceback (most recent call last):',
    '  File "/mnt/projects/testProj/repos/webapp/backend/.venv/lib/python3.9/site-packages/sqlalchemy/dialects/postgresql/asyncpg.py", line 479, in execute',
    '    self._adapt_connection.await_(',
    '  File "/mnt/projects/testProj/repos/webapp/backend/.venv/lib/python3.9/site-packages/sqlalchemy/util/_concurrency_py3k.py", line 59, in await_only',
  ];
  const known = ['MissingGreenlet', 'NoSuchColumnError', 'NoSuchModuleError'];
  const raised = (last: string) => parse([...frames, last].join('\n'), known).records.filter((r) => r.kind === 'exception').map((r) => [r.type, r.message, r.frames.length]);

  it('reads the class a multi-line raise opens, without a message', () => {
    expect(raised('    raise exc.MissingGreenlet(')).toEqual([['MissingGreenlet', '', 2]]);
  });

  it('completes a class name cut short when one known class starts so', () => {
    expect(raised('    raise exc.Missin')).toEqual([['MissingGreenlet', '', 2]]);
  });

  it('leaves a cut name several classes share, a short stub, and an unknown class', () => {
    expect(raised('    raise exc.NoSuch')).toEqual([]);
    expect(raised('    raise exc.Miss')).toEqual([]);
    expect(raised('    raise SomethingElseError(')).toEqual([]);
  });
});

describe('a traceback shifted right as a whole by fewer than four columns (gaps21-db)', () => {
  // A Linear issue archived with its log one column in (frames at 3, source lines at 5, exception
  // lines at 1), as the archive holds it, `\_` escapes and all:
  // https://github.com/susansomerset/astral/blob/d072e3dc5a8a4b9c71cf37b8aacfc201904b7544/docs/features/dispatcher/ast-1825-somerset-select-job-page-interrupted-1-errors-30-processed-select-job-page-903ff01b-8669-4f0a-bfe8-cc088707621f.md
  // (the dispatch timeout's traceback, cut to its last two frames and the next log line).
  const shifted = ' Traceback (most recent call last):\n   File "/root/.nix-profile/lib/python3.12/asyncio/tasks.py", line 464, in wait\n     return await \\_wait(fs, timeout, return_when, loop)\n            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n   File "/root/.nix-profile/lib/python3.12/asyncio/tasks.py", line 550, in \\_wait\n     await waiter\n asyncio.exceptions.CancelledError\n\nThe above exception was the direct cause of the following exception:\n';

  it('reads the bare exception line left of the frames, right below the last one, as their exception', () => {
    const p = parse(shifted);
    expect(p.records.map((r) => [r.type, r.message])).toEqual([['asyncio.exceptions.CancelledError', '']]);
    expect(p.records[0]?.frames.map((f) => [f.line, f.code])).toEqual([[464, 'return await \\_wait(fs, timeout, return_when, loop)'], [550, 'await waiter']]);
  });

  it('reads no class-like line that is not where Python prints the exception line', () => {
    // At the frames' own indentation or right of them it is a frame's line, not the exception's.
    expect(parse(shifted.replace(' asyncio.exceptions.CancelledError', '   asyncio.exceptions.CancelledError')).records.map((r) => r.type)).not.toContain('asyncio.exceptions.CancelledError');
    // After a blank line, the traceback is over: a poster's word below it is not its exception.
    expect(parse(shifted.replace(' asyncio.exceptions.CancelledError', '\n Cancelled')).records.map((r) => r.type).filter(Boolean)).toEqual([]);
    // A sentence is no exception line.
    expect(parse(shifted.replace(' asyncio.exceptions.CancelledError', ' then it hangs')).records.map((r) => r.type).filter(Boolean)).toEqual([]);
  });
});
