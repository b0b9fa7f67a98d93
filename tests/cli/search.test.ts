import { describe, expect, it } from 'vitest';
import { searchTerms, stem } from '../../bot/kb/search.js';
import { cli } from './run.js';

const ids = async (...words: string[]): Promise<string[]> => {
  const r = await cli(['search', '--json', ...words]);
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { results: { id: string }[] }).results.map((h) => h.id);
};

describe('faultline search: the words people use', () => {
  it('finds the lazy-load fault and its relatives for "lazy load"', async () => {
    const got = await ids('lazy', 'load');
    expect(got.slice(0, 3)).toEqual(expect.arrayContaining(['sqlalchemy.missing-greenlet', 'sqlalchemy.lazy-raise']));
  });

  it.each([['expire_on_commit'], ['expire on commit']])('finds MissingGreenlet and DetachedInstanceError for %s (a fix in both)', async (query) => {
    const got = await ids(...query.split(' '));
    expect(got.slice(0, 3)).toEqual(expect.arrayContaining(['sqlalchemy.missing-greenlet', 'sqlalchemy.detached-instance']));
  });

  // Queries the synonyms file does not mention: API names from the fixes and exception names.
  it.each([
    ['awaitable_attrs', 'sqlalchemy.missing-greenlet', 1],
    ['raiseload', 'sqlalchemy.lazy-raise', 1],
    ['from_orm', 'pydantic.orm-mode-renamed', 1],
    ['model_validate', 'pydantic.orm-mode-renamed', 2],
    // Second since postgres.on-conflict-no-constraint (the ON CONFLICT error itself) joined the catalogue.
    ['on_conflict_do_nothing', 'sqlalchemy.integrity-unique', 2],
    ['QueuePool overflow', 'sqlalchemy.queue-pool-timeout', 1],
    ['alembic stamp', 'alembic.multiple-heads', 3],
    ['DetachedInstanceError', 'sqlalchemy.detached-instance', 1],
    ['xd2s', 'sqlalchemy.missing-greenlet', 1],
  ])('%s finds %s in the first %i', async (query, id, within) => {
    expect((await ids(...query.split(' '))).slice(0, within)).toContain(id);
  });

  it('says so when nothing matches', async () => {
    // Words far from any catalogued stack (Kubernetes joined the catalogue with issue 14).
    const r = await cli(['search', 'fortran', 'mainframe']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^No fault matches 'fortran mainframe'/);
    expect(JSON.parse((await cli(['search', '--json', 'fortran', 'mainframe'])).stdout)).toEqual({ query: 'fortran mainframe', results: [] });
  });

  it('splits identifiers and stems words the way people vary them', () => {
    expect(searchTerms('expire_on_commit')).toEqual(expect.arrayContaining(['expire_on_commit', 'expire', 'commit']));
    expect(searchTerms('MissingGreenlet')).toEqual(expect.arrayContaining(['missinggreenlet', 'miss', 'greenlet']));
    expect(['loaded', 'loading', 'loads', 'load'].map(stem)).toEqual(['load', 'load', 'load', 'load']);
    expect(searchTerms('x'.repeat(5000)).length).toBeLessThan(5);
  });
});
