import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../bot/store/postgres/open-postgres-store.js';
import { PG_SCHEMA_VERSION } from '../../bot/store/postgres/migrations.js';
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

  it('needs the shared user key, and says when the server cannot be reached', async () => {
    await expect(openPostgresStore({ url: 'postgres://nobody@127.0.0.1:1/none' })).rejects.toThrow(UserKeyError);
    await expect(openPostgresStore({ url: 'postgres://nobody@127.0.0.1:1/none', userKey: KEY })).rejects.toThrow(StoreUnavailableError);
  });
});
