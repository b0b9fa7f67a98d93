import { openStore } from './open-store.js';
import { openPostgresStore } from './postgres/open-postgres-store.js';
import type { StoreSettings } from './settings.js';
import type { Store } from './store.js';

export interface ConnectOptions {
  /** The bot: never block the event loop on a SQLite lock (see StoreOptions.nonBlocking). */
  nonBlocking?: boolean;
  /** Another SQLite file than the configured one (e.g. ':memory:'). */
  path?: string;
  now?: () => number;
  log?: (event: string, fields: Record<string, unknown>) => void;
}

/** DATABASE_URL set: PostgreSQL; otherwise the SQLite file FAULTLINE_DB. */
export async function connectStore(settings: Pick<StoreSettings, 'dbPath' | 'databaseUrl' | 'userKey' | 'userKeyFile' | 'storeRawUserIds'>, options: ConnectOptions = {}): Promise<Store> {
  if (settings.databaseUrl && options.path === undefined) {
    return openPostgresStore({ url: settings.databaseUrl, userKey: settings.userKey, storeRawUserIds: settings.storeRawUserIds, now: options.now, log: options.log });
  }
  return openStore({
    path: options.path ?? settings.dbPath,
    userKey: settings.userKey,
    userKeyFile: settings.userKeyFile,
    storeRawUserIds: settings.storeRawUserIds,
    nonBlocking: options.nonBlocking,
    now: options.now,
    log: options.log,
  });
}
