import type pg from 'pg';
import { BUCKET_MS, type AiStore } from '../ai-cache.js';
import { digestFromRow, type DigestLog, type DigestRow } from '../digest-log.js';
import { validateFeedback, type FeedbackKind, type FeedbackStore } from '../feedback.js';
import { createOccurrenceStats, type Params } from '../occurrence-stats.js';
import { DAY_MS } from '../occurrences.js';
import { createResilientSlackState } from '../resilient-slack-state.js';
import { validateChannelMode, type ChannelMode, type ReplyKey, type SlackState } from '../slack-state.js';
import { describeDatabaseUrl, UnsupportedByBackendError, type CommonStoreOptions, type Store } from '../store.js';
import { createStoreHealth } from '../store-health.js';
import { createUserKey, UserKeyError, type UserKeyFn } from '../user-key.js';
import { migratePostgres } from './migrations.js';
import { createPgOccurrenceStore } from './occurrences.js';
import { createPool, query, run, toPositional, transaction } from './pool.js';

/**
 * `userKey` is required unless raw ids are kept: every replica must hash the same user the same
 * way, so a per-host key file will not do.
 */
export interface PostgresStoreOptions extends CommonStoreOptions {
  /** postgres://user:password@host:port/database (DATABASE_URL). */
  url: string;
  poolSize?: number;
  /** Statement and lock timeouts (ms); a lock held elsewhere fails fast and the bot degrades. */
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
}

