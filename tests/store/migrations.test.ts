import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../bot/store/database.js';
import { MIGRATIONS, migrate, SCHEMA_VERSION, SchemaTooNewError, schemaVersion } from '../../bot/store/migrations.js';
import { openStore } from '../../bot/store/open-store.js';
import { DAY, HOUR, useTempDir } from './helpers.js';

describe('migrations', () => {
  const tempDir = useTempDir();

  it('are numbered 1..n without gaps', async () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('create a new file at the latest version, with its directory, in WAL mode', async () => {
    const path = join(tempDir(), 'nested', 'dir', 'faultline.db');
    const store = openStore({ path, busyTimeoutMs: 1234 });
    await store.close();
    const db = new Database(path);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const again = openDatabase({ path, busyTimeoutMs: 1234 });
    expect(again.pragma('busy_timeout', { simple: true })).toBe(1234);
    await again.close();
  });

  it('upgrade a file made by the first schema in place, keeping and rolling up its rows', async () => {
    const path = join(tempDir(), 'old.db');
    const old = openDatabase({ path });
    migrate(old, 1);
    expect(schemaVersion(old)).toBe(1);
    const base = Date.UTC(2025, 0, 6, 9); // a Monday, 09:00 UTC
    const insert = old.prepare(`INSERT INTO occurrences (at, source, workspace, channel, user_key, fault_id, method, fingerprint, excerpt)
      VALUES (?, 'message', 'T1', ?, ?, ?, ?, ?, 'old excerpt')`);
    insert.run(base + HOUR, 'C1', 'h:u1', 'sqlalchemy.missing-greenlet', 'code', 'v1:a');
    insert.run(base + 2 * HOUR, 'C2', 'h:u2', 'sqlalchemy.missing-greenlet', 'code', 'v1:a');
    insert.run(base + DAY, 'C1', 'h:u1', null, null, 'v1:b');
    old.prepare(`INSERT INTO feedback (occurrence_id, user_key, kind, at) VALUES (1, 'h:u1', 'solved', ?)`).run(base + 3 * HOUR);
    await old.close();

    const store = openStore({ path });
    const period = { from: base, to: base + 7 * DAY };
    expect(Object.fromEntries((await store.stats.faultCounts(period)))).toEqual({ 'sqlalchemy.missing-greenlet': 2, '': 1 });
    expect((await store.stats.people(period)).get('sqlalchemy.missing-greenlet')).toEqual({ users: 2, channels: 2 });
    expect((await store.occurrences.get(1))?.excerpt).toBe('old excerpt');
    expect((await store.feedback.forOccurrence(1))).toHaveLength(1);
    // Tables of later migrations work.
    await store.ai.put({ fingerprint: 'v1:b', model: 'm', promptVersion: '1' }, { cause: 'x' }, DAY);
    expect((await store.ai.get({ fingerprint: 'v1:b', model: 'm', promptVersion: '1' }))?.value).toEqual({ cause: 'x' });
    // New rows land in the rollups next to the backfilled ones.
    await store.occurrences.record({ source: 'cli', faultId: 'sqlalchemy.missing-greenlet', fingerprint: 'v1:a', text: 'x', at: base + 3 * HOUR });
    expect((await store.stats.faultCounts(period)).get('sqlalchemy.missing-greenlet')).toBe(3);
    await store.close();

    const db = new Database(path);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('are applied once when opened again', async () => {
    const path = join(tempDir(), 'twice.db');
    openStore({ path }).close();
    const db = openDatabase({ path });
    expect(migrate(db)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    db.close();
  });

  it('refuse a file from a newer Faultline', async () => {
    const path = join(tempDir(), 'future.db');
    const db = openDatabase({ path });
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openStore({ path })).toThrow(SchemaTooNewError);
  });
});
