import type { Db } from './database.js';

export interface AiCacheKey {
  fingerprint: string;
  model: string;
  promptVersion: string;
}

export interface CachedAnswer<T = unknown> {
  value: T;
  createdAt: number;
  expiresAt: number;
}

export type BudgetPeriod = 'day' | 'minute';

export interface AiStore {
  /** The cached answer, or null when absent or expired. The value is parsed JSON: validate it. */
  get(key: AiCacheKey, at?: number): Promise<CachedAnswer | null>;
  put(key: AiCacheKey, value: unknown, ttlMs: number, at?: number): Promise<void>;
  /** The newest unexpired answer for a fingerprint, any model (for `knowledge draft`). */
  latestFor(fingerprint: string, at?: number): Promise<(CachedAnswer & { model: string; promptVersion: string }) | null>;
  /**
   * Counts one call against a workspace's budget for the current UTC day (or minute) if it is
   * under `limit`; atomic across processes. `allowed: false` means do not call the model.
   */
  consume(workspace: string, period: BudgetPeriod, limit: number, at?: number): Promise<{ allowed: boolean; used: number }>;
  used(workspace: string, period: BudgetPeriod, at?: number): Promise<number>;
  /** Drops expired answers and budget buckets older than `before`. */
  purge(before: number, at?: number): Promise<{ answers: number; buckets: number }>;
}

export const BUCKET_MS: Record<BudgetPeriod, number> = { day: 86_400_000, minute: 60_000 };

export function createAiStore(db: Db, now: () => number): AiStore {
  const get = db.prepare(`SELECT value, created_at AS createdAt, expires_at AS expiresAt FROM ai_answers WHERE fingerprint = ? AND model = ? AND prompt_version = ? AND expires_at > ?`);
  const put = db.prepare(`
    INSERT INTO ai_answers (fingerprint, model, prompt_version, value, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET value = excluded.value, created_at = excluded.created_at, expires_at = excluded.expires_at`);
  const latest = db.prepare(`
    SELECT value, model, prompt_version AS promptVersion, created_at AS createdAt, expires_at AS expiresAt FROM ai_answers
    WHERE fingerprint = ? AND expires_at > ? ORDER BY created_at DESC LIMIT 1`);
  // One statement: the increment only happens while under the limit, so concurrent callers
  // cannot both take the last call.
  const consume = db.prepare(`
    INSERT INTO ai_calls (workspace, period, bucket, count) VALUES (?, ?, ?, 1)
    ON CONFLICT DO UPDATE SET count = count + 1 WHERE count < ?`);
  const used = db.prepare(`SELECT count FROM ai_calls WHERE workspace = ? AND period = ? AND bucket = ?`).pluck();
  const purgeAnswers = db.prepare(`DELETE FROM ai_answers WHERE expires_at <= ?`);
  const purgeBuckets = db.prepare(`DELETE FROM ai_calls WHERE (period = 'day' AND bucket < ?) OR (period = 'minute' AND bucket < ?)`);

  type Row = { value: string; createdAt: number; expiresAt: number };
  const parse = <R extends Row>(r: R | undefined) => (r ? { ...r, value: JSON.parse(r.value) as unknown } : null);
  const bucket = (period: BudgetPeriod, at: number) => Math.floor(at / BUCKET_MS[period]);

  return {
    get: async (k, at) => parse(get.get(k.fingerprint, k.model, k.promptVersion, at ?? now()) as Row | undefined),
    async put(k, value, ttlMs, at) {
      const t = at ?? now();
      put.run(k.fingerprint, k.model, k.promptVersion, JSON.stringify(value), t, t + Math.max(0, ttlMs));
    },
    latestFor: async (fingerprint, at) =>
      parse(latest.get(fingerprint, at ?? now()) as (Row & { model: string; promptVersion: string }) | undefined),
    async consume(workspace, period, limit, at) {
      const b = bucket(period, at ?? now());
      if (limit <= 0) return { allowed: false, used: (used.get(workspace, period, b) as number | undefined) ?? 0 };
      const allowed = consume.run(workspace, period, b, limit).changes === 1;
      return { allowed, used: (used.get(workspace, period, b) as number | undefined) ?? 0 };
    },
    used: async (workspace, period, at) => (used.get(workspace, period, bucket(period, at ?? now())) as number | undefined) ?? 0,
    async purge(before, at) {
      return {
        answers: purgeAnswers.run(at ?? now()).changes,
        buckets: purgeBuckets.run(bucket('day', before), bucket('minute', before)).changes,
      };
    },
  };
}
