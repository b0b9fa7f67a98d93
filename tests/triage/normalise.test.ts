import { describe, expect, it } from 'vitest';
import { MAX_INPUT_BYTES, MAX_LINE_CHARS, normaliseInput, stripLinePrefix } from '../../bot/triage/normalise.js';

describe('normaliseInput', () => {
  it('undoes Slack escaping, links and mentions', () => {
    const n = normaliseInput('<@U024BE7LH> help: a &lt; b &amp;&amp; c &gt; d, see <https://sqlalche.me/e/20/xd2s> and <https://docs.example.com/x|the docs> in <#C0123|backend>');
    expect(n.text).toBe(' help: a < b && c > d, see https://sqlalche.me/e/20/xd2s and the docs (https://docs.example.com/x) in #backend');
  });

  it('removes code fences, ANSI colours and CRLF', () => {
    const n = normaliseInput('```python\r\n\x1b[31mValueError\x1b[0m: boom\r\n```');
    expect(n.lines.filter(Boolean)).toEqual(['ValueError: boom']);
  });

  it('keeps pytest source markers but drops Slack quote markers', () => {
    const n = normaliseInput('> sqlalchemy.exc.NoResultFound: No row was found when one was required\n>       assert user.id == 1');
    expect(n.lines).toEqual(['sqlalchemy.exc.NoResultFound: No row was found when one was required', '>       assert user.id == 1']);
  });

  it.each([
    ['2025-03-14 09:12:44,871 ERROR [app.api.users] ValueError: x', 'ValueError: x', true, 'app.api.users'],
    ['ERROR:    Exception in ASGI application', 'Exception in ASGI application', true, undefined],
    ['[2025-03-14 09:12:44 +0000] [12] [ERROR] Worker failed', 'Worker failed', true, undefined],
    ['api-1  | 2025-03-14T09:12:44.871Z INFO started', 'started', false, undefined],
    ['INFO:     127.0.0.1:5000 - "GET / HTTP/1.1" 200 OK', '127.0.0.1:5000 - "GET / HTTP/1.1" 200 OK', false, undefined],
    ['    return user.organization.name', '    return user.organization.name', false, undefined],
    // alembic's env.py template logs under `alembic.env`, its runner under `alembic.runtime.migration`
    ['ERROR [alembic.env] Migration failed due to programming error: (psycopg2.errors.DuplicateObject) type "x" already exists', 'Migration failed due to programming error: (psycopg2.errors.DuplicateObject) type "x" already exists', true, 'alembic.env'],
    ['INFO  [alembic.runtime.migration] Will assume transactional DDL.', 'Will assume transactional DDL.', false, 'alembic.runtime.migration'],
    ['INFO:httpx:HTTP Request: GET http://localhost:11434/api/tags "HTTP/1.1 200 OK"', 'HTTP Request: GET http://localhost:11434/api/tags "HTTP/1.1 200 OK"', false, 'httpx'],
    ['app.worker - ERROR - boom', 'boom', true, 'app.worker'],
    ['[ERROR] boom', 'boom', true, undefined],
    // PostgreSQL's log with log_timezone's abbreviation (https://github.com/cetic/helm-zabbix/issues/46)
    ['2022-03-04 14:14:45.835 GMT [108] FATAL:  password authentication failed for user "zabbix"', 'FATAL:  password authentication failed for user "zabbix"', false, undefined],
    ['2022-03-04 14:14:37.317 GMT [93] LOG:  database system was shut down at 2022-03-04 14:01:27 GMT', 'LOG:  database system was shut down at 2022-03-04 14:01:27 GMT', false, undefined],
    // ... but a level word after the time is the level, not a zone
    ['2025-03-14 09:12:44 ERROR app.db: boom', 'boom', true, 'app.db'],
  ])('strips the log prefix of %j', (line, rest, errorLevel, logger) => {
    expect(stripLinePrefix(line)).toStrictEqual(logger === undefined ? { line: rest, errorLevel } : { line: rest, errorLevel, logger });
  });

  it('keeps the distinct logger names of the prefixes it strips, for signature context', () => {
    const n = normaliseInput('INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.\nINFO  [alembic.runtime.migration] Will assume transactional DDL.\nERROR [alembic.env] Migration failed\n[12] [ERROR] Worker failed\nplain line');
    expect(n.loggers).toEqual(['alembic.runtime.migration', 'alembic.env']);
    expect(n.lines).not.toContain('INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.');
  });

  it('flags binary input instead of analysing it', () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const n = normaliseInput(bytes);
    expect(n.binary).toBe(true);
    expect(n.lines).toEqual([]);
  });

  it('flags text made of control characters as binary, the same as its bytes, and keeps coloured text', () => {
    // A terminal capture of a binary file pasted as text: no NUL, but one character in four a control.
    const garbled = Array.from({ length: 3000 }, (_, i) => (i % 4 === 0 ? String.fromCharCode(1 + (i % 7)) : 'é')).join('');
    expect(normaliseInput(garbled).binary).toBe(true);
    expect(normaliseInput(Buffer.from(garbled)).binary).toBe(normaliseInput(garbled).binary);
    // One control character in twenty is well under a tenth of the bytes: text with a stray control stays text.
    const sparse = Array.from({ length: 3000 }, (_, i) => (i % 20 === 0 ? '\x02' : 'é')).join('');
    expect(normaliseInput(sparse).binary).toBe(false);
    const coloured = '\x1b[31mERROR\x1b[0m: \x1b[1mValueError: bad\x1b[0m\n'.repeat(200);
    expect(normaliseInput(coloured).binary).toBe(false);
  });

  it('decodes invalid UTF-8 leniently and says so', () => {
    const n = normaliseInput(Buffer.concat([Buffer.from('ValueError: caf'), Buffer.from([0xe9, 0xff]), Buffer.from('\n')]));
    expect(n.binary).toBe(false);
    expect(n.lines[0]).toMatch(/^ValueError: caf/);
    expect(n.notes.join(' ')).toMatch(/not valid UTF-8/);
  });

  it('keeps the head and the tail of a huge paste and says so', () => {
    const big = `first line\n${'x'.repeat(100)}\n`.repeat(60_000) + 'sqlalchemy.exc.NoResultFound: No row was found when one was required\n';
    const n = normaliseInput(big);
    expect(n.truncated).toBe(true);
    expect(n.text.length).toBeLessThanOrEqual(MAX_INPUT_BYTES + 1);
    expect(n.lines.at(-2)).toBe('sqlalchemy.exc.NoResultFound: No row was found when one was required');
    expect(n.notes.join(' ')).toMatch(/only its first/);
  });

  it('cuts overlong lines before any regex sees them', () => {
    const n = normaliseInput(`ValueError: ${'a'.repeat(1_000_000)}`);
    expect(Math.max(...n.lines.map((l) => l.length))).toBeLessThanOrEqual(MAX_LINE_CHARS);
  });
});

