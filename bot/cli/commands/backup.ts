import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadCliConfig, openConfiguredStore } from '../settings.js';
import { UsageError, type CliCommandModule } from '../command.js';

const USAGE = 'faultline backup FILE [--force]';

export const command: CliCommandModule = {
  async run(ctx) {
    const [file, ...extra] = ctx.args;
    if (!file || extra.length) throw new UsageError(`give one destination file (${USAGE}).`);
    const config = loadCliConfig(ctx);
    if (!config) return 2;
    const target = resolve(ctx.cwd, file);
    if (statSync(target, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`${target} is a directory; give a file name, e.g. ${join(file, 'faultline-backup.db')}.`);
    if (config.store.databaseUrl) {
      ctx.stderr.write('faultline backup: copies the SQLite file; with DATABASE_URL set, back up PostgreSQL with pg_dump (e.g. `pg_dump --format=custom "$DATABASE_URL" > faultline.dump`).\n');
      return 1;
    }
    if (!existsSync(config.store.dbPath)) {
      ctx.stderr.write(`faultline backup: no database at ${config.store.dbPath} (set FAULTLINE_DB to the bot's database).\n`);
      return 1;
    }
    if (target === config.store.dbPath) throw new UsageError('the destination is the live database itself; choose another file.');
    if (existsSync(target) && !ctx.flags.force) throw new UsageError(`${target} exists; pass --force to overwrite it.`);
    const store = await openConfiguredStore(config);
    try {
      const { pages } = await store.backup(target);
      ctx.stdout.write(`Backed up ${store.location} to ${target} (${pages} pages).\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
