import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CALIBRATION_BANDS, EVAL_TARGETS, evaluate, exampleCases, formatEval, labTraceCases, readCorpus } from '../../bot/kb/evaluate.js';
import { readLabTraces } from '../../bot/kb/lab-traces.js';
import { loadKnowledge } from '../../bot/kb/load.js';
import { createEngine } from '../../bot/triage/diagnose.js';

// `npm run eval` as a gate: the labelled corpus (held-out positives written without looking at
// the fault files, negatives from other stacks and chat), every fault example and every trace the
// knowledge lab recorded from a real program.
const knowledge = loadKnowledge();
const engine = createEngine(knowledge.faults);
const corpus = readCorpus(join(import.meta.dirname, '..', 'corpus'));
const report = evaluate(engine, [...exampleCases(knowledge.faults), ...labTraceCases(readLabTraces(knowledge.root, knowledge.faults)), ...corpus]);

describe('accuracy on the labelled corpus', () => {
  it('has the negatives and held-out positives the harness needs', () => {
    expect(corpus.filter((c) => c.expect === null).length).toBeGreaterThanOrEqual(60);
    const covered = new Set(corpus.filter((c) => c.expect).map((c) => c.expect));
    expect(knowledge.faults.filter((f) => !covered.has(f.id)).map((f) => f.id)).toEqual([]);
  });

  it(`reaches >= ${EVAL_TARGETS.top1 * 100}% top-1, ${EVAL_TARGETS.falsePositives} false positives, >= ${EVAL_TARGETS.names * 100}% names`, () => {
    const summary = formatEval(report);
    expect(report.correct / report.positives, summary).toBeGreaterThanOrEqual(EVAL_TARGETS.top1);
    expect(report.falsePositives, summary).toBeLessThanOrEqual(EVAL_TARGETS.falsePositives);
    expect(report.namesCorrect / report.namedCases, summary).toBeGreaterThanOrEqual(EVAL_TARGETS.names);
  });

  it('reports calibration: accuracy per confidence band, and answers that leave the variant open', () => {
    expect(report.calibration.map((b) => [b.from, b.to])).toEqual(CALIBRATION_BANDS.map(([from, to]) => [from, Math.min(1, to)]));
    const answers = report.calibration.reduce((n, b) => n + b.answers, 0);
    expect(answers).toBeGreaterThanOrEqual(report.positives);
    // Answers above the reply threshold are right at least as often as the band says.
    for (const b of report.calibration.filter((x) => x.from >= 0.8 && x.answers > 0)) expect(b.correct / b.answers, formatEval(report)).toBeGreaterThanOrEqual(b.from);
    // An asserted variant is never wrong on the examples that name one; some answers leave it open.
    expect(report.calibration.reduce((n, b) => n + b.variantsWrong, 0)).toBe(0);
    expect(report.calibration.reduce((n, b) => n + b.variantsOpen, 0)).toBeGreaterThan(0);
    expect(formatEval(report)).toMatch(/Calibration: how often the top answer was right/);
  });
});
