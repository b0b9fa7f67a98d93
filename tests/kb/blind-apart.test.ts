import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCorpus } from '../../bot/kb/evaluate.js';
import { loadKnowledge, packageRoot } from '../../bot/kb/load.js';

/**
 * The corpora under tests/corpus measure the engine on pastes the fault files were not written
 * from. A thread used for a fault example, or the same paste, in a corpus would make that measure
 * a test of memory.
 */
const knowledge = loadKnowledge();
const corpus = readCorpus(join(packageRoot(), 'tests', 'corpus'));
const urlsIn = (text: string | undefined): string[] => (text ?? '').match(/https:\/\/[^\s)"',]+/g)?.map((u) => u.replace(/[.;]+$/, '')) ?? [];
const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();

describe('the corpora are kept apart from the fault files', () => {
  it('no corpus case comes from a thread a fault example was taken from', () => {
    const exampleSources = new Map<string, string>();
    for (const f of knowledge.faults) for (const e of f.examples) if (e.source) exampleSources.set(e.source, `${f.id}: ${e.name}`);
    const shared = corpus.flatMap((c) => urlsIn(c.source).filter((u) => exampleSources.has(u)).map((u) => `${c.origin} and ${exampleSources.get(u)} (${u})`));
    expect(shared).toEqual([]);
  });

  it('no corpus case repeats a fault example or counterexample word for word', () => {
    const examples = new Map<string, string>();
    for (const f of knowledge.faults) {
      for (const e of f.examples) examples.set(squash(e.input), `${f.id}: ${e.name}`);
      for (const e of f.counterexamples) examples.set(squash(e.input), `${f.id} counterexample: ${e.name}`);
    }
    const repeated = corpus.filter((c) => examples.has(squash(c.text))).map((c) => `${c.origin} repeats ${examples.get(squash(c.text))}`);
    expect(repeated).toEqual([]);
  });
});