function slackState(pool: pg.Pool, now: () => number, userKey: UserKeyFn): SlackState {
  const k = (key: ReplyKey) => [key.workspace, key.channel, key.threadTs, key.faultKey];
  return {
    // The unique key makes this atomic across replicas: exactly one INSERT wins.
    markEventSeen: async (eventId, at) => (await run(pool, `INSERT INTO slack_events (event_id, at) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [eventId, at ?? now()])) === 1,
    claimReply: async (key, at) =>
      (await run(pool, `INSERT INTO slack_replies (workspace, channel, thread_ts, fault_key, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [...k(key), at ?? now()])) === 1,
    setReplyTs: async (key, ts) => void (await run(pool, `UPDATE slack_replies SET reply_ts = $1 WHERE workspace = $2 AND channel = $3 AND thread_ts = $4 AND fault_key = $5`, [ts, ...k(key)])),
    replyTs: async (key) =>
      (await query<{ reply_ts: string | null }>(pool, `SELECT reply_ts FROM slack_replies WHERE workspace = $1 AND channel = $2 AND thread_ts = $3 AND fault_key = $4`, k(key)))[0]?.reply_ts ?? null,
    releaseReply: async (key) =>
      void (await run(pool, `DELETE FROM slack_replies WHERE workspace = $1 AND channel = $2 AND thread_ts = $3 AND fault_key = $4 AND reply_ts IS NULL`, k(key))),
    swapMessageFingerprint: (m, fingerprint, at) =>
      transaction(pool, async (c) => {
        // FOR UPDATE: two replicas handling edits of one message read and write in turn.
        const prev = await c.query(`SELECT fingerprint FROM slack_messages WHERE workspace = $1 AND channel = $2 AND message_ts = $3 FOR UPDATE`, [m.workspace, m.channel, m.ts]);
        await c.query(
          `INSERT INTO slack_messages (workspace, channel, message_ts, fingerprint, at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (workspace, channel, message_ts) DO UPDATE SET fingerprint = excluded.fingerprint, at = excluded.at`,
          [m.workspace, m.channel, m.ts, fingerprint, at ?? now()],
        );
        return (prev.rows[0] as { fingerprint: string } | undefined)?.fingerprint ?? null;
      }),
    channelMode: async (workspace, channel) =>
      (await query<{ mode: ChannelMode }>(pool, `SELECT mode FROM channel_modes WHERE workspace = $1 AND channel = $2`, [workspace, channel]))[0]?.mode ?? null,
    async setChannelMode(workspace, channel, mode, setBy, at) {
      validateChannelMode(mode);
      await run(
        pool,
        `INSERT INTO channel_modes (workspace, channel, mode, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (workspace, channel) DO UPDATE SET mode = excluded.mode, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
        [workspace, channel, mode, userKey(setBy ?? null), at ?? now()],
      );
    },
    purge: async (before) => ({
      events: await run(pool, `DELETE FROM slack_events WHERE at < $1`, [before]),
      messages: await run(pool, `DELETE FROM slack_messages WHERE at < $1`, [before]),
    }),
  };
}

function digestLog(pool: pg.Pool, now: () => number): DigestLog {
  const setStatus = (status: string, postedAt: number | null, ts: string | null, error: string | null, key: string) =>
    run(pool, `UPDATE digests SET status = $1, posted_at = $2, message_ts = $3, error = $4 WHERE period_key = $5`, [status, postedAt, ts, error, key]);
  return {
    // One row per period and channel: of replicas whose schedulers fire together, one INSERT wins.
    claim: async (p) =>
      (await run(
        pool,
        `INSERT INTO digests (period_key, period_from, period_to, channel, status, claimed_at, claimed_by) VALUES ($1, $2, $3, $4, 'claimed', $5, $6) ON CONFLICT DO NOTHING`,
        [p.key, p.from, p.to, p.channel, p.at ?? now(), p.owner],
      )) === 1,
    markPosted: async (key, ts, at) => void (await setStatus('posted', at ?? now(), ts, null, key)),
    markEmpty: async (key) => void (await setStatus('empty', null, null, null, key)),
    markFailed: async (key, error) => void (await setStatus('failed', null, null, error.slice(0, 1000), key)),
    async get(key) {
      const [r] = await query<DigestRow>(pool, `SELECT * FROM digests WHERE period_key = $1`, [key]);
      return r ? digestFromRow(r) : null;
    },
  };
}

function feedbackStore(pool: pg.Pool, userKey: UserKeyFn, now: () => number): FeedbackStore {
  return {
    async record(f) {
      const key = validateFeedback(f, userKey);
      if (!Number.isSafeInteger(f.occurrenceId)) return null;
      return transaction(pool, async (c) => {
        const exists = await c.query(`SELECT 1 FROM occurrences WHERE id = $1`, [f.occurrenceId]);
        if (exists.rowCount === 0) return null;
        // xmax <> 0 on the returned row means it was an update of an earlier opinion.
        const res = await c.query(
          `INSERT INTO feedback (occurrence_id, user_key, kind, fix_id, at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (occurrence_id, user_key) DO UPDATE SET kind = excluded.kind, fix_id = excluded.fix_id, at = excluded.at
           RETURNING id, (xmax <> 0) AS replaced`,
          [f.occurrenceId, key, f.kind, f.fixId ?? null, Math.floor(f.at ?? now())],
        );
        const row = res.rows[0] as { id: number; replaced: boolean };
        return { id: row.id, replaced: row.replaced };
      });
    },
    forOccurrence: (id) => query<{ kind: FeedbackKind; fixId: string | null; at: number }>(pool, `SELECT kind, fix_id AS "fixId", at FROM feedback WHERE occurrence_id = $1 ORDER BY at`, [id]),
  };
}

function aiStore(pool: pg.Pool, now: () => number): AiStore {
  type Row = { value: string; createdAt: number; expiresAt: number };
  const parse = <R extends Row>(r: R | undefined) => (r ? { ...r, value: JSON.parse(r.value) as unknown } : null);
  const bucket = (period: 'day' | 'minute', at: number) => Math.floor(at / BUCKET_MS[period]);
  const used = async (workspace: string, period: string, b: number) =>
    (await query<{ count: number }>(pool, `SELECT count FROM ai_calls WHERE workspace = $1 AND period = $2 AND bucket = $3`, [workspace, period, b]))[0]?.count ?? 0;
  return {
    get: async (k, at) =>
      parse((await query<Row>(pool, `SELECT value, created_at AS "createdAt", expires_at AS "expiresAt" FROM ai_answers WHERE fingerprint = $1 AND model = $2 AND prompt_version = $3 AND expires_at > $4`, [k.fingerprint, k.model, k.promptVersion, at ?? now()]))[0]),
    async put(k, value, ttlMs, at) {
      const t = at ?? now();
      await run(
        pool,
        `INSERT INTO ai_answers (fingerprint, model, prompt_version, value, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (fingerprint, model, prompt_version) DO UPDATE SET value = excluded.value, created_at = excluded.created_at, expires_at = excluded.expires_at`,
        [k.fingerprint, k.model, k.promptVersion, JSON.stringify(value), t, t + Math.max(0, ttlMs)],
      );
    },
    latestFor: async (fingerprint, at) =>
      parse(
        (await query<Row & { model: string; promptVersion: string }>(
          pool,
          `SELECT value, model, prompt_version AS "promptVersion", created_at AS "createdAt", expires_at AS "expiresAt" FROM ai_answers
           WHERE fingerprint = $1 AND expires_at > $2 ORDER BY created_at DESC LIMIT 1`,
          [fingerprint, at ?? now()],
        ))[0],
      ),
    async consume(workspace, period, limit, at) {
      const b = bucket(period, at ?? now());
      if (limit <= 0) return { allowed: false, used: await used(workspace, period, b) };
      // One statement, atomic across replicas: the row lock taken by ON CONFLICT serialises
      // concurrent callers, and the WHERE stops the count at the limit.
      const rows = await query<{ count: number }>(
        pool,
        `INSERT INTO ai_calls (workspace, period, bucket, count) VALUES ($1, $2, $3, 1)
         ON CONFLICT (workspace, period, bucket) DO UPDATE SET count = ai_calls.count + 1 WHERE ai_calls.count < $4
         RETURNING count`,
        [workspace, period, b, limit],
      );
      if (rows[0]) return { allowed: true, used: rows[0].count };
      return { allowed: false, used: await used(workspace, period, b) };
    },
    used: (workspace, period, at) => used(workspace, period, bucket(period, at ?? now())),
    purge: async (before, at) => ({
      answers: await run(pool, `DELETE FROM ai_answers WHERE expires_at <= $1`, [at ?? now()]),
      buckets: await run(pool, `DELETE FROM ai_calls WHERE (period = 'day' AND bucket < $1) OR (period = 'minute' AND bucket < $2)`, [bucket('day', before), bucket('minute', before)]),
    }),
  };
}

/** Connects, migrates and returns the PostgreSQL store; shared by any number of processes. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const key = options.storeRawUserIds ? '' : options.userKey;
  if (!options.storeRawUserIds && !key) {
    throw new UserKeyError('With DATABASE_URL, set FAULTLINE_USER_KEY (the same on every process, e.g. `openssl rand -hex 32`): every replica must hash user ids with the same key.');
  }
  const userKey = createUserKey(key ?? '', { storeRawIds: options.storeRawUserIds });
  const pool = createPool({ url: options.url, max: options.poolSize, statementTimeoutMs: options.statementTimeoutMs, lockTimeoutMs: options.lockTimeoutMs });
  try {
    await migratePostgres(pool);
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  let slack: ReturnType<typeof createResilientSlackState>;
  const health = createStoreHealth({
    probe: async () => void (await run(pool, `INSERT INTO meta (key, value) VALUES ('health_probe', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [String(now())])),
    intervalMs: options.probeIntervalMs,
    onChange: (report) => {
      log(report.ok ? 'store.recovered' : 'store.failing', { reason: report.reason });
      if (report.ok) void slack.writeBack().catch(() => {});
    },
  });
  const occurrences = createPgOccurrenceStore(pool, userKey, now, health, options.queue ?? {});
  slack = createResilientSlackState(slackState(pool, now, userKey), health, log);
  const ai = aiStore(pool, now);
  health.start();
  let closed = false;

  return {
    backend: 'postgres',
    location: describeDatabaseUrl(options.url),
    occurrences,
    feedback: feedbackStore(pool, userKey, now),
    stats: createOccurrenceStats(async <T>(sql: string, params: Params) => {
      const q = toPositional(sql, params);
      return query<T>(pool, q.text, q.values);
    }),
    digests: digestLog(pool, now),
    slack,
    ai,
    health: () => health.report(),
    async purge(retentionDays, at) {
      const t = at ?? now();
      const excerpts = await occurrences.purgeExcerpts(t - Math.max(0, retentionDays) * DAY_MS);
      const { events, messages } = await slack.purge(t - 2 * DAY_MS);
      const { answers, buckets } = await ai.purge(t - 2 * DAY_MS, t);
      return { excerpts, events, messages, aiAnswers: answers, aiBuckets: buckets, checkpointed: true };
    },
    async backup() {
      throw new UnsupportedByBackendError('faultline backup copies a SQLite file; for PostgreSQL use pg_dump (e.g. `pg_dump --format=custom "$DATABASE_URL" > faultline.dump`).');
    },
    async close() {
      if (closed) return;
      closed = true;
      health.stop();
      await occurrences.flush();
      await pool.end();
    },
  };
}
