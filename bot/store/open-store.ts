import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createAiStore } from './ai-cache.js';
import { openDatabase, type Db } from './database.js';
import { createDigestLog } from './digest-log.js';
import { createFeedbackStore } from './feedback.js';
import { migrate, schemaVersion } from './migrations.js';
import { createOccurrenceStats, type Params, type ReadQuery } from './occurrence-stats.js';
import { createOccurrenceStore, DAY_MS } from './occurrences.js';
import { createResilientSlackState } from './resilient-slack-state.js';
import type { CommonStoreOptions, Store } from './store.js';
import { createStoreHealth } from './store-health.js';
import { createSlackState } from './slack-state.js';
import { createUserKey, readOrCreateKeyFile } from './user-key.js';

export interface StoreOptions extends CommonStoreOptions {
  /** SQLite file; created with its directory on first use. `:memory:` for a throw-away store. */
  path: string;
  busyTimeoutMs?: number;
  /**
   * The key file (FAULTLINE_USER_KEY_FILE), created with mode 0600 on first use; default
   * `<database>.user-key`, next to the database and never inside it. Used when `userKey` is absent.
   */
  userKeyFile?: string | null;
  /**
   * The bot's setting: never wait on another process's lock inside SQLite (a synchronous wait
   * would block the event loop). A locked write fails at once and is retried off the loop.
   */
  nonBlocking?: boolean;
}

export type { PurgeResult, Store } from './store.js';

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

/** Opens (creating or upgrading) the SQLite file and returns its services. */
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
  if (options.nonBlocking) db.pragma('busy_timeout = 0');
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const probe = db.prepare(`INSERT INTO meta (key, value) VALUES ('health_probe', ?) ON CONFLICT DO UPDATE SET value = excluded.value`);
  let slack: ReturnType<typeof createResilientSlackState>;
  const health = createStoreHealth({
    probe: async () => void probe.run(String(now())),
    intervalMs: options.probeIntervalMs,
    onChange: (report) => {
      log(report.ok ? 'store.recovered' : 'store.failing', { reason: report.reason });
      if (report.ok) void slack.writeBack().catch(() => {});
    },
  });
  const occurrences = createOccurrenceStore(db, userKey, now, health, options.queue ?? {});
  slack = createResilientSlackState(createSlackState(db, now, userKey), health, log);
  const ai = createAiStore(db, now);
  // Reads go through cached prepared statements; counts are plain numbers in SQLite.
  const statements = new Map<string, ReturnType<Db['prepare']>>();
  const read: ReadQuery = async <T>(sql: string, params: Params) => {
    let s = statements.get(sql);
    if (!s) {
      s = db.prepare(sql);
      if (statements.size > 200) statements.clear();
      statements.set(sql, s);
    }
    return s.all(params) as T[];
  };
  if (!memory) health.start();

  return {
    backend: 'sqlite',
    location: path,
    occurrences,
    feedback: createFeedbackStore(db, userKey, now),
    stats: createOccurrenceStats(read),
    digests: createDigestLog(db, now),
    slack,
    ai,
    health: () => health.report(),
    async purge(retentionDays, at) {
      const t = at ?? now();
      const excerpts = await occurrences.purgeExcerpts(t - Math.max(0, retentionDays) * DAY_MS);
      const { events, messages } = await slack.purge(t - 2 * DAY_MS);
      const { answers, buckets } = await ai.purge(t - 2 * DAY_MS, t);
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
    async close() {
      health.stop();
      if (!db.open) return;
      await occurrences.flush();
      db.close();
    },
  };
}
