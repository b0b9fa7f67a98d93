import { beforeAll, describe, expect, it } from 'vitest';
import { loadEngineQuick } from '../../bot/kb/snapshot.js';
import { diagnosisToJson } from '../../bot/render/json.js';
import { buildFaultReply } from '../../bot/render/blocks.js';
import { renderTerminal } from '../../bot/render/terminal.js';
import type { Engine } from '../../bot/triage/diagnose.js';

// The crash that ends a FastAPI worker's log: uvicorn logs the traceback of a lazy load on an
// AsyncSession (the frames of SQLAlchemy 2.0.x on Python 3.12).
const CRASH = `2026-03-14 09:41:07,512 ERROR uvicorn.error: Exception in ASGI application
Traceback (most recent call last):
  File "/app/.venv/lib/python3.12/site-packages/uvicorn/protocols/http/httptools_impl.py", line 409, in run_asgi
    result = await app(  # type: ignore[func-returns-value]
  File "/app/.venv/lib/python3.12/site-packages/fastapi/routing.py", line 301, in app
    raw_response = await run_endpoint_function(
  File "/app/app/api/users.py", line 42, in read_user
    return UserOut(id=user.id, organization=user.organization.name)
  File "/app/.venv/lib/python3.12/site-packages/sqlalchemy/orm/attributes.py", line 566, in __get__
    return self.impl.get(state, dict_)  # type: ignore[no-any-return]
  File "/app/.venv/lib/python3.12/site-packages/sqlalchemy/orm/strategies.py", line 1130, in _emit_lazyload
    result = session.execute(
  File "/app/.venv/lib/python3.12/site-packages/sqlalchemy/engine/default.py", line 941, in do_execute
    cursor.execute(statement, parameters)
  File "/app/.venv/lib/python3.12/site-packages/sqlalchemy/dialects/postgresql/asyncpg.py", line 568, in execute
    self._adapt_connection.await_(
  File "/app/.venv/lib/python3.12/site-packages/sqlalchemy/util/_concurrency_py3k.py", line 123, in await_only
    raise exc.MissingGreenlet(
sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called; can't call await_only() here. Was IO attempted in an unexpected place? (Background on this error at: https://sqlalche.me/e/20/xd2s)`;

// Errors a busy service logs all morning before it crashes: each with its own ids and numbers.
const EARLIER = [
  (i: number) => `ERROR app.payments: charge failed for order ${10_230 + i}: provider timeout after 30s`,
  (i: number) => `ERROR app.api.users: user ${9_800 + i * 7} not found`,
  (i: number) => `ERROR app.worker: job ${77_100 + i} failed: ConnectionRefusedError: [Errno 111] Connect call failed ('10.0.0.${5 + (i % 3)}', 6379)`,
  (i: number) => `ERROR app.mail: could not send receipt to customer ${i * 13}: SMTP 451 temporary failure`,
  (i: number) => `WARNING app.cache: redis read of key session:${(i * 2_654_435_761).toString(16).slice(0, 8)} timed out, falling back to the database`,
];

function stamp(i: number): string {
  return `2026-03-14 ${String(8 + Math.floor(i / 3600)).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},${String((i * 37) % 1000).padStart(3, '0')}`;
}

function longLog(errorRecords: number): string {
  const lines: string[] = [];
  for (let i = 0; i < errorRecords; i++) {
    lines.push(`${stamp(i * 9)} INFO uvicorn.access: 10.0.3.${i % 250}:51234 - "GET /api/users/${i} HTTP/1.1" 200`);
    lines.push(`${stamp(i * 9 + 4)} ${(EARLIER[i % EARLIER.length] as (i: number) => string)(i)}`);
  }
  return lines.join('\n');
}

describe('a long log ending in a crash', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = (await loadEngineQuick()).engine;
  });

  it('diagnoses the final crash after 200 earlier error records, and counts the other distinct errors', () => {
    const d = engine.diagnose(`${longLog(200)}\n${CRASH}`);
    expect(d.match?.id).toBe('sqlalchemy.missing-greenlet');
    expect(d.error?.type).toBe('sqlalchemy.exc.MissingGreenlet');
    // Four distinct errors repeated 40 times each, told apart after replacing ids and numbers;
    // the warnings are not counted.
    expect(d.otherDistinct).toBe(4);
    expect(d.others.map((o) => o.message)).toContain('user 11172 not found');
    expect(renderTerminal(d, { color: false })).toContain('The paste holds 4 other distinct errors');
    expect(JSON.stringify(buildFaultReply(d).blocks)).toContain('The paste holds 4 other distinct errors');
    expect((diagnosisToJson(d) as { otherDistinct: number }).otherDistinct).toBe(4);
  });

  it('still diagnoses the crash when a warning is the last line after it', () => {
    const after = `${stamp(9_999)} WARNING app.shutdown: worker 3 exited with pending tasks, 2 requests dropped`;
    const d = engine.diagnose(`${longLog(200)}\n${CRASH}\n${after}`);
    expect(d.match?.id).toBe('sqlalchemy.missing-greenlet');
    expect(d.error?.type).toBe('sqlalchemy.exc.MissingGreenlet');
  });

  it('keeps the crash when 250 error records follow it', () => {
    const d = engine.diagnose(`${CRASH}\n${longLog(250)}`);
    expect(d.match?.id).toBe('sqlalchemy.missing-greenlet');
  });
});
