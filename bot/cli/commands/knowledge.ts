import { checkKnowledge, type ExampleCheck } from '../../kb/check.js';
import { loadKnowledge } from '../../kb/load.js';
import { createEngine } from '../../triage/diagnose.js';
import { slackLimitCheck } from '../../render/blocks.js';
import { UsageError, type CliCommand } from '../command.js';
import { DRAFT_USAGE, runKnowledgeDraft } from './knowledge-draft.js';

export const command: CliCommand = {
  name: 'knowledge',
  summary: 'Validate the fault catalogue (check), or draft a fault from a cached AI answer (draft)',
  usage: `faultline knowledge check [--only ID] [--dir DIR] [--deep] [--lab-strict] | ${DRAFT_USAGE}`,
  valueFlags: ['only', 'dir', 'out'],
  async run(ctx) {
    const sub = ctx.args[0];
    if (sub === 'draft') return runKnowledgeDraft(ctx);
    if (sub !== 'check') throw new UsageError(`expected 'check' or 'draft' (${this.usage}).`);
    const dir = typeof ctx.flags.dir === 'string' ? ctx.flags.dir : undefined;
    const only = typeof ctx.flags.only === 'string' ? ctx.flags.only : undefined;
    const knowledge = loadKnowledge(dir);
    if (only && !knowledge.faults.some((f) => f.id === only) && !knowledge.problems.some((p) => p.file.includes(only.replace('.', '/')))) {
      throw new UsageError(`no fault '${only}'. Ids look like sqlalchemy.missing-greenlet (knowledge/faults/sqlalchemy/missing-greenlet.yaml).`);
    }
    const engine = createEngine(knowledge.faults);
    const extra: ExampleCheck[] = [slackLimitCheck];
    const report = checkKnowledge(engine, knowledge.faults, knowledge.problems, { only, extra, deep: Boolean(ctx.flags.deep), labStrict: Boolean(ctx.flags['lab-strict']) });
    for (const f of report.failures) ctx.stdout.write(`FAIL ${f.faultId ? `${f.faultId} (${f.file}): ` : ""}${f.what}\n`);
    const summary = `${report.faults} faults, ${report.examples} examples, ${report.counterexamples} counterexamples, ${report.regexes} regexes checked`;
    if (report.failures.length) {
      ctx.stdout.write(`\n${summary}: ${report.failures.length} problem(s). Fix the files named above.\n`);
      return 1;
    }
    ctx.stdout.write(`${summary}: all passed.\n`);
    return 0;
  },
};
