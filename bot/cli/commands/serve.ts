import { ConfigError, loadConfig } from '../../config.js';
import { runBot } from '../../main.js';
import type { CliCommandModule } from '../command.js';

export const command: CliCommandModule = {
  async run(ctx) {
    if (ctx.flags.check) {
      // Validates the settings without connecting: for deploy scripts and first set-up.
      try {
        const config = loadConfig(ctx.env, { cwd: ctx.cwd });
        for (const w of config.warnings) ctx.stderr.write(`warning: ${w}\n`);
        ctx.stdout.write(`Configuration OK: ${config.slack.socketMode ? 'Socket Mode' : `HTTP on port ${config.slack.port}`}, database ${config.store.dbPath}.\n`);
        return 0;
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        ctx.stderr.write(`${err.message}\n`);
        return 2;
      }
    }
    return runBot(ctx.env, ctx);
  },
};
