import { createHash, createHmac } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../bot/store/database.js';
import { migrate } from '../../bot/store/migrations.js';
import { openStore } from '../../bot/store/open-store.js';
import { readOrCreateKeyFile, UserKeyError } from '../../bot/store/user-key.js';
import { useTempDir } from './helpers.js';

const occurrence = (user: string, i: number) => ({
  source: 'message' as const,
  workspace: 'T1',
  channel: 'C1',
  user,
  faultId: 'sqlalchemy.missing-greenlet',
  fingerprint: `fp${i % 7}`,
  text: 'sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called',
});

/** Every string the database holds in any table (meta values, ids, text cells). */
function everyString(path: string): string[] {
  const db = new Database(path, { readonly: true });
  const out = new Set<string>();
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
  for (const { name } of tables) {
    for (const row of db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]) {
      for (const v of Object.values(row)) if (typeof v === 'string' && v) out.add(v);
    }
  }
  db.close();
  return [...out];
}

describe('the user-id key', () => {
  const tempDir = useTempDir();

  it('lives in a 0600 file next to the database, never inside it', async () => {
    const path = join(tempDir(), 'faultline.db');
    const store = openStore({ path });
    await store.occurrences.record(occurrence('U024BE7LH', 0));
    await store.close();
    const keyFile = `${path}.user-key`;
    expect(existsSync(keyFile)).toBe(true);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, 'utf8').trim();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const bytes = [path, `${path}-wal`].filter(existsSync).map((p) => readFileSync(p).toString('latin1')).join('');
    expect(bytes).not.toContain(key);
    expect(everyString(path).some((s) => s.includes(key))).toBe(false);
  });

  it('cannot be recovered from the database: brute-forcing a small id space with everything in the file fails', async () => {
    const path = join(tempDir(), 'brute.db');
    const store = openStore({ path });
    // A workspace of 1,000 members with guessable ids.
    const ids = Array.from({ length: 1000 }, (_, i) => `U${String(i).padStart(8, '0')}`);
    for (const [i, id] of ids.slice(0, 50).entries()) await store.occurrences.record(occurrence(id, i));
    await store.occurrences.flush();
    await store.close();

    const strings = everyString(path);
    const hashes = new Set(strings.filter((s) => s.startsWith('h:')));
    expect(hashes.size).toBe(50);
    // Every string in the file as the HMAC key, plus no key at all, against every id.
    const candidates = strings.filter((s) => !s.startsWith('h:'));
    expect(candidates.length).toBeGreaterThan(0);
    let found = 0;
    for (const id of ids) {
      if (hashes.has(`h:${createHash('sha256').update(id).digest('hex').slice(0, 32)}`)) found++;
      for (const key of candidates) if (hashes.has(`h:${createHmac('sha256', key).update(id).digest('hex').slice(0, 32)}`)) found++;
    }
    expect(found).toBe(0);
    // With the key from the file next to it, the same search finds them all: the test can tell.
    const key = readFileSync(`${path}.user-key`, 'utf8').trim();
    expect(ids.filter((id) => hashes.has(`h:${createHmac('sha256', key).update(id).digest('hex').slice(0, 32)}`))).toHaveLength(50);
  });

  it('moves an older file\'s salt out of the database into the key file, so its hashes still match', async () => {
    const path = join(tempDir(), 'v3.db');
    const salt = 'c0ffee'.repeat(10);
    const old = openDatabase({ path });
    migrate(old, 3);
    old.prepare(`INSERT INTO meta (key, value) VALUES ('user_salt', ?)`).run(salt);
    const oldHash = `h:${createHmac('sha256', salt).update('U0ALICE01').digest('hex').slice(0, 32)}`;
    old.prepare(`INSERT INTO occurrences (at, source, workspace, user_key, fault_id, fingerprint) VALUES (?, 'message', 'T1', ?, 'x.y', 'fp')`).run(Date.now(), oldHash);
    await old.close();

    const store = openStore({ path });
    expect((await store.occurrences.recentForUser('U0ALICE01', { workspace: 'T1' }))).toHaveLength(1);
    await store.close();
    expect(readFileSync(`${path}.user-key`, 'utf8').trim()).toBe(salt);
    const db = new Database(path, { readonly: true });
    expect(db.prepare(`SELECT value FROM meta WHERE key = 'user_salt'`).get()).toBeUndefined();
    db.close();
    const bytes = [path, `${path}-wal`].filter(existsSync).map((p) => readFileSync(p).toString('latin1')).join('');
    expect(bytes).not.toContain(salt);
  });

  it('comes from FAULTLINE_USER_KEY when given (no file is made), and from a configured file path', async () => {
    const dir = tempDir();
    const a = openStore({ path: join(dir, 'a.db'), userKey: 'a-key-from-the-environment' });
    const hash = (await a.occurrences.get(await a.occurrences.record(occurrence('U1', 0))))?.userKey;
    await a.close();
    expect(existsSync(join(dir, 'a.db.user-key'))).toBe(false);
    expect(hash).toBe(`h:${createHmac('sha256', 'a-key-from-the-environment').update('U1').digest('hex').slice(0, 32)}`);

    const keyFile = join(dir, 'secrets', 'faultline.key');
    const b = openStore({ path: join(dir, 'b.db'), userKeyFile: join(dir, 'b.key') });
    await b.close();
    expect(existsSync(join(dir, 'b.key'))).toBe(true);
    expect(() => openStore({ path: join(dir, 'c.db'), userKeyFile: keyFile })).toThrow(/Cannot create the user-id key file/);
  });

  it('refuses a key file other users can read, and says how to fix it', async () => {
    const file = join(tempDir(), 'loose.key');
    writeFileSync(file, 'f'.repeat(64));
    chmodSync(file, 0o644);
    expect(() => readOrCreateKeyFile(file)).toThrow(UserKeyError);
    expect(() => readOrCreateKeyFile(file)).toThrow(/chmod 600/);
  });
});
