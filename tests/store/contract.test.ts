// The store contract: every backend passes every test here (unstorage's pattern). Run on
// SQLite and on PostgreSQL; see tests/store/backends.ts.
import { describe, expect, it } from 'vitest';
import { makeExcerpt, MAX_EXCERPT_CHARS, occurrenceFromDiagnosis, type NewOccurrence } from '../../bot/store/occurrences.js';
import { shippedEngine } from '../helpers.js';
import { CORPUS } from '../redact/corpus.js';
import { describeEachBackend } from './backends.js';
import { DAY, HOUR, slackOccurrence } from './helpers.js';

describeEachBackend('occurrences', (backend) => {
  it('land from the Slack flow with redacted excerpts and hashed users', async () => {
    const store = await backend().open();
    for (const entry of CORPUS) {
      const id = await store.occurrences.record(slackOccurrence({ text: entry.text, user: 'U024BE7LH' }));
      const row = await store.occurrences.get(id);
      expect(row?.excerpt).toBeTruthy();
      for (const secret of entry.secrets) expect(row?.excerpt).not.toContain(secret);
      expect(row?.userKey).toMatch(/^h:[0-9a-f]{32}$/);
      expect(row?.userKey).not.toContain('U024BE7LH');
    }
  });

  it('land from the CLI (diagnose --record) with the diagnosis fields and a redacted excerpt', async () => {
    const store = await backend().open();
    const paste = `Traceback (most recent call last):
  File "/app/app/api/users.py", line 41, in read_user
    return UserRead.model_validate(user.organization)
sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called; can't call await_only() here. Was IO attempted in an unexpected place? (Background on this error at: https://sqlalche.me/e/20/xd2s)
DATABASE_URL=postgresql+asyncpg://app:hunter2@db/app`;
    const diagnosis = shippedEngine().diagnose(paste, { lang: 'en' });
    const id = await store.occurrences.record({ source: 'cli', ...occurrenceFromDiagnosis(diagnosis), text: paste });
    const row = await store.occurrences.get(id);
    expect(row).toMatchObject({ source: 'cli', workspace: null, userKey: null, faultId: 'sqlalchemy.missing-greenlet', fingerprint: diagnosis.fingerprint, method: diagnosis.match?.method });
    expect(typeof row?.at).toBe('number');
    expect(row?.excerpt).toContain('MissingGreenlet');
    expect(row?.excerpt).not.toContain('hunter2');
  });

  it('hash the same user to the same key in every process, and differently with another key', async () => {
    const a = await backend().open();
    const b = await backend().open();
    const k1 = (await a.occurrences.get(await a.occurrences.record(slackOccurrence({ user: 'U1' }))))?.userKey;
    const k2 = (await b.occurrences.get(await b.occurrences.record(slackOccurrence({ user: 'U1' }))))?.userKey;
    expect(await b.occurrences.recentForUser('U1')).toHaveLength(2);
    const c = await backend().open({ userKey: 'another-key-of-enough-length' });
    const k3 = (await c.occurrences.get(await c.occurrences.record(slackOccurrence({ user: 'U1' }))))?.userKey;
    expect(k1).toBe(k2);
    expect(k3).not.toBe(k1);
  });

  it('keep raw user ids only when configured', async () => {
    const store = await backend().open({ storeRawUserIds: true });
    expect((await store.occurrences.get(await store.occurrences.record(slackOccurrence({ user: 'U9' }))))?.userKey).toBe('U9');
  });

  it('cap excerpts, keeping the head and the exception line at the end', () => {
    const long = `Traceback (most recent call last):\n${'  File "x.py", line 1, in f\n'.repeat(2000)}sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called`;
    const excerpt = makeExcerpt(long) ?? '';
    expect(excerpt.length).toBeLessThanOrEqual(MAX_EXCERPT_CHARS);
    expect(excerpt.startsWith('Traceback')).toBe(true);
    expect(excerpt.endsWith('greenlet_spawn has not been called')).toBe(true);
  });

  it('reject programmer errors', async () => {
    const store = await backend().open();
    await expect(store.occurrences.record(slackOccurrence({ source: 'email' as never }))).rejects.toThrow(TypeError);
    await expect(store.occurrences.record(slackOccurrence({ fingerprint: '' }))).rejects.toThrow(TypeError);
    await expect(store.occurrences.record(slackOccurrence({ confidence: 2 }))).rejects.toThrow(TypeError);
    await expect(store.occurrences.recordMany([slackOccurrence({ fingerprint: '' })])).rejects.toThrow(TypeError);
    expect(await store.occurrences.get(424242)).toBeNull();
  });

  it('lose their excerpts after the retention period while counts stay', async () => {
    const now = Date.UTC(2025, 5, 1);
    const store = await backend().open({ now: () => now });
    const old = await store.occurrences.record(slackOccurrence({ at: now - 100 * DAY }));
    const recent = await store.occurrences.record(slackOccurrence({ at: now - 10 * DAY }));
    const period = { from: now - 200 * DAY, to: now };
    const before = await store.stats.faultCounts(period);
    expect((await store.purge(90)).excerpts).toBe(1);
    expect((await store.occurrences.get(old))?.excerpt).toBeNull();
    expect((await store.occurrences.get(recent))?.excerpt).not.toBeNull();
    expect(await store.stats.faultCounts(period)).toEqual(before);
    expect((await store.purge(90)).excerpts).toBe(0);
  });

  it('record a batch in one transaction, ids in order', async () => {
    const store = await backend().open();
    const ids = await store.occurrences.recordMany([slackOccurrence(), slackOccurrence({ faultId: null }), slackOccurrence({ faultId: 'x.y' })]);
    expect(ids).toHaveLength(3);
    expect(ids[0]! < ids[1]! && ids[1]! < ids[2]!).toBe(true);
    expect(await Promise.all(ids.map(async (id) => (await store.occurrences.get(id))?.faultId))).toEqual(['sqlalchemy.missing-greenlet', null, 'x.y']);
  });

  it('group concurrent records and resolve each with its own id', async () => {
    const store = await backend().open();
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => store.occurrences.record(slackOccurrence({ fingerprint: `v1:${i}` }))));
    expect(new Set(ids).size).toBe(50);
    for (const [i, id] of ids.entries()) expect((await store.occurrences.get(id))?.fingerprint).toBe(`v1:${i}`);
  });
});

