import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../bot/kb/load.js';
import { classifyChange, computeDigest, isEmptyDigest, sparkline, type DigestCatalogue } from '../../bot/jobs/digest.js';
import { digestCatalogue } from '../../bot/jobs/digest-catalogue.js';
import type { Store } from '../../bot/store/store.js';
import { describeEachBackend } from '../store/backends.js';
import { A, B, C, D, DAY, FROM, HOUR, seedDigest, TO } from './seed.js';

const catalogue: DigestCatalogue = {
  faultTitle: (id) => (id === A ? 'MissingGreenlet: lazy load in async code' : null),
  fixTitle: (_f, fix) => (fix === 'selectinload' ? 'Eager-load with selectinload' : null),
  fixItOnce: (id) => (id === A ? 'Set `lazy="raise"` on relationships so missing eager loads fail in tests.' : null),
};

// The digest reads rollups kept up to date on write: the same figures on both backends.
describeEachBackend('the digest', (backend) => {
  const seeded = async (): Promise<Store> => {
    const store = await backend().open();
    await seedDigest(store);
    return store;
  };

  it('gives the figures of a seeded week as JSON', async () => {
    const store = await seeded();
    const d = await computeDigest(store.stats, { from: FROM, to: TO, catalogue });
    await store.close();

    expect(d.period).toEqual({ from: '2025-01-13T09:00:00.000Z', to: '2025-01-20T09:00:00.000Z' });
    expect(d.previousPeriod).toEqual({ from: '2025-01-06T09:00:00.000Z', to: '2025-01-13T09:00:00.000Z' });
    expect({ total: d.total, matched: d.matched, previousTotal: d.previousTotal, coverage: d.coverage }).toEqual({
      total: 16,
      matched: 10,
      previousTotal: 12,
      coverage: 10 / 16,
    });
    expect({ users: d.users, channels: d.channels }).toEqual({ users: 6, channels: 3 });
    expect(d.faults.map(({ id, count, previous, users, channels, change }) => ({ id, count, previous, users, channels, change }))).toEqual([
      { id: A, count: 6, previous: 2, users: 3, channels: 2, change: 'rising' },
      { id: B, count: 3, previous: 0, users: 2, channels: 2, change: 'new' },
      { id: C, count: 1, previous: 5, users: 1, channels: 1, change: 'falling' },
    ]);
    expect(d.quiet).toEqual([{ id: D, title: null, previous: 4 }]);

    const a = d.faults[0];
    expect(a?.title).toBe('MissingGreenlet: lazy load in async code');
    expect(a?.daily).toEqual([2, 0, 2, 0, 0, 0, 2]);
    expect(a?.sparkline).toBe('█▁█▁▁▁█');
    expect(a?.feedback).toEqual({ solved: 3, didntHelp: 1, wrong: 0 });
    expect(a?.fixThatWorked).toEqual({ id: 'selectinload', title: 'Eager-load with selectinload', solved: 2 });
    expect(a?.fixItOnce).toContain('lazy="raise"');
    expect(a?.links).toEqual([
      'https://acme.slack.com/archives/C1/p1737320400000300',
      'https://acme.slack.com/archives/C2/p1736935200000200',
      'https://acme.slack.com/archives/C1/p1736762400000100',
    ]);
    expect(d.faults[2]?.fixItOnce).toBeNull();

    expect(d.unmatched.map(({ fingerprint, count, previous }) => ({ fingerprint, count, previous }))).toEqual([
      { fingerprint: 'v1:u1', count: 3, previous: 1 },
      { fingerprint: 'v1:ai1', count: 2, previous: 0 },
      { fingerprint: 'v1:u2', count: 1, previous: 0 },
    ]);
    const u1 = d.unmatched[0];
    expect(u1?.example).toContain('relation "widgets" does not exist');
    expect(u1?.example).not.toContain('hunter2');
    expect(u1?.links).toEqual(['https://acme.slack.com/archives/C1/p1736848800000400']);
    expect((await d.ai.map(({ fingerprint, count }) => ({ fingerprint, count })))).toEqual([{ fingerprint: 'v1:ai1', count: 2 }]);

    expect(d.needsReview).toEqual([{ id: C, title: null, negative: 3, feedback: 3, share: 1, previousShare: 0 }]);

    // The shape tools rely on.
    const json = JSON.parse(JSON.stringify(d)) as Record<string, unknown>;
    expect(json).toMatchObject({
      period: { from: expect.any(String), to: expect.any(String) },
      total: 16,
      faults: expect.arrayContaining([expect.objectContaining({ id: A, count: 6, previous: 2, users: 3, channels: 2 })]),
      unmatched: expect.arrayContaining([expect.objectContaining({ fingerprint: 'v1:u1', count: 3, example: expect.any(String) })]),
    });
  });

  it('filters by workspace', async () => {
    const store = await seeded();
    await store.occurrences.record({ source: 'message', workspace: 'T2', faultId: A, fingerprint: 'v1:x', text: 'x', at: FROM + HOUR });
    expect((await computeDigest(store.stats, { from: FROM, to: TO, workspace: 'T2' })).total).toBe(1);
    expect((await computeDigest(store.stats, { from: FROM, to: TO, workspace: 'T1' })).total).toBe(16);
    expect((await computeDigest(store.stats, { from: FROM, to: TO })).total).toBe(17);
    await store.close();
  });

  it('is exact for periods that do not start on an hour or a day (rollups plus raw edges)', async () => {
    const store = await backend().open();
    // Deterministic pseudo-random occurrences over three weeks.
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const rows = Array.from({ length: 3000 }, () => ({
      source: 'message' as const,
      at: FROM - 7 * DAY + rand(21 * DAY),
      workspace: 'T1',
      channel: `C${rand(5)}`,
      user: `U${rand(20)}`,
      faultId: rand(4) === 0 ? null : `lib.fault-${rand(6)}`,
      fingerprint: `v1:f${rand(30)}`,
      text: 'x',
    }));
    await store.occurrences.recordMany(rows);
    const from = FROM + 17 * 60_000 + 23_456;
    const to = from + 5 * DAY + 7 * HOUR + 1234;
    const inPeriod = rows.filter((r) => r.at >= from && r.at < to);
    const d = await computeDigest(store.stats, { from, to, limits: { faults: 100, unmatched: 100 } });
    await store.close();

    expect(d.total).toBe(inPeriod.length);
    const byFault = new Map<string, typeof inPeriod>();
    for (const r of inPeriod) if (r.faultId) byFault.set(r.faultId, [...(byFault.get(r.faultId) ?? []), r]);
    for (const f of d.faults) {
      const expected = byFault.get(f.id) ?? [];
      expect(f.count, f.id).toBe(expected.length);
      expect(f.users, f.id).toBe(new Set(expected.map((r) => r.user)).size);
      expect(f.channels, f.id).toBe(new Set(expected.map((r) => r.channel)).size);
      expect(f.daily.reduce((x, y) => x + y, 0)).toBe(f.count);
    }
    expect(d.faults.length).toBe(byFault.size);
    expect(d.users).toBe(new Set(inPeriod.map((r) => r.user)).size);
    const unmatched = inPeriod.filter((r) => !r.faultId);
    expect(d.unmatched.reduce((n, u) => n + u.count, 0)).toBe(unmatched.length);
    const previous = rows.filter((r) => r.at >= from - (to - from) && r.at < from);
    expect(d.previousTotal).toBe(previous.length);
  });

  it('is empty for a week without occurrences', async () => {
    const store = await backend().open();
    const d = await computeDigest(store.stats, { from: FROM, to: TO });
    await store.close();
    expect(isEmptyDigest(d)).toBe(true);
    expect(d).toMatchObject({ total: 0, coverage: null, faults: [], unmatched: [], ai: [] });
  });
});

describe('digest helpers', () => {
  it('classify change', async () => {
    expect(classifyChange(3, 0)).toBe('new');
    expect(classifyChange(6, 2)).toBe('rising');
    expect(classifyChange(3, 2)).toBe('steady');
    expect(classifyChange(1, 5)).toBe('falling');
    expect(classifyChange(9, 10)).toBe('steady');
  });

  it('draw sparklines', async () => {
    expect(sparkline([0, 1, 2, 4, 8])).toBe('▁▂▃▅█');
    expect(sparkline([0, 0])).toBe('▁▁');
  });

  it('takes "fix it once" advice from the fault files, in the reader\'s language', async () => {
    const catalogue = digestCatalogue(loadKnowledge().faults);
    expect(catalogue.fixItOnce?.('sqlalchemy.missing-greenlet', 'en')).toContain('lazy="raise"');
    expect(catalogue.fixItOnce?.('sqlalchemy.missing-greenlet', 'ja')).toContain('lazy="raise"');
    expect(catalogue.fixItOnce?.('no.such-fault', 'en')).toBeNull();
  });
});
