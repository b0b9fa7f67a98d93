import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createAiStore, type AiStore } from './ai-cache.js';
import { openDatabase, type Db } from './database.js';
import { createDigestLog, type DigestLog } from './digest-log.js';
import { createFeedbackStore, type FeedbackStore } from './feedback.js';
import { migrate } from './migrations.js';
import { createOccurrenceStats, type OccurrenceStats } from './occurrence-stats.js';
import { createOccurrenceStore, DAY_MS, type OccurrenceStore } from './occurrences.js';
import { createSlackState, type SlackState } from './slack-state.js';
import { createUserKey } from './user-key.js';

export interface StoreOptions {
  /** SQLite file; created with its directory on first use. `:memory:` for a throw-away store. */
  path: string;
  busyTimeoutMs?: number;
  /** HMAC secret for user ids (FAULTLINE_USER_SALT); default: a random salt kept in the file. */
  userSalt?: string | null;
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

/** Opens (creating or upgrading) the database and returns its services. */
export function openStore(options: StoreOptions): Store {
  const path = options.path === ':memory:' ? options.path : resolve(options.path);
  const db: Db = openDatabase({ path, busyTimeoutMs: options.busyTimeoutMs });
  try {
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  const now = options.now ?? Date.now;
  const userKey = createUserKey(db, { salt: options.userSalt, storeRawIds: options.storeRawUserIds });
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
      return { excerpts, events, messages, aiAnswers: answers, aiBuckets: buckets };
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
