import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildKeywordAutomaton, distinctKeywords, keywordScannerFrom } from '../../bot/redact/keyword-scan.js';
import { createRedactor, defaultRedactionDir } from '../../bot/redact/redact.js';
import { loadRedactionRuleSet, writeRuleSnapshot } from '../../bot/redact/rule-files.js';
import { CORPUS } from './corpus.js';

/*
 * The build stores the keyword automaton in dist/redaction-snapshot.json so a start does not
 * rebuild it. The stored one must be the one the rules would build, and one built for other
 * keywords must never be used.
 */
describe('the keyword automaton kept in the redaction snapshot', () => {
  const snapshot = join(mkdtempSync(join(tmpdir(), 'faultline-redaction-')), 'redaction-snapshot.json');
  writeRuleSnapshot(defaultRedactionDir(), snapshot);
  const { rules, automaton } = loadRedactionRuleSet(defaultRedactionDir(), snapshot);
  const texts = [...CORPUS.map((c) => c.text), ...rules.flatMap((r) => [...r.examples.map((e) => e.input), ...r.counterexamples])];

  it('is the automaton the loaded rules build', () => {
    expect(automaton).toEqual(buildKeywordAutomaton(distinctKeywords(rules)));
  });

  it('redacts exactly as a freshly built one', () => {
    const fromSnapshot = createRedactor(rules, automaton);
    const fresh = createRedactor(rules);
    for (const text of texts) expect(fromSnapshot.redact(text)).toEqual(fresh.redact(text));
  });

  it('is ignored when the rules have other keywords', () => {
    const stale = buildKeywordAutomaton(['password', 'token']);
    const redactor = createRedactor(rules, stale);
    const fresh = createRedactor(rules);
    for (const text of texts) expect(redactor.redact(text)).toEqual(fresh.redact(text));
  });

  it('finds every occurrence a plain search finds, case and digits folded', () => {
    const keywords = ['abc', 'bc', 'c', 'x0-0', 'aab'];
    const scanner = keywordScannerFrom(buildKeywordAutomaton(keywords));
    const fold = (s: string) => s.toLowerCase().replace(/[0-9]/g, '0');
    for (const text of ['aabcABCx1-9 xx0-0', 'BCBC aab', '', 'é c']) {
      const hits: string[] = [];
      scanner.scan(text, (k, end) => hits.push(`${k}@${end}`));
      const expected: string[] = [];
      for (let end = 1; end <= text.length; end++) {
        keywords.forEach((k, i) => {
          if (end >= k.length && fold(text.slice(end - k.length, end)) === fold(k)) expected.push(`${i}@${end}`);
        });
      }
      expect(hits.sort()).toEqual(expected.sort());
    }
  });
});
