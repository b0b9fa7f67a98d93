import type { Db } from './database.js';
import { FILL_PEOPLE_FROM_OCCURRENCES } from './people-bits.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}

/**
 * The schema's history, oldest first. A file records the last version applied in
 * `PRAGMA user_version`; opening it applies the rest, each in its own transaction. Never edit
 * a migration that has shipped: add the next one.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'occurrences, feedback, digests and Slack delivery state',
    up(db) {
      db.exec(`
        CREATE TABLE meta (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) WITHOUT ROWID;

        -- One row per diagnosis the bot or the CLI made. Times are milliseconds since the epoch.
        CREATE TABLE occurrences (
          id INTEGER PRIMARY KEY,
          at INTEGER NOT NULL,
          source TEXT NOT NULL,
          workspace TEXT NOT NULL DEFAULT '',
          channel TEXT,
          user_key TEXT,
          fault_id TEXT,
          variant TEXT,
          confidence REAL,
          method TEXT,
          fingerprint TEXT NOT NULL,
          excerpt TEXT,
          permalink TEXT,
          lang TEXT
        );
        -- Deliberately the only index on the hot table (every index costs a page write per
        -- recorded occurrence), and covering: the digest reads the ragged edges of a period
        -- from it without touching the rows. Per-fault lookups go through the rollups.
        CREATE INDEX occurrences_at ON occurrences (at, workspace, fault_id, method, fingerprint, user_key, channel);

        CREATE TABLE feedback (
          id INTEGER PRIMARY KEY,
          occurrence_id INTEGER NOT NULL REFERENCES occurrences (id),
          user_key TEXT NOT NULL,
          kind TEXT NOT NULL,
          fix_id TEXT,
          at INTEGER NOT NULL,
          UNIQUE (occurrence_id, user_key)
        );
        CREATE INDEX feedback_at ON feedback (at);

        -- A period is claimed before its digest is posted, so no restart or second process
        -- posts it again.
        CREATE TABLE digests (
          period_key TEXT PRIMARY KEY,
          period_from INTEGER NOT NULL,
          period_to INTEGER NOT NULL,
          channel TEXT,
          status TEXT NOT NULL,
          claimed_at INTEGER NOT NULL,
          claimed_by TEXT NOT NULL,
          posted_at INTEGER,
          message_ts TEXT,
          error TEXT
        ) WITHOUT ROWID;

        CREATE TABLE slack_events (
          event_id TEXT PRIMARY KEY,
          at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX slack_events_at ON slack_events (at);

        CREATE TABLE slack_replies (
          workspace TEXT NOT NULL,
          channel TEXT NOT NULL,
          thread_ts TEXT NOT NULL,
          fault_key TEXT NOT NULL,
          reply_ts TEXT,
          at INTEGER NOT NULL,
          PRIMARY KEY (workspace, channel, thread_ts, fault_key)
        ) WITHOUT ROWID;

        CREATE TABLE slack_messages (
          workspace TEXT NOT NULL,
          channel TEXT NOT NULL,
          message_ts TEXT NOT NULL,
          fingerprint TEXT NOT NULL,
          at INTEGER NOT NULL,
          PRIMARY KEY (workspace, channel, message_ts)
        ) WITHOUT ROWID;

        CREATE TABLE channel_modes (
          workspace TEXT NOT NULL,
          channel TEXT NOT NULL,
          mode TEXT NOT NULL,
          updated_by TEXT,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (workspace, channel)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 2,
    name: 'rollups for the digest',
    up(db) {
      // The digest reads these instead of scanning occurrences. Each is bounded by what it
      // counts, not by how many occurrences there are:
      // - fault_hours: occurrences per hour and fault ('' = no curated match), with the newest
      //   occurrence that has a permalink, for links;
      // - unmatched_days: errors without a curated match per day and fingerprint (and method:
      //   'ai' when the LLM answered), with the newest occurrence, for examples;
      // - day_users / day_channels: who and where, per day and fault, and under '*' for any
      //   fault, so distinct counts per period need no scan of occurrences.
      db.exec(`
        CREATE TABLE fault_hours (
          hour INTEGER NOT NULL,
          workspace TEXT NOT NULL,
          fault_key TEXT NOT NULL,
          n INTEGER NOT NULL,
          last_link_id INTEGER,
          PRIMARY KEY (hour, workspace, fault_key)
        ) WITHOUT ROWID;

        CREATE TABLE unmatched_days (
          day INTEGER NOT NULL,
          workspace TEXT NOT NULL,
          fingerprint TEXT NOT NULL,
          method_key TEXT NOT NULL,
          n INTEGER NOT NULL,
          last_id INTEGER NOT NULL,
          last_link_id INTEGER,
          PRIMARY KEY (day, workspace, fingerprint, method_key)
        ) WITHOUT ROWID;

        CREATE TABLE day_users (
          day INTEGER NOT NULL,
          workspace TEXT NOT NULL,
          fault_key TEXT NOT NULL,
          user_key TEXT NOT NULL,
          PRIMARY KEY (day, workspace, fault_key, user_key)
        ) WITHOUT ROWID;

        CREATE TABLE day_channels (
          day INTEGER NOT NULL,
          workspace TEXT NOT NULL,
          fault_key TEXT NOT NULL,
          channel TEXT NOT NULL,
          PRIMARY KEY (day, workspace, fault_key, channel)
        ) WITHOUT ROWID;

        INSERT INTO fault_hours (hour, workspace, fault_key, n, last_link_id)
          SELECT at / 3600000, workspace, coalesce(fault_id, ''), count(*), max(CASE WHEN permalink IS NOT NULL THEN id END)
          FROM occurrences GROUP BY 1, 2, 3;
        INSERT INTO unmatched_days (day, workspace, fingerprint, method_key, n, last_id, last_link_id)
          SELECT at / 86400000, workspace, fingerprint, coalesce(method, ''), count(*), max(id), max(CASE WHEN permalink IS NOT NULL THEN id END)
          FROM occurrences WHERE fault_id IS NULL GROUP BY 1, 2, 3, 4;
        INSERT INTO day_users (day, workspace, fault_key, user_key)
          SELECT DISTINCT at / 86400000, workspace, coalesce(fault_id, ''), user_key FROM occurrences WHERE user_key IS NOT NULL
          UNION SELECT DISTINCT at / 86400000, workspace, '*', user_key FROM occurrences WHERE user_key IS NOT NULL;
        INSERT INTO day_channels (day, workspace, fault_key, channel)
          SELECT DISTINCT at / 86400000, workspace, coalesce(fault_id, ''), channel FROM occurrences WHERE channel IS NOT NULL
          UNION SELECT DISTINCT at / 86400000, workspace, '*', channel FROM occurrences WHERE channel IS NOT NULL;
      `);
    },
  },
  {
    version: 3,
    name: 'LLM answer cache, call budget, per-user lookups',
    up(db) {
      db.exec(`
        CREATE TABLE ai_answers (
          fingerprint TEXT NOT NULL,
          model TEXT NOT NULL,
          prompt_version TEXT NOT NULL,
          value TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          PRIMARY KEY (fingerprint, model, prompt_version)
        ) WITHOUT ROWID;
        CREATE INDEX ai_answers_expires_at ON ai_answers (expires_at);

        CREATE TABLE ai_calls (
          workspace TEXT NOT NULL,
          period TEXT NOT NULL,
          bucket INTEGER NOT NULL,
          count INTEGER NOT NULL,
          PRIMARY KEY (workspace, period, bucket)
        ) WITHOUT ROWID;

        CREATE INDEX occurrences_user_at ON occurrences (user_key, at) WHERE user_key IS NOT NULL;
      `);
    },
  },
  {
    version: 4,
    // openStore has copied the salt into the key file next to the database before this runs.
    name: 'the user-id key leaves the database',
    up(db) {
      db.exec(`DELETE FROM meta WHERE key = 'user_salt'`);
    },
  },  {
    version: 5,
    // people-bits.ts: distinct people per period from per-day and per-hour bitmaps. day_users and
    // day_channels stay (a replica of the previous version may still write them during a
    // rolling deploy) but are no longer read or written.
    name: 'people per day and hour as bitmaps',
    up(db) {
      db.exec(`
        CREATE TABLE user_ids (idx INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
        CREATE TABLE channel_ids (idx INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
        CREATE TABLE hour_people (
          hour INTEGER NOT NULL,
          workspace TEXT NOT NULL,
          fault_key TEXT NOT NULL,
          users BLOB,
          channels BLOB,
          PRIMARY KEY (hour, workspace, fault_key)
        ) WITHOUT ROWID;
        CREATE TABLE day_people (
          day INTEGER NOT NULL,
          workspace TEXT NOT NULL,
          fault_key TEXT NOT NULL,
          users BLOB,
          channels BLOB,
          PRIMARY KEY (day, workspace, fault_key)
        ) WITHOUT ROWID;

        ${FILL_PEOPLE_FROM_OCCURRENCES};
      `);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Thrown when the file was written by a newer Faultline than this one. */
export class SchemaTooNewError extends Error {
  override name = 'SchemaTooNewError';
}

/**
 * Brings the file to `target` (default: the latest version). Each step runs in an IMMEDIATE
 * transaction that re-reads the version, so processes opening the same file at once apply
 * each migration exactly once.
 */
export function migrate(db: Db, target: number = SCHEMA_VERSION): { from: number; to: number } {
  const from = schemaVersion(db);
  if (from > SCHEMA_VERSION) {
    throw new SchemaTooNewError(`the database is at schema version ${from}, newer than this Faultline (${SCHEMA_VERSION}); upgrade Faultline`);
  }
  for (const migration of MIGRATIONS) {
    if (migration.version > target) break;
    db.transaction(() => {
      if (schemaVersion(db) >= migration.version) return;
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return { from, to: schemaVersion(db) };
}
