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