describe('Celery worker log prefix', () => {
  it.each([
    // https://github.com/SuperCoopBerlin/tapir/pull/485 (the Celery container's log)
    ["[2024-02-27 12:00:00,017: ERROR/MainProcess] Received unregistered task of type 'tapir.accounts.tasks.send_create_account_reminder'.", "Received unregistered task of type 'tapir.accounts.tasks.send_create_account_reminder'.", true],
    // https://github.com/fossasia/eventyay/issues/745 (behind docker compose's own prefix)
    ["eventyay-ticket  | [2025-06-14 18:50:01,750: ERROR/MainProcess] Received unregistered task of type 'pretix.base.services.notifications.notify'", "Received unregistered task of type 'pretix.base.services.notifications.notify'", true],
    ['[2015-07-31 09:48:04,740: WARNING/MainProcess] celery@sentry ready.', 'celery@sentry ready.', false],
  ])('strips %j', (line, rest, errorLevel) => {
    expect(stripLinePrefix(line)).toEqual({ line: rest, errorLevel });
  });

  it('makes the prefixed error line a record even when a traceback follows it', () => {
    // tapir#485's log line, with the worker's traceback under it (written: the thread's traceback is cut)
    const n = normaliseInput([
      "[2024-02-27 12:00:00,017: ERROR/MainProcess] Received unregistered task of type 'tapir.accounts.tasks.send_create_account_reminder'.",
      'The message has been ignored and discarded.',
      '',
      'Traceback (most recent call last):',
      '  File "/usr/lib/python3/dist-packages/celery/worker/consumer/consumer.py", line 658, in on_task_received',
      '    strategy = strategies[type_]',
      "KeyError: 'x'",
    ].join('\n'));
    expect(n.errorLevel[0]).toBe(true);
    expect(n.lines[0]).toMatch(/^Received unregistered task of type/);
  });
});

describe('Markdown bold around pasted output', () => {
  it('removes a bold run that wraps several lines of output', () => {
    const n = normaliseInput('the logs are:\n**[CRITICAL] WORKER TIMEOUT (pid:7)\nBooting worker with pid: 9**');
    expect(n.lines).toEqual(['the logs are:', 'WORKER TIMEOUT (pid:7)', 'Booting worker with pid: 9']);
    expect(n.errorLevel[1]).toBe(true);
  });

  it('removes bold around one line of output', () => {
    expect(normaliseInput('**ValueError: boom**').lines).toEqual(['ValueError: boom']);
  });

  it.each([
    // a Markdown label, Elixir's error banner, Python's **kwargs, a lone opener with nothing to close it
    ['**Level:** error\n**Logger:** uvicorn.error'],
    ['** (Postgrex.Error) ERROR 42P01 (undefined_table) relation "users" does not exist'],
    ['    return func(*args, **kwargs)\n**kwargs are passed on'],
    ['**note\nno closer here'],
  ])('leaves %j alone', (text) => {
    expect(normaliseInput(text).lines).toEqual(text.split('\n'));
  });
});
