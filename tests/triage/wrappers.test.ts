import { describe, expect, it } from 'vitest';
import { normaliseInput } from '../../bot/triage/normalise.js';
import { parsePaste } from '../../bot/triage/parse.js';
import { unwrapPaste } from '../../bot/triage/wrappers.js';

// Each wrapper bot/triage/wrappers.ts undoes, tested on a REAL paste of that wrapper from a public
// thread that no corpus line comes from (sources on each test; trimmed where said).
const linesOf = (text: string): string[] => normaliseInput(text).lines.filter((l) => l !== '');
const exceptionOf = (text: string) => parsePaste(normaliseInput(text)).records.find((r) => r.kind === 'exception');

describe('paste-wide line prefixes', () => {
  it('kubectl logs --prefix (https://github.com/geerlingguy/ansible-for-kubernetes/issues/75)', () => {
    const paste = [
      '[pod/echo-req-7cfd7bf68f-nk5kr/hello] 172.17.0.1 - - [22/Nov/2020:17:19:05 +0000] "GET /test HTTP/1.1" 200 7269 "-" "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:83.0) Gecko/20100101 Firefox/83.0" "-"',
      '[pod/echo-req-7cfd7bf68f-dhrwd/hello] 172.17.0.1 - - [22/Nov/2020:17:22:01 +0000] "GET /anothertest HTTP/1.1" 200 7252 "-" "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:83.0) Gecko/20100101 Firefox/83.0" "-"',
    ].join('\n');
    expect(linesOf(paste).map((l) => l.slice(0, 24))).toEqual(['172.17.0.1 - - [22/Nov/2', '172.17.0.1 - - [22/Nov/2']);
  });

  it("Papertrail's Heroku drain, no colon after the dyno (https://github.com/Dallinger/Dallinger/issues/2733, trimmed)", () => {
    const paste = [
      'Apr 04 17:46:18 dlgr-4399267a app/web.1 Traceback (most recent call last):',
      'Apr 04 17:46:18 dlgr-4399267a app/web.1   File "/app/.heroku/python/lib/python3.7/site-packages/flask_sockets.py", line 40, in __call__',
      'Apr 04 17:46:18 dlgr-4399267a app/web.1     handler, values = adapter.match()',
      'Apr 04 17:46:18 dlgr-4399267a app/web.1   File "/app/.heroku/python/lib/python3.7/site-packages/werkzeug/routing.py", line 1945, in match',
      'Apr 04 17:46:18 dlgr-4399267a app/web.1     raise NotFound()',
      'Apr 04 17:46:18 dlgr-4399267a app/web.1 werkzeug.exceptions.NotFound: 404 Not Found: The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.',
    ].join('\n');
    const ex = exceptionOf(paste);
    expect(ex?.type).toBe('werkzeug.exceptions.NotFound');
    expect(ex?.frames.map((f) => f.func)).toEqual(['__call__', 'match']);
  });

  it('Heroku keeps each frame its indentation (https://github.com/OpenSourceHelpCommunity/OpenSourceHelpCommunity.github.io/issues/46, trimmed)', () => {
    const paste = [
      '2017-07-06T05:46:08.746218+00:00 app[web.1]:   File "/app/.heroku/python/lib/python2.7/site-packages/django/db/models/sql/query.py", line 517, in has_results',
      '2017-07-06T05:46:08.746218+00:00 app[web.1]:     return compiler.has_results()',
      '2017-07-06T05:46:08.746219+00:00 app[web.1]:   File "/app/.heroku/python/lib/python2.7/site-packages/django/db/models/sql/compiler.py", line 845, in has_results',
      '2017-07-06T05:46:08.746219+00:00 app[web.1]:     return bool(self.execute_sql(SINGLE))',
    ].join('\n');
    expect(linesOf(paste)).toEqual([
      '  File "/app/.heroku/python/lib/python2.7/site-packages/django/db/models/sql/query.py", line 517, in has_results',
      '    return compiler.has_results()',
      '  File "/app/.heroku/python/lib/python2.7/site-packages/django/db/models/sql/compiler.py", line 845, in has_results',
      '    return bool(self.execute_sql(SINGLE))',
    ]);
  });

  it("a CI log's RFC 3339 timestamps keep the frames' indentation (https://github.com/rust-lang/rust/pull/70776, trimmed)", () => {
    const paste = [
      "2020-04-04T19:03:56.6356391Z Cloning into 'rust-toolstate'...",
      '2020-04-04T19:03:57.3242892Z Traceback (most recent call last):',
      '2020-04-04T19:03:57.3243649Z   File "../../src/tools/publish_toolstate.py", line 305, in <module>',
      '2020-04-04T19:03:57.3243880Z     cur_datetime',
      '2020-04-04T19:03:57.3244135Z   File "../../src/tools/publish_toolstate.py", line 205, in update_latest',
      "2020-04-04T19:03:57.3245266Z     maintainers = ' '.join('@'+name for name in MAINTAINERS[tool])",
      "2020-04-04T19:03:57.3245676Z KeyError: u'rustc-dev-guide'",
    ].join('\n');
    const ex = exceptionOf(paste);
    expect(ex?.type).toBe('KeyError');
    expect(ex?.frames.map((f) => f.func)).toEqual(['<module>', 'update_latest']);
  });

  it('`docker service logs`, task id and node in the prefix (https://github.com/moby/moby/pull/28089, trimmed)', () => {
    const paste = [
      'jovial_bhabha.2.nsj65viveh8t@dev    | 1:C 10 Nov 02:13:28.502 # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf',
      'jovial_bhabha.1.ex9jdel9krtn@dev    |                 _._',
      'jovial_bhabha.3.0emnvq7gr6iu@dev    |            _.-``__ \'\'-._',
    ].join('\n');
    expect(normaliseInput(paste).lines).toEqual([
      '1:C 10 Nov 02:13:28.502 # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf',
      '                _._',
      "           _.-``__ ''-._",
    ]);
  });

  it("BuildKit's elapsed seconds, bare in buildx's failed-step excerpt (https://github.com/netboxlabs/netbox-custom-objects/issues/347, trimmed)", () => {
    const paste = [
      ' > [6/6] RUN DEBUG="true" SECRET_KEY="dummydummydummydummydummydummydummydummydummydummy"     /opt/netbox/venv/bin/python /opt/netbox/netbox/manage.py collectstatic --no-input:',
      '1.688   File "/opt/netbox/venv/lib/python3.12/site-packages/psycopg/connection.py", line 129, in connect',
      '1.688     raise type(last_ex)("\\n".join(lines)).with_traceback(None)',
      '1.688 django.db.utils.OperationalError: connection failed: connection to server at "127.0.0.1", port 5432 failed: Connection refused',
      '1.688   Is the server running on that host and accepting TCP/IP connections?',
    ].join('\n');
    const ex = exceptionOf(paste);
    expect(ex?.type).toBe('django.db.utils.OperationalError');
    // The hint under the message is read as its continuation once the seconds are gone.
    expect(ex?.message).toMatch(/Connection refused\n\s*Is the server running on that host/);
    expect(ex?.frames.map((f) => f.func)).toEqual(['connect']);
  });

  it("BuildKit's `#<step> <seconds>` with --progress=plain (https://github.com/saleor/saleor/issues/7856, trimmed)", () => {
    const paste = [
      ' > [stage-1 9/9] RUN SECRET_KEY=dummy STATIC_URL=/static/ python3 manage.py collectstatic --no-input:',
      '#19 0.577 Traceback (most recent call last):',
      '#19 0.577   File "manage.py", line 10, in <module>',
      '#19 0.577     execute_from_command_line(sys.argv)',
    ].join('\n');
    expect(linesOf(paste).slice(1)).toEqual(['Traceback (most recent call last):', '  File "manage.py", line 10, in <module>', '    execute_from_command_line(sys.argv)']);
  });

  it('leaves a line whose words only look like a prefix (a timestamp, then `exec ./x.sh:`) as normalise reads it', () => {
    // https://github.com/astuto/astuto/issues/475 is a corpus line; this is the same shape written.
    expect(linesOf('2025-10-02T16:00:04.513630336Z exec ./docker-entrypoint-prod.sh: exec format error')).toEqual(['exec ./docker-entrypoint-prod.sh: exec format error']);
  });

  it('needs most of the log to carry the prefix: one prefixed line among others is not a wrapper', () => {
    const text = 'see this:\nfoo\n[pod/a-1/b] bar\nbaz\nqux';
    expect(unwrapPaste(text)).toBe(text);
  });
});

