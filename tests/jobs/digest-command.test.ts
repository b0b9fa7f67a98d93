import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSince } from '../../bot/cli/commands/digest.js';
import { openStore } from '../../bot/store/open-store.js';
import { cli } from '../cli/run.js';
import { useTempDir } from '../store/helpers.js';

describe('faultline digest', () => {
  const tempDir = useTempDir();

  const seeded = async () => {
    const path = join(tempDir(), 'cli.db');
    const store = openStore({ path });
    const now = Date.now();
    await store.occurrences.recordMany([
      ...Array.from({ length: 4 }, (_, i) => ({
        source: 'cli' as const,
        at: now - (i + 1) * 3_600_000,
        faultId: 'sqlalchemy.missing-greenlet',
        fingerprint: 'v1:0000000000000001',
        text: 'sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called',
      })),
      { source: 'cli' as const, at: now - 2 * 86_400_000, faultId: null, fingerprint: 'v1:00000000000000ff', text: 'ValueError: odd thing; password=hunter2' },
      { source: 'cli' as const, at: now - 20 * 86_400_000, faultId: 'sqlalchemy.missing-greenlet', fingerprint: 'v1:0000000000000001', text: 'old' },
    ]);
    await store.close();
    return path;
  };

  it('prints the last 7 days as text, with catalogue titles', async () => {
    const r = await cli(['digest'], undefined, { FAULTLINE_DB: await seeded() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sqlalchemy.missing-greenlet');
    expect(r.stdout).toMatch(/ 4× /);
    expect(r.stdout).toContain('v1:00000000000000ff');
    expect(r.stdout).toContain('ValueError: odd thing');
    expect(r.stdout).not.toContain('hunter2');
  });

  it('gives the figures as JSON, over the period asked for', async () => {
    const path = await seeded();
    const week = JSON.parse((await cli(['digest', '--json'], undefined, { FAULTLINE_DB: path })).stdout) as Record<string, any>;
    expect(week).toMatchObject({
      total: 5,
      faults: [expect.objectContaining({ id: 'sqlalchemy.missing-greenlet', count: 4, previous: 0, users: 0, channels: 0 })],
      unmatched: [expect.objectContaining({ fingerprint: 'v1:00000000000000ff', count: 1, example: expect.stringContaining('ValueError') })],
    });
    expect(Date.parse(week.period.to) - Date.parse(week.period.from)).toBe(7 * 86_400_000);
    const month = JSON.parse((await cli(['digest', '--json', '--since', '4w'], undefined, { FAULTLINE_DB: path })).stdout) as { total: number };
    expect(month.total).toBe(6);
  });

  it('says so when nothing was recorded, without creating the database', async () => {
    const path = join(tempDir(), 'none.db');
    const r = await cli(['digest'], undefined, { FAULTLINE_DB: path });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^No diagnoses recorded between .* not created yet/);
    expect(JSON.parse((await cli(['digest', '--json'], undefined, { FAULTLINE_DB: path })).stdout)).toMatchObject({ total: 0, faults: [] });
    expect(existsSync(path)).toBe(false);
  });

  it('rejects a bad --since and a bad setting', async () => {
    expect((await cli(['digest', '--since', 'soon'], undefined, { FAULTLINE_DB: join(tempDir(), 'x.db') })).code).toBe(2);
    const bad = await cli(['digest'], undefined, { FAULTLINE_DB: join(tempDir(), 'x.db'), FAULTLINE_RETENTION_DAYS: 'forever' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('FAULTLINE_RETENTION_DAYS');
    expect(parseSince('36h')).toBe(36 * 3_600_000);
    expect(parseSince('2w')).toBe(14 * 86_400_000);
  });
});
