import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../bot/kb/load.js';
import { createCatalogueSearch } from '../../bot/kb/search.js';
import { loadSynonyms, synonymRules } from '../../bot/kb/synonyms.js';

// The meta-test of knowledge/synonyms.yaml: every rule's finds and not_finds, run through the
// real search over the shipped catalogue, and every rule shown to be needed.
const root = join(import.meta.dirname, '..', '..', 'knowledge');
const { faults } = loadKnowledge(root);
const { rules, problems } = loadSynonyms(root);
const search = createCatalogueSearch(faults, synonymRules(rules));
const top3 = (s: typeof search, query: string) => s.search(query, 3).map((h) => h.fault.id);

describe('knowledge/synonyms.yaml', () => {
  it('is valid and names only faults that exist', () => {
    expect(problems).toEqual([]);
    expect(rules.length).toBeGreaterThan(0);
    const ids = new Set(faults.map((f) => f.id));
    for (const r of rules) for (const q of [...r.finds, ...r.not_finds]) for (const id of q.faults) expect(ids, `${r.words[0]}: ${id}`).toContain(id);
  });

  describe.each(rules.map((r) => [r.words[0] as string, r] as const))('rule %s', (_name, rule) => {
    it.each(rule.finds.map((f) => [f.query, f.faults] as const))('finds: %s', (query, wanted) => {
      expect(top3(search, query)).toEqual(expect.arrayContaining(wanted));
    });

    if (rule.not_finds.length) {
      it.each(rule.not_finds.map((f) => [f.query, f.faults] as const))('does not find: %s', (query, unwanted) => {
        const got = top3(search, query);
        for (const id of unwanted) expect(got).not.toContain(id);
      });
    }

    it('is needed: without it, at least one of its finds fails', () => {
      const without = createCatalogueSearch(faults, synonymRules(rules.filter((r) => r !== rule)));
      expect(rule.finds.some((f) => !f.faults.every((id) => top3(without, f.query).includes(id)))).toBe(true);
    });
  });
});