describe('JSON log records', () => {
  it("Docker's json-file driver, one record a line (https://github.com/docker-library/docker/issues/224)", () => {
    const paste = [
      '{"log":"time=\\"2020-04-10T14:04:50.847156802Z\\" level=info msg=\\"Processing signal \'interrupt\'\\"\\n","stream":"stderr","time":"2020-04-10T14:04:50.847690847Z"}',
      '{"log":"time=\\"2020-04-10T14:04:50.847864698Z\\" level=info msg=\\"Daemon shutdown complete\\"\\n","stream":"stderr","time":"2020-04-10T14:04:50.847928047Z"}',
    ].join('\n');
    expect(linesOf(paste)).toEqual([
      'time="2020-04-10T14:04:50.847156802Z" level=info msg="Processing signal \'interrupt\'"',
      'time="2020-04-10T14:04:50.847864698Z" level=info msg="Daemon shutdown complete"',
    ]);
  });

  it("structlog's JSON lines, the traceback in `exception` (https://github.com/AndydeCleyre/nestedtextto, README's log.jsonl, trimmed)", () => {
    const paste = [
      '{"chat_id": 651321, "event": "receiving code", "user_first_name": "Andy", "user_id": 651321}',
      '{"chat_id": 651321, "event": "failed to delete message (it\'s probably gone already)", "exception": "Traceback (most recent call last):\\n  File \\"/home/andy/Code/colorcodebot/app/colorcodebot.py\\", line 278, in delete_after_delay\\n    bot.delete_message(message.chat.id, message.message_id)\\n  File \\"/home/andy/.local/share/venvs/84f7fb558856f9ccc2c54e3d122862b6/venv/lib/python3.10/site-packages/telebot/apihelper.py\\", line 179, in _check_result\\n    raise ApiTelegramException(method_name, result, result_json)\\ntelebot.apihelper.ApiTelegramException: A request to the Telegram API was unsuccessful. Error code: 400. Description: Bad Request: message to delete not found"}',
    ].join('\n');
    const lines = linesOf(paste);
    expect(lines[1]).toBe("failed to delete message (it's probably gone already)");
    expect(lines[2]).toBe('Traceback (most recent call last):');
    const ex = exceptionOf(paste);
    expect(ex?.type).toBe('telebot.apihelper.ApiTelegramException');
    expect(ex?.frames.map((f) => f.func)).toEqual(['delete_after_delay', '_check_result']);
  });

  it('Google Cloud Logging, the whole record on one line (https://github.com/gitarrg/lorrgs, a GAE entry kept in the repository; trimmed, frames as logged: flush left)', () => {
    const record = {
      insertId: '61788754000a0b8b43f0b2dc',
      logName: 'projects/lorrgs/logs/stderr',
      severity: 'ERROR',
      timestamp: '2021-10-26T22:55:16.658315Z',
      textPayload: 'Traceback (most recent call last):\nFile "/layers/google.python.pip/pip/lib/python3.9/site-packages/uvicorn/protocols/http/httptools_impl.py",line 375, in run_asgi\nresult = await app(self.scope, self.receive, self.send)\n File "/workspace/./lorgs/routes/api.py", line 45, in error\nraise ValueError("something went wrong!")\nValueError: something went wrong!',
    };
    const lines = linesOf(JSON.stringify(record));
    expect(lines[0]).toBe('Traceback (most recent call last):');
    expect(lines.at(-1)).toBe('ValueError: something went wrong!');
    const ex = exceptionOf(JSON.stringify(record));
    expect(ex?.message).toBe('something went wrong!');
    // Its frames were logged flush left (`File "...",line 375`, ` File "..."`): read as frames again.
    expect(ex?.frames.map((f) => f.func)).toEqual(['run_asgi', 'error']);
  });

  it("leaves an API's JSON body alone: FastAPI's 422 `detail` is no log record", () => {
    const body = '{"detail":[{"loc":["body","name"],"msg":"field required","type":"value_error.missing"}]}';
    expect(unwrapPaste(body)).toBe(body);
  });
});

