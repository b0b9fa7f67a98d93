import { existsSync } from 'node:fs';
import { loadKnowledgeQuick } from '../../kb/snapshot.js';
import { computeDigest, isEmptyDigest } from '../../jobs/digest.js';
import { digestCatalogue } from '../../jobs/digest-catalogue.js';
import { renderDigestText } from '../../jobs/digest-render.js';
import { loadCliConfig, openConfiguredStore, storeLocation } from '../settings.js';
import { UsageError, type CliCommandModule } from '../command.js';
import { resolveLang } from './diagnose.js';

const UNIT_MS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `7d`, `36h`, `2w`: the length of the period ending now. */
export function parseSince(value: string): number {
  const m = /^(\d{1,4})([hdw])$/.exec(value.trim());
  const ms = m ? Number(m[1]) * (UNIT_MS[m[2] as string] ?? 0) : 0;
  if (!ms) throw new UsageError(`--since takes a length such as 7d, 36h or 2w (got '${value}').`);
  return ms;
}

const USAGE = 'faultline digest [--since 7d] [--json] [--workspace T0123ABCD] [--lang en|ja]';

export const command: CliCommandModule = {
  async run(ctx) {
    const since = parseSince(typeof ctx.flags.since === 'string' ? ctx.flags.since : '7d');
    if (ctx.args.length) throw new UsageError(`unexpected argument '${ctx.args[0]}' (${USAGE}).`);
    const workspace = typeof ctx.flags.workspace === 'string' ? ctx.flags.workspace : null;
    const lang = resolveLang(ctx);
    const config = loadCliConfig(ctx);
    if (!config) return 2;
    const { faults } = await loadKnowledgeQuick();
    // Nothing recorded yet: answer from an empty store rather than create the file here.
    const exists = config.store.databaseUrl !== null || existsSync(config.store.dbPath);
    const store = await openConfiguredStore(config, exists ? undefined : ':memory:');
    try {
      const to = Date.now();
      const digest = await computeDigest(store.stats, { from: to - since, to, workspace, lang, catalogue: digestCatalogue(faults) });
      if (ctx.flags.json) {
        ctx.stdout.write(`${JSON.stringify(digest, null, 2)}\n`);
      } else if (isEmptyDigest(digest)) {
        ctx.stdout.write(`No diagnoses recorded between ${digest.period.from} and ${digest.period.to} (database: ${storeLocation(config)}${exists ? '' : ', not created yet'}).\n`);
      } else {
        ctx.stdout.write(renderDigestText(digest, { lang, timeZone: config.timeZone }));
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};
