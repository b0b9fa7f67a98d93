import { join } from 'node:path';
import { evaluate, exampleCases, formatEval, meetsTargets, readCorpus } from '../../kb/evaluate.js';
import { loadKnowledge, packageRoot } from '../../kb/load.js';
import { createEngine } from '../../triage/diagnose.js';
import type { CliCommand } from '../command.js';

export const command: CliCommand = {
  name: 'eval',
  summary: 'Measure accuracy on the labelled corpus and every fault example',
  usage: 'faultline eval [--corpus DIR] [--json]',
  valueFlags: ['corpus'],
  async run(ctx) {
    const dir = typeof ctx.flags.corpus === 'string' ? ctx.flags.corpus : join(packageRoot(), 'tests', 'corpus');
    const knowledge = loadKnowledge();
    const engine = createEngine(knowledge.faults);
    const cases = [...exampleCases(knowledge.faults), ...readCorpus(dir)];
    const report = evaluate(engine, cases);
    ctx.stdout.write(ctx.flags.json ? `${JSON.stringify(report, null, 2)}\n` : `Evaluated ${cases.length} cases (${knowledge.faults.length} faults, corpus ${dir})\n\n${formatEval(report)}\n`);
    return meetsTargets(report) ? 0 : 1;
  },
};
