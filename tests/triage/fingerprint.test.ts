import { describe, expect, it } from 'vitest';
import { computeFingerprint, FINGERPRINT_VERSION, normaliseMessage, stableFramePath } from '../../bot/triage/fingerprint.js';
import { normaliseInput } from '../../bot/triage/normalise.js';
import { parsePaste } from '../../bot/triage/parse.js';
import { fixture, shippedEngine } from '../helpers.js';

/** The fingerprint the bot stores: through the whole engine. */
const viaEngine = (paste: string) => shippedEngine().diagnose(paste, { lang: 'en' }).fingerprint;
/** And straight from the parser, with the last exception as the primary record. */
function viaParser(paste: string): string {
  const parsed = parsePaste(normaliseInput(paste));
  let primary = parsed.records.length - 1;
  for (let i = parsed.records.length - 1; i >= 0; i--) {
    if (parsed.records[i]?.kind === 'exception') {
      primary = i;
      break;
    }
  }
  return computeFingerprint(parsed, primary);
}

function greenlet(o: { root?: string; venv?: string; py?: string; line?: number; file?: string; func?: string; addr?: string } = {}): string {
  const root = o.root ?? '/home/alice/proj';
  const venv = o.venv ?? `${root}/.venv`;
  const py = o.py ?? '3.12';
  const line = o.line ?? 41;
  return `Traceback (most recent call last):
  File "${venv}/lib/python${py}/site-packages/starlette/routing.py", line ${line + 35}, in app
    response = await func(request)
  File "${root}/app/api/${o.file ?? 'users.py'}", line ${line}, in ${o.func ?? 'read_user'}
    return UserRead.model_validate(user.organization)
  File "${venv}/lib/python${py}/site-packages/sqlalchemy/orm/attributes.py", line ${line + 525}, in __get__
    return self.impl.get(state, dict_)
  File "${venv}/lib/python${py}/site-packages/sqlalchemy/util/_concurrency_py3k.py", line ${line + 82}, in await_only
    raise exc.MissingGreenlet(
sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called; can't call await_only() here. Was IO attempted in an unexpected place? (Background on this error at: https://sqlalche.me/e/20/xd2s)`;
}

function detached(addr: string, line = 12): string {
  return `Traceback (most recent call last):
  File "/srv/app/app/services/billing.py", line ${line}, in charge
    total = invoice.customer.balance
sqlalchemy.orm.exc.DetachedInstanceError: Parent instance <Invoice at ${addr}> is not bound to a Session; lazy load operation of attribute 'customer' cannot proceed (Background on this error at: https://sqlalche.me/e/20/bhk3)`;
}

function logLine(o: { time: string; id: string; uuid: string; ms: string }): string {
  return `${o.time} ERROR [app.worker] job ${o.uuid} failed: sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout ${o.ms} (order ${o.id})`;
}

function unique(o: { email: string; table?: string; constraint?: string; line?: number }): string {
  return fixture('chained-asyncpg-unique.txt')
    .replaceAll('ana@example.com', o.email)
    .replaceAll('users_email_key', o.constraint ?? 'users_email_key')
    .replace('line 33, in create_user', `line ${o.line ?? 33}, in create_user`);
}

function chained(root: string): string {
  return `Traceback (most recent call last):
  File "/app/app/api/users.py", line 41, in create_user
    await session.commit()
${root}

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/app/app/api/users.py", line 45, in create_user
    raise HTTPException(status_code=500) from err
fastapi.exceptions.HTTPException: 500: Internal Server Error`;
}

