import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { startRetentionJob } from '../../bot/jobs/retention.js';
import { openStore } from '../../bot/store/open-store.js';
import { DAY, slackOccurrence, useTempDir } from '../store/helpers.js';

describe('the retention job', () => {
  const tempDir = useTempDir();

  it('purges old excerpts when it starts, keeps the counts, and stops', async () => {
    const store = openStore({ path: join(tempDir(), 'r.db') });
    const now = Date.now();
    const old = await store.occurrences.record(slackOccurrence({ at: now - 40 * DAY }));
    const recent = await store.occurrences.record(slackOccurrence({ at: now - DAY }));
    const events: string[] = [];
    const job = startRetentionJob({ store, retentionDays: 30, log: (e) => events.push(e) });
    job.stop();
    await vi.waitFor(() => expect(events).toEqual(['retention.purged']));
    expect((await store.occurrences.get(old))?.excerpt).toBeNull();
    expect((await store.occurrences.get(recent))?.excerpt).not.toBeNull();
    expect((await store.stats.faultCounts({ from: now - 50 * DAY, to: now })).get('sqlalchemy.missing-greenlet')).toBe(2);
    expect((await job.runNow()).excerpts).toBe(0);
    await store.close();
  });
});
