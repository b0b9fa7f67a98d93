import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../bot/store/open-store.js';
import { cli } from '../cli/run.js';
import { slackOccurrence, useTempDir } from './helpers.js';

describe('faultline backup', () => {
  const tempDir = useTempDir();

  it('copies the database the bot uses to FILE, and will not overwrite without --force', async () => {
    const dir = tempDir();
    const live = join(dir, 'live.db');
    const store = openStore({ path: live });
    await store.occurrences.recordMany([slackOccurrence(), slackOccurrence()]);
    const copy = join(dir, 'backups', 'faultline.db');
    const r = await cli(['backup', copy], undefined, { FAULTLINE_DB: live });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain(copy);
    const db = new Database(copy, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM occurrences').pluck().get()).toBe(2);
    db.close();

    expect((await cli(['backup', copy], undefined, { FAULTLINE_DB: live })).code).toBe(2);
    expect((await cli(['backup', copy, '--force'], undefined, { FAULTLINE_DB: live })).code).toBe(0);
    expect((await cli(['backup', live], undefined, { FAULTLINE_DB: live })).code).toBe(2);
    await store.close();
  });

  it('fails clearly when there is no database, without creating one', async () => {
    const dir = tempDir();
    const r = await cli(['backup', join(dir, 'copy.db')], undefined, { FAULTLINE_DB: join(dir, 'missing.db') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no database at');
    expect(existsSync(join(dir, 'missing.db'))).toBe(false);
    expect((await cli(['backup'], undefined, { FAULTLINE_DB: join(dir, 'missing.db') })).code).toBe(2);
  });
});
