import type { Db } from './database.js';

export type DigestStatus = 'claimed' | 'posted' | 'empty' | 'failed';

export interface DigestRecord {
  periodKey: string;
  from: number;
  to: number;
  channel: string | null;
  status: DigestStatus;
  claimedAt: number;
  claimedBy: string;
  postedAt: number | null;
  messageTs: string | null;
  error: string | null;
}

export interface DigestLog {
  /**
   * Takes the period for this process. True for exactly one caller per period, however many
   * processes race and however often they restart; the claim is committed before this returns,
   * so post only after it and a crash afterwards means "maybe posted", never "post again".
   */
  claim(period: { key: string; from: number; to: number; channel: string | null; owner: string; at?: number }): Promise<boolean>;
  markPosted(key: string, messageTs: string | null, at?: number): Promise<void>;
  /** Nothing happened in the period, so nothing was posted. */
  markEmpty(key: string): Promise<void>;
  /** Posting failed; the period stays claimed (at most once), the error is kept for the operator. */
  markFailed(key: string, error: string): Promise<void>;
  get(key: string): Promise<DigestRecord | null>;
}

export interface DigestRow {
  period_key: string;
  period_from: number;
  period_to: number;
  channel: string | null;
  status: DigestStatus;
  claimed_at: number;
  claimed_by: string;
  posted_at: number | null;
  message_ts: string | null;
  error: string | null;
}

export function createDigestLog(db: Db, now: () => number): DigestLog {
  const claim = db.prepare(`
    INSERT INTO digests (period_key, period_from, period_to, channel, status, claimed_at, claimed_by)
    VALUES (?, ?, ?, ?, 'claimed', ?, ?) ON CONFLICT DO NOTHING`);
  const setStatus = db.prepare(`UPDATE digests SET status = ?, posted_at = ?, message_ts = ?, error = ? WHERE period_key = ?`);
  const get = db.prepare(`SELECT * FROM digests WHERE period_key = ?`);

  return {
    claim: async (p) => claim.run(p.key, p.from, p.to, p.channel, p.at ?? now(), p.owner).changes === 1,
    markPosted: async (key, ts, at) => void setStatus.run('posted', at ?? now(), ts, null, key),
    markEmpty: async (key) => void setStatus.run('empty', null, null, null, key),
    markFailed: async (key, error) => void setStatus.run('failed', null, null, error.slice(0, 1000), key),
    async get(key) {
      const r = get.get(key) as DigestRow | undefined;
      return r ? digestFromRow(r) : null;
    },
  };
}

export function digestFromRow(r: DigestRow): DigestRecord {
  return {
    periodKey: r.period_key,
    from: r.period_from,
    to: r.period_to,
    channel: r.channel,
    status: r.status,
    claimedAt: r.claimed_at,
    claimedBy: r.claimed_by,
    postedAt: r.posted_at,
    messageTs: r.message_ts,
    error: r.error,
  };
}
