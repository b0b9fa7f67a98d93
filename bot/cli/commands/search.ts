import { defaultKnowledgeDir, describeProblems } from '../../kb/files.js';
import { createCatalogueSearch } from '../../kb/search.js';
import { loadEngineQuick } from '../../kb/snapshot.js';
import { loadSynonyms } from '../../kb/synonyms.js';
import { UsageError, type CliCommandModule } from '../command.js';
import { resolveLang } from './diagnose.js';

export const command: CliCommandModule = {
  async run(ctx) {
    const words = ctx.args.join(' ').trim();
    if (!words) throw new UsageError('give some words to search for, e.g. faultline search lazy load');
    const lang = resolveLang(ctx);
    const { engine } = await loadEngineQuick();
    const synonyms = loadSynonyms(defaultKnowledgeDir());
    if (synonyms.problems.length) ctx.stderr.write(`faultline: knowledge/synonyms.yaml was skipped: ${describeProblems(synonyms.problems)}\n`);
    const hits = createCatalogueSearch([...engine.index.faults.values()], synonyms.rules).search(words, 10);
    if (ctx.flags.json) {
      ctx.stdout.write(`${JSON.stringify({ query: words, results: hits.map((h) => ({ id: h.fault.id, title: h.fault.title[lang], score: h.score, matched: h.matched })) }, null, 2)}\n`);
      return 0;
    }
    if (hits.length === 0) {
      ctx.stdout.write(`No fault matches '${words}'. Try an exception name, an API name (selectinload) or a few words of the message.\n`);
      return 0;
    }
    const width = Math.max(...hits.map((h) => h.fault.id.length));
    for (const h of hits) ctx.stdout.write(`${h.fault.id.padEnd(width)}  ${h.fault.title[lang]}\n`);
    return 0;
  },
};
