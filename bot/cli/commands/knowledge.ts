import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CATALOGUE_BAR, checkKnowledge, loadRecheck, RecheckMissingError, type CheckReport, type ExampleCheck } from '../../kb/check.js';
import { loadKnowledge } from '../../kb/load.js';
import { createEngine } from '../../triage/diagnose.js';
import { slackLimitCheck } from '../../render/blocks.js';
import { UsageError, type CliCommandModule } from '../command.js';

export const command: CliCommandModule = {
  async run(ctx) {
    const sub = ctx.args[0];
    // The draft path needs the database and the AI answer schema; `check` needs neither.
    if (sub === 'draft') return (await import('./knowledge-draft.js')).runKnowledgeDraft(ctx);
    if (sub !== 'check') throw new UsageError(`expected 'check' or 'draft' (faultline knowledge check | faultline knowledge draft FINGERPRINT; --help lists the options).`);
    if (ctx.args.length > 1) throw new UsageError(`unexpected argument '${ctx.args[1]}' (faultline knowledge check [--only ID] [--dir DIR] [--deep] [--lab-strict] [--bar]).`);
    const dir = typeof ctx.flags.dir === 'string' ? ctx.flags.dir : undefined;
    const only = typeof ctx.flags.only === 'string' ? ctx.flags.only : undefined;
    if (dir !== undefined && !statSync(resolve(ctx.cwd, dir), { throwIfNoEntry: false })?.isDirectory()) {
      throw new UsageError(`--dir ${dir} is not a folder; give the knowledge folder (the one holding faults/).`);
    }
    if (ctx.flags.deep) {
      // Say so before seconds of loading, not after.
      try {
        loadRecheck();
      } catch (err) {
        if (err instanceof RecheckMissingError) throw new UsageError(err.message);
        throw err;
      }
    }
    const knowledge = loadKnowledge(dir === undefined ? undefined : resolve(ctx.cwd, dir));
    if (only && !knowledge.faults.some((f) => f.id === only) && !knowledge.problems.some((p) => p.file.includes(only.replace('.', '/')))) {
      throw new UsageError(`no fault '${only}'. Ids look like sqlalchemy.missing-greenlet (knowledge/faults/sqlalchemy/missing-greenlet.yaml).`);
    }
    const engine = createEngine(knowledge.faults);
    const extra: ExampleCheck[] = [slackLimitCheck];
    const report: CheckReport = checkKnowledge(engine, knowledge.faults, knowledge.problems, { only, extra, deep: Boolean(ctx.flags.deep), labStrict: Boolean(ctx.flags['lab-strict']), bar: Boolean(ctx.flags.bar) });
    for (const f of report.failures) ctx.stdout.write(`FAIL ${f.faultId ? `${f.faultId} (${f.file}): ` : ""}${f.what}\n`);
    const bar = `catalogue bar (>= ${CATALOGUE_BAR.sourcedExamples} real examples with a source, >= ${CATALOGUE_BAR.counterexamples} counterexample): ${report.faults - report.belowBar.length} of ${report.faults} faults meet it${report.belowBar.length && !ctx.flags.bar ? ` (${report.belowBar.length} below; --bar fails on them)` : ''}`;
    const summary = `${report.faults} faults, ${report.examples} examples, ${report.counterexamples} counterexamples, ${report.regexes} regexes checked; ${bar}`;
    if (report.failures.length) {
      ctx.stdout.write(`\n${summary}: ${report.failures.length} problem(s). Fix the files named above.\n`);
      return 1;
    }
    ctx.stdout.write(`${summary}: all passed.\n`);
    return 0;
  },
};
