import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { registerBitFunctions } from './people-bits.js';

export type Db = Database.Database;

export interface DatabaseOptions {
  /** File path; its parent directory is created. `:memory:` for a throw-away database. */
  path: string;
  /** How long a writer waits for another process's lock before failing (SQLITE_BUSY). */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

/**
 * Opens the SQLite file with the settings every Faultline process uses: WAL (readers never
 * block the writer, and a crash loses nothing that was committed), synchronous=NORMAL (in WAL
 * a commit survives a killed process; only a power cut can take the last commits), a busy
 * timeout so the bot, the CLI and a backup can share the file, and foreign keys on.
 */
export function openDatabase(options: DatabaseOptions): Db {
  const memory = options.path === ':memory:';
  const path = memory ? options.path : resolve(options.path);
  if (!options.readonly && !memory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { readonly: options.readonly ?? false, timeout: options.busyTimeoutMs ?? 5000 });
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // Checkpoint every ~40 MiB of WAL instead of ~4 MiB: each checkpoint costs two fsyncs,
      // and at the default a busy bot spent most of its recording time waiting on them.
      db.pragma('wal_autocheckpoint = 10000');
    }
    db.pragma('foreign_keys = ON');
    // Deleted and overwritten content is zeroed on its page, so a purged excerpt does not stay
    // readable in the file's free space (see Store.purge for the rest).
    db.pragma('secure_delete = ON');
    // 32 MiB of page cache (default 2 MiB): the rollups and the time index of a year of
    // occurrences stay in memory, so recording and the digest rarely read from the file.
    db.pragma('cache_size = -32768');
    registerBitFunctions(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Runs `fn` in a write transaction taken up front (BEGIN IMMEDIATE): two processes doing
 * read-then-write never both read the old state, and the loser waits for the busy timeout
 * instead of failing half-way with SQLITE_BUSY on upgrade from a read lock.
 */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}
