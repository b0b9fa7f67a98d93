import { loadEngineQuick } from '../../kb/snapshot.js';
import { UsageError, type CliCommandModule } from '../command.js';
import { resolveLang } from './diagnose.js';

export const command: CliCommandModule = {
  async run(ctx) {
    const words = ctx.args.join(' ').trim();
    if (!words) throw new UsageError('give some words to search for, e.g. faultline search lazy load');
    const lang = resolveLang(ctx);
    const { engine } = await loadEngineQuick();
    const hits = engine.index.search(words, 10);
    if (ctx.flags.json) {
      ctx.stdout.write(`${JSON.stringify(hits.map((h) => ({ id: h.fault.id, title: h.fault.title[lang], score: Math.round(h.score * 100) / 100 })), null, 2)}\n`);
      return 0;
    }
    if (hits.length === 0) {
      ctx.stdout.write(`No fault matches '${words}'. Try an exception name or a few words of the message.\n`);
      return 0;
    }
    for (const h of hits) ctx.stdout.write(`${h.fault.id.padEnd(44)} ${h.fault.title[lang]}\n`);
    return 0;
  },
};
