import { describe, expect, it } from 'vitest';
import { shippedEngine } from '../helpers.js';

// The classes of miss of held-out-20's first run (tests/corpus/names/held-out-20.yaml header), each tested on a real paste
// from ANOTHER public thread than the corpus line that exposed it (its URL in the comment; none is in tests/corpus or knowledge/).
const engine = shippedEngine();
function names(text: string): Map<string, { value: string; guess: boolean }> {
  return new Map(engine.diagnose(text).entities.names.map((n) => [n.role as string, { value: n.value, guess: n.guess }]));
}

describe('held-out-20 classes of miss, on pastes from other threads', () => {
  it('an alias the logged SQL defines (`FROM "user" AS "t1"`) is given as its table, never as a table of its own', () => {
    // https://github.com/quay/quay-operator/issues/209 (the peewee debug line trimmed to eight of its columns, and the error line)
    const d = engine.diagnose(`2020-05-06 06:43:40,861 [61] [DEBUG] [peewee] ('SELECT "t1"."id", "t1"."uuid", "t1"."username", "t1"."password_hash", "t1"."email", "t1"."given_name", "t1"."family_name", "t1"."company" FROM "user" AS "t1" LIMIT %s', [1])
ProgrammingError: column t1.given_name does not exist`);
    const got = new Map(d.entities.names.map((n) => [n.role as string, n.value]));
    expect(got.get('table')).toBe('user');
    expect(got.get('column')).toBe('given_name');
    expect(d.entities.names.some((n) => n.value === 't1')).toBe(false);
    expect(d.entities.captures.table).toBe('user');
  });

  it("PostgreSQL's `constraint \"x\" of relation \"t\" does not exist` names the constraint and its table", () => {
    // https://github.com/noahkw/acmetk/pull/116 (the PR description's sentence and error line, as posted)
    const got = names(`\`alembic upgrade head\` from an empty database fails on the \`keychange\` migration (\`da620267c2f6\`):

psycopg2.errors.UndefinedObject: constraint "orders_account_kid_fkey" of relation "orders" does not exist`);
    expect(got.get('constraint')?.value).toBe('orders_account_kid_fkey');
    expect(got.get('table')?.value).toBe('orders');
  });

  it('the same wording through asyncpg, below the frames of an async migration', () => {
    // https://github.com/lablup/backend.ai/issues/8445 (the last frames and the error line as the excerpt shows them)
    const got = names(`  File "/home/jopemachine/.local/backend.ai/repos/main2/dist/export/python/virtualenvs/python-default/3.13.7/lib/python3.13/site-packages/sqlalchemy/dialects/postgresql/asyncpg.py", line 797, in _handle_exception
    raise translated_error from error
sqlalchemy.dialects.postgresql.asyncpg.AsyncAdapt_asyncpg_dbapi.ProgrammingError: <class 'asyncpg.exceptions.UndefinedObjectError'>: constraint "uq_object_permissions_entity_id_operation" of relation "object_permissions" does not exist`);
    expect(got.get('constraint')?.value).toBe('uq_object_permissions_entity_id_operation');
    expect(got.get('table')?.value).toBe('object_permissions');
  });
});
