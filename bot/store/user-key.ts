import { createHmac, randomBytes } from 'node:crypto';
import type { Db } from './database.js';

export interface UserKeyOptions {
  /** Secret for the HMAC; when absent, a random one is created once and kept in the file. */
  salt?: string | null;
  /** Store Slack user ids as they are (for teams that want names in reports). */
  storeRawIds?: boolean;
}

export type UserKeyFn = (userId: string | null | undefined) => string | null;

function saltFromFile(db: Db): string {
  // INSERT OR IGNORE then read: two processes creating the file at once agree on one salt.
  db.prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('user_salt', ?)`).run(randomBytes(32).toString('hex'));
  const row = db.prepare(`SELECT value FROM meta WHERE key = 'user_salt'`).get() as { value: string };
  return row.value;
}

/**
 * How a user is stored: a keyed hash that is stable for the same id (so "3 people hit this"
 * and "your recent diagnoses" work) but cannot be turned back into the id without the salt.
 */
export function createUserKey(db: Db, options: UserKeyOptions = {}): UserKeyFn {
  if (options.storeRawIds) return (userId) => userId || null;
  const salt = options.salt || saltFromFile(db);
  const cache = new Map<string, string>();
  return (userId) => {
    if (!userId) return null;
    let key = cache.get(userId);
    if (!key) {
      key = 'h:' + createHmac('sha256', salt).update(userId).digest('hex').slice(0, 32);
      if (cache.size > 10_000) cache.clear();
      cache.set(userId, key);
    }
    return key;
  };
}
