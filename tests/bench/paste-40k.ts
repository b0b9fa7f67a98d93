/**
 * A 40 KB paste as people send them when something breaks in production: a long traceback
 * through SQLAlchemy, asyncpg and FastAPI frames, JSON log lines around it, an env dump and a
 * handful of credentials in the usual places. Deterministic, so figures compare across runs.
 */
export function paste40k(seed = 7): string {
  let s = seed >>> 0;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('');
  const parts: string[] = [];
  let size = 0;
  const push = (line: string) => {
    parts.push(line);
    size += line.length + 1;
  };
  let i = 0;
  while (size < 40 * 1024) {
    const n = i++;
    switch (n % 9) {
      case 0:
        push(`  File "/app/.venv/lib/python3.12/site-packages/sqlalchemy/engine/base.py", line ${1800 + n}, in _exec_single_context`);
        push('    self.dialect.do_execute(');
        break;
      case 1:
        push(`  File "/app/app/api/orders.py", line ${40 + (n % 60)}, in list_orders`);
        push('    rows = await session.execute(select(Order).where(Order.customer_id == customer_id))');
        break;
      case 2:
        push(`{"ts":"2024-05-01T10:00:${String(n % 60).padStart(2, '0')}Z","level":"error","request_id":"${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}","path":"/api/orders/${n}","status":500,"duration_ms":${n * 3}}`);
        break;
      case 3:
        push(`asyncpg.exceptions.UniqueViolationError: duplicate key value violates unique constraint "orders_pkey"`);
        push(`DETAIL:  Key (id)=(${n}) already exists.`);
        break;
      case 4:
        push(`[SQL: INSERT INTO orders (id, customer_id, total) VALUES ($1::INTEGER, $2::INTEGER, $3::NUMERIC)]`);
        push(`[parameters: (${n}, ${n * 7}, '19.99')]`);
        break;
      case 5:
        push(`2024-05-01 10:00:01,123 WARNING [worker-${n % 8}] commit ${hex(40)} deployed; retrying task ${hex(32)}`);
        break;
      case 6:
        push(`  File "/app/.venv/lib/python3.12/site-packages/starlette/middleware/errors.py", line 165, in __call__`);
        push('    await self.app(scope, receive, _send)');
        break;
      case 7:
        if (n % 63 === 7) {
          push(`DATABASE_URL=postgresql+asyncpg://orders:${hex(12)}@db.internal:5432/orders`);
          push(`Authorization: Bearer ${hex(40)}`);
          push(`PGPASSWORD=${hex(16)} psql -h db.internal -U orders`);
          push(`contact: ops-${n}@example.co.jp`);
        } else {
          push(`sqlalchemy.exc.IntegrityError: (sqlalchemy.dialects.postgresql.asyncpg.IntegrityError) <class 'asyncpg.exceptions.UniqueViolationError'>`);
        }
        break;
      default:
        push(`HOSTNAME=api-${hex(6)} PYTHONPATH=/app LANG=C.UTF-8 WORKERS=${n % 16}`);
    }
  }
  return parts.join('\n');
}
