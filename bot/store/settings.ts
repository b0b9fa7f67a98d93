import { isAbsolute, resolve } from 'node:path';

export interface StoreSettings {
  /** FAULTLINE_DB, absolute: the SQLite file, used when no DATABASE_URL is set. */
  dbPath: string;
  /** DATABASE_URL (postgres://...): PostgreSQL, shared by every bot process; null: SQLite. */
  databaseUrl: string | null;
  /** FAULTLINE_RETENTION_DAYS: excerpts older than this are purged. */
  retentionDays: number;
  /** FAULTLINE_USER_KEY (or the older FAULTLINE_USER_SALT): HMAC key for user ids; null: the key file. */
  userKey: string | null;
  /** FAULTLINE_USER_KEY_FILE, absolute; null: `<database>.user-key`. */
  userKeyFile: string | null;
  /** FAULTLINE_STORE_USER_IDS=true keeps raw Slack user ids. */
  storeRawUserIds: boolean;
}

export const DEFAULT_DB_PATH = './data/faultline.db';
export const DEFAULT_RETENTION_DAYS = 90;

/**
 * Reads the storage settings from an environment and reports every problem at once, for the
 * app's config loader (and the CLI commands, which get `env` in their context).
 */
export function readStoreSettings(env: NodeJS.ProcessEnv, cwd: string): { settings: StoreSettings; problems: string[] } {
  const problems: string[] = [];
  const rawPath = env.FAULTLINE_DB?.trim() || DEFAULT_DB_PATH;
  const dbPath = isAbsolute(rawPath) ? rawPath : resolve(cwd, rawPath);

  let databaseUrl: string | null = env.DATABASE_URL?.trim() || null;
  if (databaseUrl !== null) {
    let protocol = '';
    try {
      protocol = new URL(databaseUrl).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
      problems.push(`DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/database), or unset for the SQLite file FAULTLINE_DB.`);
      databaseUrl = null;
    }
  }

  let retentionDays = DEFAULT_RETENTION_DAYS;
  const rawRetention = env.FAULTLINE_RETENTION_DAYS?.trim();
  if (rawRetention) {
    if (/^\d{1,5}$/.test(rawRetention) && Number(rawRetention) >= 1) retentionDays = Number(rawRetention);
    else problems.push(`FAULTLINE_RETENTION_DAYS must be a whole number of days >= 1 (got '${rawRetention}'); default ${DEFAULT_RETENTION_DAYS}.`);
  }

  // FAULTLINE_USER_SALT is the name older versions read; the same value keeps the same hashes.
  const keyName = env.FAULTLINE_USER_KEY?.trim() ? 'FAULTLINE_USER_KEY' : 'FAULTLINE_USER_SALT';
  const userKey = env[keyName]?.trim() || null;
  if (databaseUrl !== null && userKey === null && !['true', '1'].includes(env.FAULTLINE_STORE_USER_IDS?.trim().toLowerCase() ?? '')) {
    problems.push('With DATABASE_URL, set FAULTLINE_USER_KEY (the same value on every process, e.g. `openssl rand -hex 32`): replicas must hash user ids with one key.');
  }
  if (userKey !== null && userKey.length < 16) {
    problems.push(`${keyName} must be at least 16 characters (e.g. \`openssl rand -hex 32\`), or unset to use a key file next to the database.`);
  }
  const rawKeyFile = env.FAULTLINE_USER_KEY_FILE?.trim();
  const userKeyFile = rawKeyFile ? (isAbsolute(rawKeyFile) ? rawKeyFile : resolve(cwd, rawKeyFile)) : null;

  let storeRawUserIds = false;
  const rawIds = env.FAULTLINE_STORE_USER_IDS?.trim().toLowerCase();
  if (rawIds) {
    if (rawIds === 'true' || rawIds === '1') storeRawUserIds = true;
    else if (rawIds !== 'false' && rawIds !== '0') problems.push(`FAULTLINE_STORE_USER_IDS must be true or false (got '${env.FAULTLINE_STORE_USER_IDS}').`);
  }

  return { settings: { dbPath, databaseUrl, retentionDays, userKey, userKeyFile, storeRawUserIds }, problems };
}
