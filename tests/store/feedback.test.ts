import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../bot/store/open-store.js';
import { slackOccurrence, useTempDir } from './helpers.js';

describe('feedback', () => {
  const tempDir = useTempDir();

  it('records a click, replaces a second click by the same person, and counts it once', async () => {
    const store = openStore({ path: join(tempDir(), 'f.db') });
    const occ = await store.occurrences.record(slackOccurrence({ at: 1_000 }));
    expect(store.feedback.record({ occurrenceId: occ, user: 'U1', kind: 'didnt_help', at: 2_000 })).toMatchObject({ replaced: false });
    expect(store.feedback.record({ occurrenceId: occ, user: 'U1', kind: 'solved', fixId: 'selectinload', at: 3_000 })).toMatchObject({ replaced: true });
    store.feedback.record({ occurrenceId: occ, user: 'U2', kind: 'wrong', at: 4_000 });
    expect(store.feedback.forOccurrence(occ)).toEqual([
      { kind: 'solved', fixId: 'selectinload', at: 3_000 },
      { kind: 'wrong', fixId: null, at: 4_000 },
    ]);
    expect(store.stats.feedback({ from: 0, to: 10_000 })).toEqual(
      expect.arrayContaining([
        { faultId: 'sqlalchemy.missing-greenlet', kind: 'solved', fixId: 'selectinload', n: 1 },
        { faultId: 'sqlalchemy.missing-greenlet', kind: 'wrong', fixId: null, n: 1 },
      ]),
    );
    store.close();
  });

  it('returns null for a button that points at no occurrence', () => {
    const store = openStore({ path: join(tempDir(), 'f.db') });
    expect(store.feedback.record({ occurrenceId: 424242, user: 'U1', kind: 'solved' })).toBeNull();
    expect(() => store.feedback.record({ occurrenceId: 1, user: 'U1', kind: 'meh' as never })).toThrow(TypeError);
    store.close();
  });
});
