import pg from 'pg';
import { StoreUnavailableError } from '../store-health.js';

export type SqlValue = string | number | boolean | null;
export type NamedParams = Record<string, SqlValue>;

/** A connection or the pool: what both `query` and a transaction body run on. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

// Integers come back as numbers: ids, counts and times (ms since the epoch) stay far below 2^53.
// BIGINT (20) and NUMERIC (1700, what sum(bigint) returns) are strings by default.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
};

export interface PoolOptions {
  url: string;
  max?: number;
  /** Per statement (ms): a lock held elsewhere fails the statement instead of stalling the bot. */
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  connectTimeoutMs?: number;
}

export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    lock_timeout: options.lockTimeoutMs ?? 2000,
    application_name: 'faultline',
    // Session settings sent at connect. The digest's queries are short aggregations over
    // rollups: JIT compilation (on by default since PostgreSQL 12, triggered by their estimated
    // cost) costs more than it saves, and the DISTINCT over a week of (fault, user) pairs must
    // not spill to disk at the 4 MB default.
    options: '-c jit=off -c work_mem=32MB',
    types,
  });
  // An idle connection dropped by the server emits here; without a listener it would crash the
  // process. The next query reconnects.
  pool.on('error', () => {});
  return pool;
}

/**
 * `:name` placeholders to `$n` (the same name, the same number), so the SQL shared with SQLite
 * (occurrence-stats.ts) runs unchanged. `::type` casts are left alone.
 */
export function toPositional(sql: string, params: NamedParams): { text: string; values: SqlValue[] } {
  const order = new Map<string, number>();
  const values: SqlValue[] = [];
  const text = sql.replace(/(?<![:\w]):([A-Za-z_]\w*)/g, (_, name: string) => {
    let n = order.get(name);
    if (n === undefined) {
      if (!(name in params)) throw new Error(`missing SQL parameter :${name}`);
      values.push(params[name] as SqlValue);
      n = values.length;
      order.set(name, n);
    }
    return `$${n}`;
  });
  return { text, values };
}

/**
 * Errors that are not PostgreSQL's own (no SQLSTATE: refused connection, reset, pool timeout)
 * mean the database cannot be reached; they become StoreUnavailableError so the bot degrades
 * instead of treating them as bugs.
 */
export function asStoreError(err: unknown): unknown {
  // The client's own connection failures are plain Errors (a refused or reset socket, "Connection
  // terminated", a pool timeout), or an AggregateError when every address of a host refused.
  // Anything of another class (pg.DatabaseError, SchemaTooNewError, TypeError...) is passed on.
  const plain = err instanceof Error && (err.constructor === Error || err instanceof AggregateError);
  return plain ? new StoreUnavailableError('database unreachable', { cause: err }) : err;
}

export async function query<T>(db: Queryable, text: string, values: readonly unknown[] = []): Promise<T[]> {
  try {
    const res = await db.query(text, values as unknown[]);
    return res.rows as T[];
  } catch (err) {
    throw asStoreError(err);
  }
}

export async function run(db: Queryable, text: string, values: readonly unknown[] = []): Promise<number> {
  try {
    const res = await db.query(text, values as unknown[]);
    return res.rowCount ?? 0;
  } catch (err) {
    throw asStoreError(err);
  }
}

/** BEGIN ... COMMIT on one connection; rolled back on any error. */
export async function transaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw asStoreError(err);
  }
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true;
    }
    throw asStoreError(err);
  } finally {
    client.release(broken);
  }
}
