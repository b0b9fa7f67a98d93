import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../bot/store/open-store.js';
import { slackOccurrence, useTempDir } from './helpers.js';

describe('backup', () => {
  const tempDir = useTempDir();

  it('copies the live database consistently while another connection keeps writing', async () => {
    const dir = tempDir();
    const store = openStore({ path: join(dir, 'live.db') });
    const writer = openStore({ path: join(dir, 'live.db') });
    await store.occurrences.recordMany(Array.from({ length: 2000 }, (_, i) => slackOccurrence({ text: `error ${i} password=hunter2` })));
    const backup = store.backup(join(dir, 'backups', 'copy.db'));
    const writes = Array.from({ length: 200 }, () => writer.occurrences.record(slackOccurrence()));
    const { pages } = await backup;
    await Promise.all(writes);
    expect(pages).toBeGreaterThan(0);
    await store.close();
    await writer.close();

    const copy = new Database(join(dir, 'backups', 'copy.db'), { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    const n = copy.prepare('SELECT count(*) FROM occurrences').pluck().get() as number;
    const rolled = copy.prepare('SELECT sum(n) FROM fault_hours').pluck().get() as number;
    expect(n).toBeGreaterThanOrEqual(2000);
    // Occurrences and rollups are written in one transaction, so any consistent copy agrees.
    expect(rolled).toBe(n);
    await copy.close();
  });

  it('refuses to overwrite the live database', async () => {
    const path = join(tempDir(), 'live.db');
    const store = openStore({ path });
    await expect(store.backup(path)).rejects.toThrow(/live database/);
    await store.close();
  });
});