// Pairs that are the same error from the same place: they must count as one recurring error.
const MUST_COLLIDE: [string, string, string][] = [
  ['different virtualenv and project paths', greenlet(), greenlet({ root: '/srv/app', venv: '/opt/venvs/app-3f9a', py: '3.11' })],
  ['different line numbers', greenlet({ line: 41 }), greenlet({ line: 58 })],
  ['Windows and POSIX paths of the same project', greenlet(), greenlet({ root: 'C:\\\\Users\\\\alice\\\\proj', venv: 'C:\\\\Users\\\\alice\\\\proj\\\\.venv' })],
  ['different object addresses', detached('0x7f3a2c1b5e50'), detached('0x10a4be2d0', 19)],
  [
    'different timestamps, ids, UUIDs and numbers in a log line',
    logLine({ time: '2024-05-02 10:11:12,345', id: '8812', uuid: '9f1c2b7e-3d4a-4b5c-8d6e-7f8091a2b3c4', ms: '30.00' }),
    logLine({ time: '2024-06-30T23:59:01.002Z', id: '10233', uuid: '0b2e8f4a-1c3d-4e5f-9a7b-6c5d4e3f2a1b', ms: '10.00' }),
  ],
  ['different user data in the DETAIL and parameters', unique({ email: 'ana@example.com' }), unique({ email: 'bob.smith+test@corp.example.org', line: 35 })],
];

// Pairs that differ in what went wrong or where: they must stay apart.
const MUST_NOT_COLLIDE: [string, string, string][] = [
  ['another failing user frame', greenlet(), greenlet({ file: 'orders.py', func: 'list_orders' })],
  ['another function in the same file', greenlet(), greenlet({ func: 'update_user' })],
  ['another root exception under the same final one', chained('asyncpg.exceptions.UniqueViolationError: duplicate key value violates unique constraint "users_email_key"'), chained('asyncpg.exceptions.ForeignKeyViolationError: insert or update on table "users" violates foreign key constraint "users_org_fkey"')],
  ['another exception type with the same message', 'ValueError: invalid literal for int() with base 10', 'TypeError: invalid literal for int() with base 10'],
  ['another constraint', unique({ email: 'ana@example.com' }), unique({ email: 'ana@example.com', constraint: 'users_username_key' })],
  ['another attribute named in the message', detached('0x7f3a2c1b5e50'), detached('0x7f3a2c1b5e50').replace("attribute 'customer'", "attribute 'lines'")],
];

describe('fingerprints', () => {
  it('are versioned', () => {
    expect(viaEngine(greenlet())).toMatch(new RegExp(`^v${FINGERPRINT_VERSION}:[0-9a-f]{16}$`));
  });

  describe.each([
    ['through the engine', viaEngine],
    ['from the parser', viaParser],
  ])('%s', (_how, fingerprint) => {
    it.each(MUST_COLLIDE)('collide: %s', (_name, a, b) => {
      expect(fingerprint(a)).toBe(fingerprint(b));
    });
    it.each(MUST_NOT_COLLIDE)('stay apart: %s', (_name, a, b) => {
      expect(fingerprint(a)).not.toBe(fingerprint(b));
    });
  });

  it('are the same after redaction of the stored excerpt, so examples regroup', async () => {
    const { redact } = await import('../../bot/redact/redact.js');
    const paste = unique({ email: 'ana@example.com' });
    expect(viaEngine(redact(paste).text)).toBe(viaEngine(paste));
  });
});

describe('fingerprint helpers', () => {
  it('keep quoted identifiers and drop quoted data', () => {
    expect(normaliseMessage("has no attribute 'organization'")).toBe("has no attribute 'organization'");
    expect(normaliseMessage("invalid input 'hello world!'")).toBe('invalid input <str>');
  });

  it('drop the values of a PostgreSQL key detail, keeping its columns', () => {
    expect(normaliseMessage('DETAIL:  Key (org_id, slug)=(7, a(b)c) already exists.')).toBe('DETAIL: Key (org_id, slug)=(<v>) already exists.');
    expect(normaliseMessage('Key (x) is odd')).toBe('Key (x) is odd');
  });

  it('reduce library paths to the package path and project paths to their tail', () => {
    expect(stableFramePath('/opt/venv/lib/python3.11/site-packages/sqlalchemy/orm/session.py')).toBe('sqlalchemy/orm/session.py');
    expect(stableFramePath('/home/alice/proj/app/api/users.py')).toBe('app/api/users.py');
  });
});
