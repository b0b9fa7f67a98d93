import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDigestScheduler, digestPeriodKey, scheduledPeriod, type PostDigest } from '../../bot/jobs/digest-scheduler.js';
import { openStore, type Store } from '../../bot/store/open-store.js';
import { collect, spawnTs, useTempDir } from '../store/helpers.js';
import { DAY, FROM, HOUR, seedDigest, TO } from './seed.js';

const RUNNER = join(import.meta.dirname, 'fixtures', 'digest-runner.ts');

function recordingPost(): PostDigest & { calls: { channel: string; text: string; blocks: number }[] } {
  const calls: { channel: string; text: string; blocks: number }[] = [];
  const post = (async (channel, blocks, text) => {
    calls.push({ channel, text, blocks: blocks.length });
    return { ts: `1737363600.00010${calls.length}` };
  }) as PostDigest & { calls: typeof calls };
  post.calls = calls;
  return post;
}

describe('the digest scheduler', () => {
  const tempDir = useTempDir();
  const seededPath = async () => {
    const path = join(tempDir(), 'sched.db');
    const store = openStore({ path });
    await seedDigest(store);
    await store.close();
    return path;
  };
  const scheduler = (store: Store, post: PostDigest, extra = {}) =>
    createDigestScheduler({ store, post, channel: 'C0DIGEST', timeZone: 'UTC', ...extra });

  it('covers the week between two scheduled runs, in the configured zone', async () => {
    expect(scheduledPeriod('0 9 * * 1', 'UTC', TO + 10)).toEqual({ from: FROM, to: TO });
    // croner may fire a little early; the tick still belongs to its own period.
    expect(scheduledPeriod('0 9 * * 1', 'UTC', TO - 3)).toEqual({ from: FROM, to: TO });
    // Monday 09:00 in Tokyo is 00:00 UTC.
    expect(scheduledPeriod('0 9 * * 1', 'Asia/Tokyo', Date.UTC(2025, 0, 20, 1))).toEqual({ from: Date.UTC(2025, 0, 13), to: Date.UTC(2025, 0, 20) });
  });

  it('posts once per period, also after a restart at digest time', async () => {
    const path = await seededPath();
    const post = recordingPost();
    const first = openStore({ path });
    const result = await scheduler(first, post).runDue(TO + 20);
    expect(result).toMatchObject({ status: 'posted', ts: '1737363600.000101' });
    expect(post.calls).toEqual([{ channel: 'C0DIGEST', text: expect.stringContaining('16'), blocks: expect.any(Number) }]);
    expect(await scheduler(first, post).runDue(TO + 30)).toMatchObject({ status: 'claimed-elsewhere' });
    await first.close();

    // Restart: a new process opens the same file a few seconds later.
    const second = openStore({ path });
    const restarted = scheduler(second, post);
    expect(await restarted.runDue(TO + 5000)).toMatchObject({ status: 'claimed-elsewhere' });
    expect(post.calls).toHaveLength(1);
    const key = digestPeriodKey('C0DIGEST', null, TO);
    expect((await second.digests.get(key))).toMatchObject({ status: 'posted', messageTs: '1737363600.000101', from: FROM, to: TO });
    await second.close();
  });

  it('does not post again after a crash between posting and recording the post', async () => {
    const path = await seededPath();
    let posts = 0;
    const store = openStore({ path });
    const crashing = scheduler(store, async () => {
      posts++;
      throw new Error('process died before chat.postMessage returned');
    });
    expect(await crashing.runDue(TO + 20)).toMatchObject({ status: 'failed' });
    await store.close();
    const again = openStore({ path });
    expect(await scheduler(again, async () => void posts++).runDue(TO + 60_000)).toMatchObject({ status: 'claimed-elsewhere' });
    expect(posts).toBe(1);
    await again.close();
  });

  it('lets exactly one of two schedulers racing in one process post', async () => {
    const path = await seededPath();
    const post = recordingPost();
    const a = openStore({ path });
    const b = openStore({ path });
    const results = await Promise.all([scheduler(a, post).runDue(TO + 1), scheduler(b, post).runDue(TO + 2)]);
    expect(results.map((r) => r.status).sort()).toEqual(['claimed-elsewhere', 'posted']);
    expect(post.calls).toHaveLength(1);
    await a.close();
    await b.close();
  });

  it('lets exactly one of two processes racing for the same period post', async () => {
    const path = await seededPath();
    const dir = tempDir();
    const go = join(dir, 'go');
    const posts = join(dir, 'posts.log');
    writeFileSync(posts, '');
    const children = [0, 1].map(() => spawnTs(RUNNER, [path, String(TO + 100), go, posts]));
    const done = children.map((c) => collect(c));
    writeFileSync(go, '');
    const outputs = await Promise.all(done);
    for (const o of outputs) expect(o.stderr).toBe('');
    const statuses = outputs.map((o) => (JSON.parse(o.lines[0] ?? '{}') as { status: string }).status).sort();
    expect(statuses).toEqual(['claimed-elsewhere', 'posted']);
    expect(readFileSync(posts, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('posts nothing for an empty week', async () => {
    const store = openStore({ path: join(tempDir(), 'empty.db') });
    const post = recordingPost();
    expect(await scheduler(store, post).runDue(TO + 20)).toMatchObject({ status: 'empty' });
    expect(post.calls).toHaveLength(0);
    await store.close();
  });

  it('catches up a run missed while down, but not one days old', async () => {
    const path = await seededPath();
    const post = recordingPost();
    const store = openStore({ path });
    const late = scheduler(store, post, { now: () => TO + 3 * DAY });
    expect(await late.start()).toEqual({ status: 'not-due' });
    late.stop();
    const s = scheduler(store, post, { now: () => TO + 2 * HOUR });
    expect(await s.start()).toMatchObject({ status: 'posted' });
    s.stop();
    expect(post.calls).toHaveLength(1);
    await store.close();
  });

  it('runs from the cron and reports each period once', async () => {
    const store = openStore({ path: join(tempDir(), 'cron.db') });
    const keys: string[] = [];
    let resolveTicks: () => void = () => {};
    const ticks = new Promise<void>((r) => (resolveTicks = r));
    const s = scheduler(store, recordingPost(), {
      cron: '* * * * * *',
      log: (event: string, fields: Record<string, unknown>) => {
        if (event === 'digest.empty') keys.push(String(fields.key));
        if (keys.length >= 3) resolveTicks();
      },
    });
    await s.start();
    await ticks;
    s.stop();
    await store.close();
    expect(new Set(keys).size).toBe(keys.length);
  });
});
