import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createAiStore, type AiStore } from './ai-cache.js';
import { openDatabase, type Db } from './database.js';
import { createDigestLog, type DigestLog } from './digest-log.js';
import { createFeedbackStore, type FeedbackStore } from './feedback.js';
import { migrate, schemaVersion } from './migrations.js';
import { createOccurrenceStats, type OccurrenceStats } from './occurrence-stats.js';
import { createOccurrenceStore, DAY_MS, type OccurrenceStore } from './occurrences.js';
import { createSlackState, type SlackState } from './slack-state.js';
import { createUserKey, readOrCreateKeyFile } from './user-key.js';

export interface StoreOptions {
  /** SQLite file; created with its directory on first use. `:memory:` for a throw-away store. */
  path: string;
  busyTimeoutMs?: number;
  /** HMAC key for user ids (FAULTLINE_USER_KEY); when absent, the key file is used. */
  userKey?: string | null;
  /**
   * The key file (FAULTLINE_USER_KEY_FILE), created with mode 0600 on first use; default
   * `<database>.user-key`, next to the database and never inside it.
   */
  userKeyFile?: string | null;
  /** Keep raw Slack user ids instead of hashes (FAULTLINE_STORE_USER_IDS). */
  storeRawUserIds?: boolean;
  /** Clock, for tests. */
  now?: () => number;
}

export interface PurgeResult {
  excerpts: number;
  events: number;
  messages: number;
  aiAnswers: number;
  aiBuckets: number;
  /** The WAL was checkpointed and truncated (false while another process holds a read). */
  checkpointed: boolean;
}

export interface Store {
  readonly path: string;
  occurrences: OccurrenceStore;
  feedback: FeedbackStore;
  stats: OccurrenceStats;
  digests: DigestLog;
  slack: SlackState;
  ai: AiStore;
  /**
   * Retention: clears excerpts older than `retentionDays` (counts stay), forgets Slack event
   * ids and message fingerprints older than two days, expired LLM answers and old budgets.
   */
  purge(retentionDays: number, at?: number): PurgeResult;
  /** A consistent copy of the live database (SQLite online backup; writers keep going). */
  backup(file: string): Promise<{ pages: number }>;
  /** Commits queued occurrences, then closes the file (on SIGTERM). */
  close(): void;
}

/**
 * Makes deleted text leave the file's bytes: secure_delete (set when the file is opened) has
 * zeroed it on its pages; the incremental vacuum returns free pages to the file system, and a
 * TRUNCATE checkpoint copies the WAL into the database and empties it, so the WAL's older
 * copies of those pages are gone too. Returns false when a reader kept the checkpoint from
 * finishing (the next purge retries).
 */
function compact(db: Db): boolean {
  db.pragma('incremental_vacuum');
  const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
  return result ? result.busy === 0 : true;
}

/** Opens (creating or upgrading) the database and returns its services. */
export function openStore(options: StoreOptions): Store {
  const path = options.path === ':memory:' ? options.path : resolve(options.path);
  const memory = path === ':memory:';
  const db: Db = openDatabase({ path, busyTimeoutMs: options.busyTimeoutMs });
  let userKey: ReturnType<typeof createUserKey>;
  try {
    // A new file gets incremental auto-vacuum before its first table, so purges can hand freed
    // pages back to the file system.
    if (!memory && schemaVersion(db) === 0) db.pragma('auto_vacuum = INCREMENTAL');
    const legacySalt = schemaVersion(db) >= 1 && schemaVersion(db) < 4 ? (db.prepare(`SELECT value FROM meta WHERE key = 'user_salt'`).get() as { value: string } | undefined)?.value : undefined;
    const key = options.storeRawUserIds
      ? ''
      : options.userKey || (memory ? randomBytes(32).toString('hex') : readOrCreateKeyFile(resolve(options.userKeyFile || `${path}.user-key`), legacySalt));
    userKey = createUserKey(key, { storeRawIds: options.storeRawUserIds });
    const { from } = migrate(db);
    if (!memory && db.pragma('auto_vacuum', { simple: true }) !== 2) {
      // Files made before secure deletion: switch once (VACUUM rewrites the file).
      db.pragma('auto_vacuum = INCREMENTAL');
      db.exec('VACUUM');
    } else if (from > 0 && from < 4) {
      compact(db);
    }
  } catch (err) {
    db.close();
    throw err;
  }
  const now = options.now ?? Date.now;
  const occurrences = createOccurrenceStore(db, userKey, now);
  const slack = createSlackState(db, now, userKey);
  const ai = createAiStore(db, now);

  return {
    path,
    occurrences,
    feedback: createFeedbackStore(db, userKey, now),
    stats: createOccurrenceStats(db),
    digests: createDigestLog(db, now),
    slack,
    ai,
    purge(retentionDays, at) {
      const t = at ?? now();
      const excerpts = occurrences.purgeExcerpts(t - Math.max(0, retentionDays) * DAY_MS);
      const { events, messages } = slack.purge(t - 2 * DAY_MS);
      const { answers, buckets } = ai.purge(t - 2 * DAY_MS, t);
      const checkpointed = memory || compact(db);
      return { excerpts, events, messages, aiAnswers: answers, aiBuckets: buckets, checkpointed };
    },
    async backup(file) {
      const target = resolve(file);
      if (target === path || target === `${path}-wal` || target === `${path}-shm`) {
        throw new Error('the backup file must not be the live database');
      }
      mkdirSync(dirname(target), { recursive: true });
      const result = await db.backup(target);
      return { pages: result.totalPages };
    },
    close() {
      if (!db.open) return;
      occurrences.flush();
      db.close();
    },
  };
}