describe('other whole-paste wrappers', () => {
  it("frames a log view wrote flush left are indented again (Heroku's dashboard, https://github.com/realpython/flask-boilerplate/issues/43, trimmed)", () => {
    const paste = [
      '2022-07-06T04:25:10.665448+00:00 app[web.1]: File "/app/.heroku/python/lib/python3.10/site-packages/gunicorn/app/wsgiapp.py", line 48, in load_wsgiapp',
      '2022-07-06T04:25:10.665449+00:00 app[web.1]: return util.import_app(self.app_uri)',
      '2022-07-06T04:25:10.665449+00:00 app[web.1]: File "/app/.heroku/python/lib/python3.10/site-packages/gunicorn/util.py", line 359, in import_app',
      '2022-07-06T04:25:10.665449+00:00 app[web.1]: mod = importlib.import_module(module)',
      '2022-07-06T04:25:10.665450+00:00 app[web.1]: File "<frozen importlib._bootstrap>", line 1050, in _gcd_import',
      '2022-07-06T04:25:10.665450+00:00 app[web.1]: File "<frozen importlib._bootstrap>", line 1027, in _find_and_load',
    ].join('\n');
    expect(linesOf(paste)).toEqual([
      '  File "/app/.heroku/python/lib/python3.10/site-packages/gunicorn/app/wsgiapp.py", line 48, in load_wsgiapp',
      '    return util.import_app(self.app_uri)',
      '  File "/app/.heroku/python/lib/python3.10/site-packages/gunicorn/util.py", line 359, in import_app',
      '    mod = importlib.import_module(module)',
      '  File "<frozen importlib._bootstrap>", line 1050, in _gcd_import',
      '  File "<frozen importlib._bootstrap>", line 1027, in _find_and_load',
    ]);
  });

  it('leaves one frame-like line in a sentence alone', () => {
    const text = 'File "app.py", line 3, in main is where it stops';
    expect(unwrapPaste(text)).toBe(text);
  });

  it("AWS Lambda's CloudWatch prefix keeps only the level (the Python runtime's `[LEVEL]\\t<time>\\t<request id>\\t` format; written, no real paste with the tabs kept found)", () => {
    expect(linesOf('[ERROR]\t2024-03-14T09:12:44.512Z\t1f0e6a1c-9b7d-4a47-8c43-2a6c1d0f5e11\tKeyError: \'Details\'')).toEqual(["KeyError: 'Details'"]);
  });

  it('a paste indented as a whole, as a Markdown code block (https://github.com/zooniverse/aggregation/issues/162, indented by four as Stack Overflow shows it)', () => {
    const paste = [
      '    Traceback (most recent call last):',
      '      File "/app/engine/text_aggregation.py", line 445, in <module>',
      '        project.__setup__()',
      '      File "/app/engine/aggregation_api.py", line 1494, in __postgres_connect__',
      '        raise psycopg2.OperationalError()',
      '    OperationalError',
    ].join('\n');
    const ex = exceptionOf(paste);
    expect(ex?.type).toBe('OperationalError');
    expect(ex?.frames).toHaveLength(2);
  });

  it('keeps a frames-only excerpt indented: its indentation is its own', () => {
    const frames = '    File "/app/x.py", line 3, in f\n        g()';
    expect(unwrapPaste(frames)).toBe(frames);
  });
});
