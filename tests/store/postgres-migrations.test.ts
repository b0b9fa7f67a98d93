import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../bot/store/postgres/open-postgres-store.js';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from '../../bot/store/postgres/migrations.js';
import { SchemaTooNewError } from '../../bot/store/migrations.js';
import { UserKeyError } from '../../bot/store/user-key.js';
import { StoreUnavailableError } from '../../bot/store/store-health.js';
import { createTestDatabase, HOW_TO_GET_POSTGRES, isCi, testDatabaseUrl } from './postgres-cluster.js';

const adminUrl = testDatabaseUrl();
const KEY = 'migration-test-user-key-0123456789';

describe.skipIf(!adminUrl && !isCi())('PostgreSQL migrations', () => {
  it('run once when several processes start together, and refuse a newer schema', async () => {
    if (!adminUrl) throw new Error(HOW_TO_GET_POSTGRES);
    const db = await createTestDatabase(adminUrl);
    try {
      const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore({ url: db.url, userKey: KEY })));
      for (const s of stores) await s.close();
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      const { rows } = await c.query('SELECT version FROM faultline_schema ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(Array.from({ length: PG_SCHEMA_VERSION }, (_, i) => i + 1));
      await c.query(`INSERT INTO faultline_schema (version, name) VALUES (${PG_SCHEMA_VERSION + 1}, 'from the future')`);
      await c.end();
      await expect(openPostgresStore({ url: db.url, userKey: KEY })).rejects.toThrow(SchemaTooNewError);
    } finally {
      await db.drop();
    }
  });

  it('bring the people of occurrences written under version 1 into the bitmaps of version 2', async () => {
    if (!adminUrl) throw new Error(HOW_TO_GET_POSTGRES);
    const db = await createTestDatabase(adminUrl);
    try {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      await c.query(`CREATE TABLE faultline_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
      await c.query((PG_MIGRATIONS[0] as { sql: string }).sql);
      await c.query(`INSERT INTO faultline_schema (version, name) VALUES (1, 'v1')`);
      const HOUR = 3_600_000;
      const start = Date.UTC(2025, 5, 1, 10, 30);
      // 40 occurrences over 40 hours: users u0-u6, channels c0-c2, two faults, a few without a user.
      const rows = Array.from({ length: 40 }, (_, i) => ({ at: start + i * HOUR + (i % 7) * 60_000, user: i % 5 === 4 ? null : `u${i % 7}`, channel: `c${i % 3}`, fault: i % 2 ? 'a.one' : 'b.two' }));
      for (const r of rows) {
        await c.query(`INSERT INTO occurrences (at, source, workspace, channel, user_key, fault_id, fingerprint) VALUES ($1, 'message', 'T1', $2, $3, $4, 'v1:x')`, [r.at, r.channel, r.user, r.fault]);
      }
      await c.end();
      const store = await openPostgresStore({ url: db.url, userKey: KEY });
      try {
        const period = { from: start + 5 * HOUR + 1234, to: start + 31 * HOUR + 17 };
        const inPeriod = rows.filter((r) => r.at >= period.from && r.at < period.to);
        const people = await store.stats.people(period);
        for (const key of ['a.one', 'b.two', '*']) {
          const mine = inPeriod.filter((r) => key === '*' || r.fault === key);
          expect(people.get(key), key).toEqual({ users: new Set(mine.flatMap((r) => (r.user ? [r.user] : []))).size, channels: new Set(mine.map((r) => r.channel)).size });
        }
      } finally {
        await store.close();
      }
    } finally {
      await db.drop();
    }
  });

  it('needs the shared user key, and says when the server cannot be reached', async () => {
    await expect(openPostgresStore({ url: 'postgres://nobody@127.0.0.1:1/none' })).rejects.toThrow(UserKeyError);
    await expect(openPostgresStore({ url: 'postgres://nobody@127.0.0.1:1/none', userKey: KEY })).rejects.toThrow(StoreUnavailableError);
  });
});
