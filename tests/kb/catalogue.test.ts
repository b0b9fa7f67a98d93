import { describe, expect, it } from 'vitest';
import { checkKnowledge } from '../../bot/kb/check.js';
import { loadKnowledge } from '../../bot/kb/load.js';
import { slackLimitCheck } from '../../bot/render/blocks.js';
import { createEngine } from '../../bot/triage/diagnose.js';

// The shipped catalogue's own tests: every fault's examples must diagnose as that fault (so no
// fault steals another's), its counterexamples must not, its regexes must not backtrack, and
// every reply must fit Slack's limits. This is `faultline knowledge check`, fault by fault.
const knowledge = loadKnowledge();
const engine = createEngine(knowledge.faults);

describe('the shipped catalogue', () => {
  it('loads without problems', () => {
    expect(knowledge.problems.map((p) => `${p.file}: ${p.field}: ${p.message}`)).toEqual([]);
  });

  it.each(knowledge.faults.map((f) => [f.id]))('%s passes its examples, counterexamples and checks', (id) => {
    const report = checkKnowledge(engine, knowledge.faults, [], { only: id, extra: [slackLimitCheck] });
    expect(report.failures.map((f) => f.what)).toEqual([]);
    expect(report.examples).toBeGreaterThanOrEqual(3);
  });
});

describe('the catalogue bar (knowledge check --bar)', () => {
  const sourced = (id: string): number => knowledge.faults.find((f) => f.id === id)?.examples.filter((e) => e.source).length ?? 0;

  it('names exactly the faults with fewer than 3 sourced examples or no counterexample, and fails on them only when asked', () => {
    const report = checkKnowledge(engine, knowledge.faults, [], { bar: true });
    const expected = knowledge.faults.filter((f) => sourced(f.id) < 3 || f.counterexamples.length < 1).map((f) => f.id);
    expect(report.belowBar).toEqual(expected);
    expect(report.failures.filter((f) => f.what.startsWith('below the catalogue bar')).map((f) => f.faultId)).toEqual(expected);
    const lenient = checkKnowledge(engine, knowledge.faults, [], {});
    expect(lenient.belowBar).toEqual(expected);
    expect(lenient.failures.some((f) => f.what.startsWith('below the catalogue bar'))).toBe(false);
  });
});
