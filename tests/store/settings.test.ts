import { describe, expect, it } from 'vitest';
import { readStoreSettings } from '../../bot/store/settings.js';

describe('store settings', () => {
  it('select PostgreSQL with DATABASE_URL and SQLite without it', () => {
    expect(readStoreSettings({}, '/srv').settings).toMatchObject({ databaseUrl: null, dbPath: '/srv/data/faultline.db' });
    const pg = readStoreSettings({ DATABASE_URL: 'postgres://bot:pw@db:5432/faultline', FAULTLINE_USER_KEY: '0123456789abcdef0123' }, '/srv');
    expect(pg.problems).toEqual([]);
    expect(pg.settings.databaseUrl).toBe('postgres://bot:pw@db:5432/faultline');
    expect(readStoreSettings({ DATABASE_URL: 'postgresql://db/x', FAULTLINE_STORE_USER_IDS: 'true' }, '/srv').problems).toEqual([]);
  });

  it('report a URL that is not PostgreSQL, and a missing shared user key, without echoing the password', () => {
    const bad = readStoreSettings({ DATABASE_URL: 'mysql://bot:s3cret@db/x', FAULTLINE_USER_KEY: '0123456789abcdef0123' }, '/srv');
    expect(bad.problems).toHaveLength(1);
    expect(bad.problems[0]).toMatch(/DATABASE_URL must be a PostgreSQL URL/);
    expect(bad.problems.join(' ')).not.toContain('s3cret');
    const keyless = readStoreSettings({ DATABASE_URL: 'postgres://bot:s3cret@db/x' }, '/srv');
    expect(keyless.problems.join(' ')).toMatch(/FAULTLINE_USER_KEY/);
    expect(keyless.problems.join(' ')).not.toContain('s3cret');
  });
});