/** Occurrences with known answers for the rollups: what a scan of the rows would count. */
function history(end: number): NewOccurrence[] {
  const out: NewOccurrence[] = [];
  for (let i = 0; i < 400; i++) {
    const matched = i % 4 !== 0;
    out.push(
      slackOccurrence({
        at: end - Math.floor((i * 37 * HOUR) / 10) - (i % 7) * 61_000,
        workspace: i % 5 === 0 ? 'T0002' : 'T0001',
        channel: `C${i % 6}`,
        user: `U${i % 9}`,
        faultId: matched ? `lib.fault-${i % 5}` : null,
        method: matched ? 'signature' : i % 8 === 0 ? 'ai' : null,
        fingerprint: matched ? `v1:f${i % 5}` : `v1:u${i % 3}`,
        permalink: i % 3 ? `https://acme.slack.com/archives/C1/p${1700000000000000 + i}` : null,
      }),
    );
  }
  return out;
}

describeEachBackend('rollups behind the digest', (backend) => {
  const end = Date.UTC(2025, 5, 2, 9, 17, 23);

  it('count exactly what the rows hold, for ragged periods and per workspace, written live or in batches', async () => {
    const live = await backend().open();
    const rows = history(end);
    // Half in one batch, half through the live group-commit path.
    await live.occurrences.recordMany(rows.slice(0, 200));
    await Promise.all(rows.slice(200).map((o) => live.occurrences.record(o)));
    for (const [from, to, ws] of [
      [end - 7 * DAY, end, null],
      [end - 7 * DAY - 1234, end - 5 * HOUR + 17, 'T0001'],
      [end - 30 * DAY, end + 1, 'T0002'],
      [end - 3 * HOUR, end - HOUR, null],
    ] as const) {
      const inPeriod = rows.filter((o) => (o.at as number) >= from && (o.at as number) < to && (ws === null || o.workspace === ws));
      const expected = new Map<string, number>();
      for (const o of inPeriod) expected.set(o.faultId ?? '', (expected.get(o.faultId ?? '') ?? 0) + 1);
      const counts = await live.stats.faultCounts({ from, to, workspace: ws });
      expect(counts).toEqual(expected);
      const hours = await live.stats.faultHours({ from, to, workspace: ws });
      expect(hours.reduce((a, h) => a + h.n, 0)).toBe(inPeriod.length);
      const people = await live.stats.people({ from, to, workspace: ws });
      expect(people.get('*')?.users ?? 0).toBe(new Set(inPeriod.map((o) => o.user)).size);
      expect(people.get('*')?.channels ?? 0).toBe(new Set(inPeriod.map((o) => o.channel)).size);
      const unmatched = await live.stats.unmatched({ from, to, workspace: ws });
      expect(unmatched.reduce((a, u) => a + u.n, 0)).toBe(inPeriod.filter((o) => o.faultId === null).length);
      const fps = [...new Set(inPeriod.filter((o) => o.faultId === null).map((o) => o.fingerprint))];
      const byFp = await live.stats.unmatchedCounts({ from, to, workspace: ws }, fps);
      for (const fp of fps) expect(byFp.get(fp)).toBe(inPeriod.filter((o) => o.faultId === null && o.fingerprint === fp).length);
    }
  });

  it('serve permalinks and excerpts by id', async () => {
    const store = await backend().open();
    const [withLink, without] = await store.occurrences.recordMany([slackOccurrence(), slackOccurrence({ permalink: null })]);
    const links = await store.stats.permalinks([withLink!, without!, 999_999]);
    expect([...links.keys()]).toEqual([withLink]);
    const excerpts = await store.stats.excerpts([withLink!, without!]);
    expect(excerpts.size).toBe(2);
  });

  it('stay exact when two processes record at once', async () => {
    const a = await backend().open();
    const b = await backend().open();
    const rows = history(end);
    await Promise.all(rows.map((o, i) => (i % 2 ? a : b).occurrences.record(o)));
    const counts = await a.stats.faultCounts({ from: end - 400 * DAY, to: end + 1 });
    expect([...counts.values()].reduce((x, y) => x + y, 0)).toBe(rows.length);
  });
});

