import { describe, expect, it } from 'vitest';
import { normaliseInput } from '../../bot/triage/normalise.js';
import { parsePaste, readAgentClass } from '../../bot/triage/parse.js';

const parse = (text: string, known: string[] = []) => parsePaste(normaliseInput(text), new Set(known));

// New Relic's error report names the class `module:Class`; GSA's "Exception Investigation" issues
// paste it under a field label, below the message and above a traceback without its last line.
describe('an APM agent report that names the class as module:Class', () => {
  it('reads builtins:KeyError as KeyError (adapted from https://github.com/GSA/notifications-admin/issues/1398, trimmed)', () => {
    const p = parse(`**Error message:**
'access_token'
Path:  /sign-in
Exception:  builtins:KeyError

\`\`\`
Traceback (most recent call last):
File "/home/vcap/deps/0/python/lib/python3.9/site-packages/eventlet/greenthread.py", line 221, in main
File "/home/vcap/deps/0/python/lib/python3.9/site-packages/gunicorn/workers/geventlet.py", line 157, in handle
File "/home/vcap/deps/0/python/lib/python3.9/site-packages/gunicorn/workers/base_async.py", line 55, in handle
\`\`\`
`);
    const exceptions = p.records.filter((r) => r.kind === 'exception');
    expect(exceptions.map((r) => [r.type, r.shortType])).toEqual([['KeyError', 'KeyError']]);
  });

  it('keeps the module of a library class', () => {
    expect(readAgentClass('Exception', ' sqlalchemy.exc:NoResultFound', new Set())).toBe('sqlalchemy.exc.NoResultFound');
    expect(readAgentClass('Exception', 'psycopg2.errors:UniqueViolation', new Set())).toBe('psycopg2.errors.UniqueViolation');
  });

  it('leaves an ordinary exception line alone', () => {
    expect(readAgentClass('Exception', 'something went wrong: retry later', new Set())).toBeNull();
    expect(readAgentClass('Exception', 'step:Failed', new Set())).toBeNull();
    expect(readAgentClass('ValueError', 'builtins:KeyError', new Set())).toBeNull();
    const p = parse('Exception: config:Missing value for DATABASE_URL\n');
    expect(p.records.map((r) => [r.type, r.message])).toEqual([['Exception', 'config:Missing value for DATABASE_URL']]);
  });
});
