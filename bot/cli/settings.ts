import { ConfigError, loadConfig, type CoreConfig } from '../config.js';
import { openStore, type Store } from '../store/open-store.js';
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

/** Opens the configured database (or another path, e.g. ':memory:'), as the bot does. */
export function openConfiguredStore(config: CoreConfig, path: string = config.store.dbPath): Store {
  return openStore({ path, userKey: config.store.userKey, userKeyFile: config.store.userKeyFile, storeRawUserIds: config.store.storeRawUserIds });
}

/** openConfiguredStore that reports an unusable file instead of throwing. */
export function tryOpenStore(ctx: CliContext, config: CoreConfig, consequence: string): Store | null {
  try {
    return openConfiguredStore(config);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).name;
    ctx.stderr.write(`faultline: cannot open ${config.store.dbPath} (${reason}); ${consequence}. Set FAULTLINE_DB to a writable file.\n`);
    return null;
  }
}
