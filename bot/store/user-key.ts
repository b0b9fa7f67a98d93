import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';

export type UserKeyFn = (userId: string | null | undefined) => string | null;

export class UserKeyError extends Error {
  override name = 'UserKeyError';
}

const MIN_KEY_CHARS = 16;

function waitMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The key file next to the database (never inside it): created once with a random key and mode
 * 0600, read afterwards. `initial` seeds a new file (the salt an older Faultline kept in the
 * database, so existing hashes stay valid). Two processes starting at once agree on one key.
 */
export function readOrCreateKeyFile(path: string, initial?: string | null): string {
  try {
    writeFileSync(path, `${initial || randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new UserKeyError(`Cannot create the user-id key file ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); make its folder writable or set FAULTLINE_USER_KEY_FILE.`);
    }
  }
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) {
    throw new UserKeyError(`The user-id key file ${path} can be read by other users (mode ${mode.toString(8)}); run: chmod 600 ${path}`);
  }
  // Another process may have created the file a moment ago and not yet written it.
  for (let i = 0; i < 20; i++) {
    const key = readFileSync(path, 'utf8').trim();
    if (key.length >= MIN_KEY_CHARS) return key;
    waitMs(50);
  }
  throw new UserKeyError(`The user-id key file ${path} holds no key of at least ${MIN_KEY_CHARS} characters; delete it to make a new one (stored hashes will no longer match) or put the key back.`);
}

/**
 * How a user is stored: a keyed hash (HMAC-SHA-256) that is stable for the same id (so "3
 * people hit this" and "your recent diagnoses" work) but cannot be turned back into the id
 * without the key, which is never stored in the database.
 */
export function createUserKey(key: string, options: { storeRawIds?: boolean } = {}): UserKeyFn {
  if (options.storeRawIds) return (userId) => userId || null;
  if (key.length < MIN_KEY_CHARS) throw new UserKeyError(`the user-id key must be at least ${MIN_KEY_CHARS} characters`);
  const cache = new Map<string, string>();
  return (userId) => {
    if (!userId) return null;
    let hashed = cache.get(userId);
    if (!hashed) {
      hashed = 'h:' + createHmac('sha256', key).update(userId).digest('hex').slice(0, 32);
      if (cache.size > 10_000) cache.clear();
      cache.set(userId, hashed);
    }
    return hashed;
  };
}
