import type pg from 'pg';
import { SchemaTooNewError } from '../migrations.js';
import { FILL_PEOPLE_FROM_OCCURRENCES, PG_BIT_FUNCTIONS } from '../people-bits.js';
import { query, transaction } from './pool.js';

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The PostgreSQL schema's history, oldest first; the same tables and rollups as SQLite's
 * (bot/store/migrations.ts): version 1 is SQLite's 4, version 2 its 5. Never edit one that has shipped: add the next.
 */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'occurrences with rollups, feedback, digests, Slack delivery state, LLM cache and budget',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

      CREATE TABLE occurrences (
        id BIGSERIAL PRIMARY KEY,
        at BIGINT NOT NULL,
        source TEXT NOT NULL,
        workspace TEXT NOT NULL DEFAULT '',
        channel TEXT,
        user_key TEXT,
        fault_id TEXT,
        variant TEXT,
        confidence DOUBLE PRECISION,
        method TEXT,
        fingerprint TEXT NOT NULL,
        excerpt TEXT,
        permalink TEXT,
        lang TEXT
      );
      -- Covering, like SQLite's: the digest reads a period's ragged edges from the index alone.
      CREATE INDEX occurrences_at ON occurrences (at) INCLUDE (workspace, fault_id, method, fingerprint, user_key, channel, id);
      CREATE INDEX occurrences_user_at ON occurrences (user_key, at) WHERE user_key IS NOT NULL;

      CREATE TABLE feedback (
        id BIGSERIAL PRIMARY KEY,
        occurrence_id BIGINT NOT NULL REFERENCES occurrences (id),
        user_key TEXT NOT NULL,
        kind TEXT NOT NULL,
        fix_id TEXT,
        at BIGINT NOT NULL,
        UNIQUE (occurrence_id, user_key)
      );
      CREATE INDEX feedback_at ON feedback (at);

      -- One row per digest period and channel: the INSERT ... ON CONFLICT DO NOTHING that
      -- claims it succeeds in exactly one process.
      CREATE TABLE digests (
        period_key TEXT PRIMARY KEY,
        period_from BIGINT NOT NULL,
        period_to BIGINT NOT NULL,
        channel TEXT,
        status TEXT NOT NULL,
        claimed_at BIGINT NOT NULL,
        claimed_by TEXT NOT NULL,
        posted_at BIGINT,
        message_ts TEXT,
        error TEXT
      );

      CREATE TABLE slack_events (event_id TEXT PRIMARY KEY, at BIGINT NOT NULL);
      CREATE INDEX slack_events_at ON slack_events (at);

      CREATE TABLE slack_replies (
        workspace TEXT NOT NULL,
        channel TEXT NOT NULL,
        thread_ts TEXT NOT NULL,
        fault_key TEXT NOT NULL,
        reply_ts TEXT,
        at BIGINT NOT NULL,
        PRIMARY KEY (workspace, channel, thread_ts, fault_key)
      );

      CREATE TABLE slack_messages (
        workspace TEXT NOT NULL,
        channel TEXT NOT NULL,
        message_ts TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        at BIGINT NOT NULL,
        PRIMARY KEY (workspace, channel, message_ts)
      );
      CREATE INDEX slack_messages_at ON slack_messages (at);

      CREATE TABLE channel_modes (
        workspace TEXT NOT NULL,
        channel TEXT NOT NULL,
        mode TEXT NOT NULL,
        updated_by TEXT,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (workspace, channel)
      );

      CREATE TABLE fault_hours (
        hour BIGINT NOT NULL,
        workspace TEXT NOT NULL,
        fault_key TEXT NOT NULL,
        n BIGINT NOT NULL,
        last_link_id BIGINT,
        PRIMARY KEY (hour, workspace, fault_key)
      );
      CREATE TABLE unmatched_days (
        day BIGINT NOT NULL,
        workspace TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        method_key TEXT NOT NULL,
        n BIGINT NOT NULL,
        last_id BIGINT NOT NULL,
        last_link_id BIGINT,
        PRIMARY KEY (day, workspace, fingerprint, method_key)
      );
      CREATE TABLE day_users (
        day BIGINT NOT NULL,
        workspace TEXT NOT NULL,
        fault_key TEXT NOT NULL,
        user_key TEXT NOT NULL,
        PRIMARY KEY (day, workspace, fault_key, user_key)
      );
      CREATE TABLE day_channels (
        day BIGINT NOT NULL,
        workspace TEXT NOT NULL,
        fault_key TEXT NOT NULL,
        channel TEXT NOT NULL,
        PRIMARY KEY (day, workspace, fault_key, channel)
      );

      CREATE TABLE ai_answers (
        fingerprint TEXT NOT NULL,
        model TEXT NOT NULL,
        prompt_version TEXT NOT NULL,
        value TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        PRIMARY KEY (fingerprint, model, prompt_version)
      );
      CREATE INDEX ai_answers_expires_at ON ai_answers (expires_at);
      CREATE TABLE ai_calls (
        workspace TEXT NOT NULL,
        period TEXT NOT NULL,
        bucket BIGINT NOT NULL,
        count BIGINT NOT NULL,
        PRIMARY KEY (workspace, period, bucket)
      );
    `,
  },
  {
    version: 2,
    // people-bits.ts. day_users and day_channels stay for a replica of version 1 during a
    // rolling deploy, but are no longer read or written.
    name: 'people per day and hour as bitmaps',
    sql: `
      ${PG_BIT_FUNCTIONS}
      CREATE TABLE user_ids (idx BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, key TEXT NOT NULL UNIQUE);
      CREATE TABLE channel_ids (idx BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, key TEXT NOT NULL UNIQUE);
      CREATE TABLE hour_people (
        hour BIGINT NOT NULL,
        workspace TEXT NOT NULL,
        fault_key TEXT NOT NULL,
        users BYTEA,
        channels BYTEA,
        PRIMARY KEY (hour, workspace, fault_key)
      );
      CREATE TABLE day_people (
        day BIGINT NOT NULL,
        workspace TEXT NOT NULL,
        fault_key TEXT NOT NULL,
        users BYTEA,
        channels BYTEA,
        PRIMARY KEY (day, workspace, fault_key)
      );
      ${FILL_PEOPLE_FROM_OCCURRENCES};
    `,
  },
];

export const PG_SCHEMA_VERSION = PG_MIGRATIONS[PG_MIGRATIONS.length - 1]?.version ?? 0;

// Any constant both Faultline processes agree on: they take it before migrating, so replicas
// starting together apply each migration once.
const MIGRATION_LOCK = 4_815_162_342;

export async function pgSchemaVersion(pool: pg.Pool): Promise<number> {
  const rows = await query<{ version: number }>(pool, `SELECT coalesce(max(version), 0)::bigint AS version FROM faultline_schema`).catch(() => [{ version: 0 }]);
  return rows[0]?.version ?? 0;
}

/** Brings the database to the latest version, all steps in one transaction under the lock. */
export async function migratePostgres(pool: pg.Pool): Promise<{ from: number; to: number }> {
  return transaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS faultline_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const res = await client.query(`SELECT coalesce(max(version), 0) AS version FROM faultline_schema`);
    const from = Number(res.rows[0]?.version ?? 0);
    if (from > PG_SCHEMA_VERSION) {
      throw new SchemaTooNewError(`the database is at schema version ${from}, newer than this Faultline (${PG_SCHEMA_VERSION}); upgrade Faultline`);
    }
    for (const m of PG_MIGRATIONS) {
      if (m.version <= from) continue;
      await client.query(m.sql);
      await client.query(`INSERT INTO faultline_schema (version, name) VALUES ($1, $2)`, [m.version, m.name]);
    }
    return { from, to: PG_SCHEMA_VERSION };
  });
}
