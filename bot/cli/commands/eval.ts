import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { evaluate, exampleCases, formatEval, labTraceCases, meetsTargets, readCorpus } from '../../kb/evaluate.js';
import { readLabTraces } from '../../kb/lab-traces.js';
import { evaluateNames, formatNames, namesMeetTargets, readNamesCorpusDir } from '../../kb/names-corpus.js';
import { loadKnowledge, packageRoot } from '../../kb/load.js';
import { createEngine } from '../../triage/diagnose.js';
import { UsageError, type CliCommandModule } from '../command.js';

export const command: CliCommandModule = {
  async run(ctx) {
    const dir = typeof ctx.flags.corpus === 'string' ? resolve(ctx.cwd, ctx.flags.corpus) : join(packageRoot(), 'tests', 'corpus');
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--corpus ${dir} is not a folder of .jsonl cases.`);
    const knowledge = loadKnowledge();
    const engine = createEngine(knowledge.faults);
    const traces = labTraceCases(readLabTraces(knowledge.root, knowledge.faults));
    const cases = [...exampleCases(knowledge.faults), ...traces, ...readCorpus(dir)];
    const report = evaluate(engine, cases);
    // Names by role on real pastes labelled with what a person reads off them (tests/corpus/names/).
    const namesCases = readNamesCorpusDir(join(dir, 'names'));
    const names = namesCases.length ? evaluateNames(engine, namesCases) : undefined;
    ctx.stdout.write(ctx.flags.json ? `${JSON.stringify(names ? { ...report, names } : report, null, 2)}\n` : `Evaluated ${cases.length} cases (${knowledge.faults.length} faults, ${traces.length} lab traces, corpus ${dir})\n\n${formatEval(report)}\n${names ? `\n${formatNames(names)}\n` : ''}`);
    return meetsTargets(report) && (!names || namesMeetTargets(names)) ? 0 : 1;
  },
};
