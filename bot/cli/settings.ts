import { ConfigError, loadConfig, type CoreConfig } from '../config.js';
import { connectStore } from '../store/connect-store.js';
import { describeDatabaseUrl, type Store } from '../store/store.js';
import type { CliContext } from './command.js';

/**
 * The settings a CLI command needs (no Slack ones). On a bad setting it prints every problem,
 * then what that means for this command (`consequence`), and returns null.
 */
export function loadCliConfig(ctx: CliContext, consequence = ''): CoreConfig | null {
  try {
    return loadConfig(ctx.env, { slack: false, cwd: ctx.cwd });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    ctx.stderr.write(`${err.message}\n${consequence ? `${consequence}\n` : ''}`);
    return null;
  }
}

/**
 * Opens the configured store as the bot does: PostgreSQL when DATABASE_URL is set, else the
 * SQLite file (or another path, e.g. ':memory:').
 */
export function openConfiguredStore(config: CoreConfig, path?: string): Promise<Store> {
  return connectStore(config.store, path === undefined || path === config.store.dbPath ? {} : { path });
}

/** Where the store is, for messages: the SQLite file or the PostgreSQL URL without its password. */
export function storeLocation(config: CoreConfig): string {
  return config.store.databaseUrl ? describeDatabaseUrl(config.store.databaseUrl) : config.store.dbPath;
}

/** openConfiguredStore that reports an unusable file instead of throwing. */
export async function tryOpenStore(ctx: CliContext, config: CoreConfig, consequence: string): Promise<Store | null> {
  try {
    return await openConfiguredStore(config);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).name;
    const fix = config.store.databaseUrl ? 'Check DATABASE_URL and that PostgreSQL is running.' : 'Set FAULTLINE_DB to a writable file.';
    ctx.stderr.write(`faultline: cannot open ${storeLocation(config)} (${reason}); ${consequence}. ${fix}\n`);
    return null;
  }
}