describeEachBackend('feedback', (backend) => {
  it('records a click, replaces a second click by the same person, and counts it once', async () => {
    const store = await backend().open();
    const occ = await store.occurrences.record(slackOccurrence({ at: 1_000 }));
    expect(await store.feedback.record({ occurrenceId: occ, user: 'U1', kind: 'didnt_help', at: 2_000 })).toMatchObject({ replaced: false });
    expect(await store.feedback.record({ occurrenceId: occ, user: 'U1', kind: 'solved', fixId: 'selectinload', at: 3_000 })).toMatchObject({ replaced: true });
    await store.feedback.record({ occurrenceId: occ, user: 'U2', kind: 'wrong', at: 4_000 });
    expect(await store.feedback.forOccurrence(occ)).toEqual([
      { kind: 'solved', fixId: 'selectinload', at: 3_000 },
      { kind: 'wrong', fixId: null, at: 4_000 },
    ]);
    expect(await store.stats.feedback({ from: 0, to: 10_000 })).toEqual(
      expect.arrayContaining([
        { faultId: 'sqlalchemy.missing-greenlet', kind: 'solved', fixId: 'selectinload', n: 1 },
        { faultId: 'sqlalchemy.missing-greenlet', kind: 'wrong', fixId: null, n: 1 },
      ]),
    );
  });

  it('returns null for a button that points at no occurrence, and rejects unknown kinds', async () => {
    const store = await backend().open();
    expect(await store.feedback.record({ occurrenceId: 424242, user: 'U1', kind: 'solved' })).toBeNull();
    await expect(store.feedback.record({ occurrenceId: 1, user: 'U1', kind: 'meh' as never })).rejects.toThrow(TypeError);
  });

  it('is seen by every process', async () => {
    const a = await backend().open();
    const b = await backend().open();
    const occ = await a.occurrences.record(slackOccurrence({ at: 1_000 }));
    await b.feedback.record({ occurrenceId: occ, user: 'U1', kind: 'solved', at: 2_000 });
    expect(await a.feedback.forOccurrence(occ)).toHaveLength(1);
  });
});

describeEachBackend('LLM answer cache and budget', (backend) => {
  const key = { fingerprint: 'v1:00000000000000ff', model: 'gpt-4o-mini', promptVersion: '3' };

  it('serves an answer until its TTL, keyed by fingerprint, model and prompt version, to every process', async () => {
    const store = await backend().open();
    const other = await backend().open();
    await store.ai.put(key, { cause: 'pool exhausted', fixes: [] }, HOUR, 1_000);
    expect((await other.ai.get(key, 1_000 + HOUR - 1))?.value).toEqual({ cause: 'pool exhausted', fixes: [] });
    expect(await store.ai.get(key, 1_000 + HOUR)).toBeNull();
    expect(await store.ai.get({ ...key, model: 'other' }, 2_000)).toBeNull();
    expect(await store.ai.get({ ...key, promptVersion: '4' }, 2_000)).toBeNull();
    expect(await store.ai.latestFor(key.fingerprint, 2_000)).toMatchObject({ model: 'gpt-4o-mini', promptVersion: '3' });
    expect((await store.purge(90, 1_000 + 2 * HOUR)).aiAnswers).toBe(1);
  });

  it('stops at the daily budget per workspace, across processes', async () => {
    const a = await backend().open();
    const b = await backend().open();
    const t = 10 * DAY + 5 * HOUR;
    const results: boolean[] = [];
    for (const s of [a, b, a, b]) results.push((await s.ai.consume('T1', 'day', 3, t)).allowed);
    expect(results).toEqual([true, true, true, false]);
    expect(await a.ai.used('T1', 'day', t)).toBe(3);
    expect((await a.ai.consume('T2', 'day', 3, t)).allowed).toBe(true);
    expect((await b.ai.consume('T1', 'day', 3, 11 * DAY)).allowed).toBe(true);
    expect((await b.ai.consume('T1', 'day', 0, 11 * DAY)).allowed).toBe(false);
  });

  it('never lets concurrent callers past the limit', async () => {
    const a = await backend().open();
    const b = await backend().open();
    const t = 20 * DAY;
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).ai.consume('T1', 'minute', 7, t)));
    expect(results.filter((r) => r.allowed)).toHaveLength(7);
    expect(await a.ai.used('T1', 'minute', t)).toBe(7);
  });
});

