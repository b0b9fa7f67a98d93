import { isAbsolute, resolve } from 'node:path';

export interface StoreSettings {
  /** FAULTLINE_DB, absolute. */
  dbPath: string;
  /** FAULTLINE_RETENTION_DAYS: excerpts older than this are purged. */
  retentionDays: number;
  /** FAULTLINE_USER_SALT: HMAC secret for user ids; null means a random salt kept in the database. */
  userSalt: string | null;
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

  let retentionDays = DEFAULT_RETENTION_DAYS;
  const rawRetention = env.FAULTLINE_RETENTION_DAYS?.trim();
  if (rawRetention) {
    if (/^\d{1,5}$/.test(rawRetention) && Number(rawRetention) >= 1) retentionDays = Number(rawRetention);
    else problems.push(`FAULTLINE_RETENTION_DAYS must be a whole number of days >= 1 (got '${rawRetention}'); default ${DEFAULT_RETENTION_DAYS}.`);
  }

  const userSalt = env.FAULTLINE_USER_SALT?.trim() || null;
  if (userSalt !== null && userSalt.length < 16) {
    problems.push('FAULTLINE_USER_SALT must be at least 16 characters (e.g. `openssl rand -hex 32`), or unset to keep a random salt in the database.');
  }

  let storeRawUserIds = false;
  const rawIds = env.FAULTLINE_STORE_USER_IDS?.trim().toLowerCase();
  if (rawIds) {
    if (rawIds === 'true' || rawIds === '1') storeRawUserIds = true;
    else if (rawIds !== 'false' && rawIds !== '0') problems.push(`FAULTLINE_STORE_USER_IDS must be true or false (got '${env.FAULTLINE_STORE_USER_IDS}').`);
  }

  return { settings: { dbPath, retentionDays, userSalt, storeRawUserIds }, problems };
}
