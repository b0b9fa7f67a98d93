import type { Store } from '../../bot/store/open-store.js';
import type { NewOccurrence } from '../../bot/store/occurrences.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** The seeded period: Monday 13 Jan 2025 09:00 UTC to Monday 20 Jan 09:00 (exclusive). */
export const FROM = Date.UTC(2025, 0, 13, 9);
export const TO = FROM + 7 * DAY;

export const A = 'sqlalchemy.missing-greenlet';
export const B = 'pydantic.from-attributes';
export const C = 'sqlalchemy.detached-instance';
export const D = 'sqlalchemy.queuepool-limit';

function occ(at: number, faultId: string | null, over: Partial<NewOccurrence> = {}): NewOccurrence {
  return {
    source: 'message',
    at,
    workspace: 'T1',
    channel: 'C1',
    user: 'U1',
    faultId,
    method: faultId ? 'signature' : null,
    confidence: faultId ? 0.97 : null,
    fingerprint: faultId ? `v1:${faultId}` : 'v1:unmatched',
    text: `some error for ${faultId ?? 'nothing'}`,
    permalink: null,
    ...over,
  };
}

/**
 * Current period: A 6 (3 users, 2 channels), B 3 (one of them 1 ms before the end), C 1,
 * unmatched u1 3, u2 1, ai1 2 (LLM answers): total 16, matched 10.
 * Previous period: A 2, C 5, D 4 (one 1 ms before the start), u1 1: total 12.
 * Feedback: A solved by selectinload twice and joinedload once, one "didn't help";
 * C solved twice last period, then 2 "wrong" and 1 "didn't help" this period.
 */
export async function seedDigest(store: Store): Promise<{ a: number[]; c: number[] }> {
  const d = (day: number, hour = 0) => FROM + day * DAY + hour * HOUR;
  const a = (await store.occurrences.recordMany([
    occ(d(0, 1), A, { user: 'U1', channel: 'C1', permalink: 'https://acme.slack.com/archives/C1/p1736762400000100' }),
    occ(d(0, 2), A, { user: 'U1', channel: 'C1' }),
    occ(d(2, 5), A, { user: 'U2', channel: 'C2', permalink: 'https://acme.slack.com/archives/C2/p1736935200000200' }),
    occ(d(2, 6), A, { user: 'U3', channel: 'C2' }),
    occ(d(6, 20), A, { user: 'U1', channel: 'C1', source: 'cli', workspace: 'T1' }),
    occ(d(6, 23), A, { user: 'U3', channel: 'C1', permalink: 'https://acme.slack.com/archives/C1/p1737320400000300' }),
  ]));
  (await store.occurrences.recordMany([
    occ(d(1), B, { user: 'U4' }),
    occ(d(3), B, { user: 'U4' }),
    occ(TO - 1, B, { user: 'U5', channel: 'C3' }),
    occ(TO, B, { user: 'U6' }), // the next period
  ]));
  const c = (await store.occurrences.recordMany([
    occ(d(4), C),
    ...[1, 2, 3, 4, 5].map((i) => occ(d(-i), C)),
  ]));
  (await store.occurrences.recordMany([
    occ(d(-1), A),
    occ(d(-2), A),
    occ(d(-3), D),
    occ(d(-4), D),
    occ(d(-5), D),
    occ(FROM - 1, D),
    occ(FROM - 7 * DAY - 1, D), // before the previous period
  ]));
  const secret = 'DATABASE_URL=postgresql://app:hunter2@db/app\nsqlalchemy.exc.ProgrammingError: (psycopg2.errors.UndefinedTable) relation "widgets" does not exist';
  (await store.occurrences.recordMany([
    occ(d(1), null, { fingerprint: 'v1:u1', text: secret, permalink: 'https://acme.slack.com/archives/C1/p1736848800000400' }),
    occ(d(2), null, { fingerprint: 'v1:u1', text: secret }),
    occ(d(5), null, { fingerprint: 'v1:u1', text: secret, user: 'U7' }),
    occ(d(-6), null, { fingerprint: 'v1:u1', text: secret }),
    occ(d(3), null, { fingerprint: 'v1:u2', text: 'ValueError: something odd' }),
    occ(d(2), null, { fingerprint: 'v1:ai1', method: 'ai', text: 'celery.exceptions.TimeoutError: the operation timed out' }),
    occ(d(4), null, { fingerprint: 'v1:ai1', method: 'ai', text: 'celery.exceptions.TimeoutError: the operation timed out' }),
  ]));

  const [a0, a1, a2, a3] = a as [number, number, number, number];
  await store.feedback.record({ occurrenceId: a0, user: 'U1', kind: 'solved', fixId: 'selectinload', at: d(0, 3) });
  await store.feedback.record({ occurrenceId: a2, user: 'U2', kind: 'solved', fixId: 'selectinload', at: d(2, 7) });
  await store.feedback.record({ occurrenceId: a3, user: 'U3', kind: 'solved', fixId: 'joinedload', at: d(2, 8) });
  await store.feedback.record({ occurrenceId: a1, user: 'U1', kind: 'didnt_help', at: d(0, 4) });
  const [c0, c1, c2] = c as [number, number, number];
  await store.feedback.record({ occurrenceId: c1, user: 'U1', kind: 'solved', at: d(-1) + HOUR });
  await store.feedback.record({ occurrenceId: c2, user: 'U2', kind: 'solved', at: d(-2) + HOUR });
  await store.feedback.record({ occurrenceId: c0, user: 'U1', kind: 'wrong', at: d(4) + HOUR });
  await store.feedback.record({ occurrenceId: c0, user: 'U2', kind: 'wrong', at: d(4) + 2 * HOUR });
  await store.feedback.record({ occurrenceId: c1, user: 'U3', kind: 'didnt_help', at: d(4) + 3 * HOUR });
  return { a, c };
}
