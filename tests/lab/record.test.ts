import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mergeResults, writeLabResults } from '../../bot/lab/record.js';
import type { FaultResults } from '../../bot/lab/results.js';
import { fixtureFaultSource } from './helpers.js';

const results: FaultResults = {
  trixie: {
    versions: { sqlalchemy: '2.0.40', postgresql: '17.12', python: '3.13.5' },
    scenarios: {
      'empty-average': { status: 'reproduced', fixes: { 'guard-empty': { status: 'verified', measured: { queries: 0 } }, 'wrong-fix': { status: 'fails', detail: 'exit 1: ZeroDivisionError: division by zero # not a comment' } } },
      'zero-rate': { status: 'reproduced', fixes: { 'default-rate': { status: 'verified' } } },
    },
  },
  bookworm: {
    versions: { sqlalchemy: '1.4.46', postgresql: '15.20' },
    scenarios: { 'empty-average': { status: 'not-applicable', detail: 'needs: quotes "and" colons: here', fixes: {} }, 'zero-rate': { status: 'reproduced', fixes: {} } },
  },
};

describe('writing lab.results into a fault file', () => {
  const source = fixtureFaultSource('zero-division');

  it('adds results after the last entry of lab: and leaves every other byte as it was', () => {
    const next = writeLabResults(source, results);
    expect(next.startsWith(source)).toBe(true);
    const added = next.slice(source.length);
    expect(added.startsWith('  results:\n    bookworm:\n      versions:\n        postgresql: "15.20"\n')).toBe(true);
    const written = parse(next).lab.results;
    expect(written.trixie).toEqual(results.trixie);
    // an empty fixes map is left out (the schema's default)
    expect(written.bookworm.scenarios['zero-rate']).toEqual({ status: 'reproduced' });
    expect(written.bookworm.scenarios['empty-average'].detail).toBe('needs: quotes "and" colons: here');
    // worlds in a fixed order, whatever order they came in
    expect(added.indexOf('bookworm:')).toBeLessThan(added.indexOf('trixie:'));
  });

  it('replaces recorded results in place, and recording the same results twice changes nothing', () => {
    const once = writeLabResults(source, results);
    expect(writeLabResults(once, results)).toBe(once);
    const changed = structuredClone(results);
    changed.trixie!.scenarios['zero-rate']!.fixes['default-rate'] = { status: 'fails', detail: 'exit 1: boom' };
    const twice = writeLabResults(once, changed);
    expect(twice.split('\n').length).toBe(once.split('\n').length + 1);
    expect(parse(twice).lab.results.trixie.scenarios['zero-rate'].fixes['default-rate']).toEqual({ status: 'fails', detail: 'exit 1: boom' });
  });

  it('keeps comments, block scalars and the keys after lab: when lab: is not last', () => {
    const middle = source.replace(/\nlab:\n[\s\S]*$/, '\n') ;
    const labBlock = source.slice(source.indexOf('\nlab:\n') + 1);
    const reordered = `${labBlock}# the examples follow\n${middle.slice(middle.indexOf('library:'))}`;
    const next = writeLabResults(reordered, { bookworm: results.bookworm! });
    const at = next.indexOf('  results:\n');
    expect(at).toBeGreaterThan(0);
    const resultsEnd = next.indexOf('# the examples follow');
    expect(next.slice(0, at) + next.slice(resultsEnd)).toBe(reordered);
    expect(next).toContain('  # comments inside lab: stay as they are\n');
    expect(next).toContain('    snippet: |\n      return sum(xs) / len(xs) if xs else None\n');
  });

  it('refuses a file without a block lab: mapping, saying what to do', () => {
    expect(() => writeLabResults('library: demo\n', results)).toThrow(/needs a block-style 'lab:' mapping/);
    expect(() => writeLabResults('library: demo\nlab: {scenarios: [{id: a, cause: a}]}\n', results)).toThrow(/block-style/);
  });

  it('keeps the recorded world that this run did not run', () => {
    const merged = mergeResults(results, { trixie: { versions: {}, scenarios: {} } });
    expect(merged.bookworm).toBe(results.bookworm);
    expect(merged.trixie).toEqual({ versions: {}, scenarios: {} });
  });
});