describeEachBackend('Slack delivery state', (backend) => {
  it('sees an event id once, also from a second process', async () => {
    const a = await backend().open();
    const b = await backend().open();
    expect(await a.slack.markEventSeen('Ev01')).toBe(true);
    expect(await a.slack.markEventSeen('Ev01')).toBe(false);
    expect(await b.slack.markEventSeen('Ev01')).toBe(false);
  });

  it('lets exactly one of many concurrent deliveries through', async () => {
    const a = await backend().open();
    const b = await backend().open();
    const seen = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).slack.markEventSeen('EvRace')));
    expect(seen.filter(Boolean)).toHaveLength(1);
    const key = { workspace: 'T1', channel: 'C1', threadTs: '1.2', faultKey: 'f' };
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).slack.claimReply(key)));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('lets one reply per thread and fault through, and gives the claim back on failure', async () => {
    const store = await backend().open();
    const key = { workspace: 'T1', channel: 'C1', threadTs: '1700000000.000100', faultKey: 'sqlalchemy.missing-greenlet' };
    expect(await store.slack.claimReply(key)).toBe(true);
    expect(await store.slack.claimReply(key)).toBe(false);
    expect(await store.slack.claimReply({ ...key, faultKey: 'v1:0000000000000abc' })).toBe(true);
    await store.slack.releaseReply(key);
    expect(await store.slack.claimReply(key)).toBe(true);
    await store.slack.setReplyTs(key, '1700000001.000200');
    expect(await store.slack.replyTs(key)).toBe('1700000001.000200');
    await store.slack.releaseReply(key);
    expect(await store.slack.claimReply(key)).toBe(false);
  });

  it('tells an edit that changed the error from one that did not', async () => {
    const store = await backend().open();
    const msg = { workspace: 'T1', channel: 'C1', ts: '1700000000.000100' };
    expect(await store.slack.swapMessageFingerprint(msg, 'v1:a')).toBeNull();
    expect(await store.slack.swapMessageFingerprint(msg, 'v1:a')).toBe('v1:a');
    expect(await store.slack.swapMessageFingerprint(msg, 'v1:b')).toBe('v1:a');
  });

  it('keeps a mode per channel', async () => {
    const store = await backend().open();
    expect(await store.slack.channelMode('T1', 'C1')).toBeNull();
    await store.slack.setChannelMode('T1', 'C1', 'mention-only', 'U1');
    await store.slack.setChannelMode('T1', 'C1', 'off', 'U2');
    expect(await store.slack.channelMode('T1', 'C1')).toBe('off');
    expect(await store.slack.channelMode('T1', 'C2')).toBeNull();
    await expect(store.slack.setChannelMode('T1', 'C1', 'loud' as never)).rejects.toThrow(TypeError);
  });

  it('forgets old event ids on purge', async () => {
    const now = 100 * DAY;
    const store = await backend().open({ now: () => now });
    await store.slack.markEventSeen('old', now - 3 * DAY);
    await store.slack.markEventSeen('new', now);
    expect((await store.purge(90)).events).toBe(1);
    expect(await store.slack.markEventSeen('new')).toBe(false);
    expect(await store.slack.markEventSeen('old')).toBe(true);
  });
});

describeEachBackend('digest log', (backend) => {
  it('gives a period to exactly one of many racing processes, and keeps its outcome', async () => {
    const a = await backend().open();
    const b = await backend().open();
    const period = { key: 'digest:*:C1:2025-06-02T09:00:00.000Z', from: 1, to: 2, channel: 'C1' };
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).digests.claim({ ...period, owner: `p${i}` })));
    expect(claims.filter(Boolean)).toHaveLength(1);
    await a.digests.markPosted(period.key, '1700000000.000100', 5);
    expect(await b.digests.get(period.key)).toMatchObject({ status: 'posted', messageTs: '1700000000.000100', postedAt: 5, channel: 'C1' });
    expect(await b.digests.claim({ ...period, owner: 'later' })).toBe(false);
    await b.digests.markFailed(period.key, 'boom');
    expect((await a.digests.get(period.key))?.error).toBe('boom');
    expect(await a.digests.get('nothing')).toBeNull();
  });
});

describe('the contract suite', () => {
  it('runs on every backend it is given', async () => {
    const { BACKENDS } = await import('./backends.js');
    expect(BACKENDS).toContain('sqlite');
  });
});
