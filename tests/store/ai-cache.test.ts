import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../bot/store/open-store.js';
import { DAY, HOUR, useTempDir } from './helpers.js';

describe('LLM answer cache and budget', () => {
  const tempDir = useTempDir();
  const key = { fingerprint: 'v1:00000000000000ff', model: 'gpt-4o-mini', promptVersion: '3' };

  it('serves an answer until its TTL, keyed by fingerprint, model and prompt version', () => {
    const store = openStore({ path: join(tempDir(), 'a.db') });
    store.ai.put(key, { cause: 'pool exhausted', fixes: [] }, HOUR, 1_000);
    expect(store.ai.get(key, 1_000 + HOUR - 1)?.value).toEqual({ cause: 'pool exhausted', fixes: [] });
    expect(store.ai.get(key, 1_000 + HOUR)).toBeNull();
    expect(store.ai.get({ ...key, model: 'other' }, 2_000)).toBeNull();
    expect(store.ai.get({ ...key, promptVersion: '4' }, 2_000)).toBeNull();
    expect(store.ai.latestFor(key.fingerprint, 2_000)).toMatchObject({ model: 'gpt-4o-mini', promptVersion: '3' });
    expect(store.purge(90, 1_000 + 2 * HOUR).aiAnswers).toBe(1);
    store.close();
  });

  it('stops at the daily budget per workspace, across processes', () => {
    const path = join(tempDir(), 'a.db');
    const a = openStore({ path });
    const b = openStore({ path });
    const t = 10 * DAY + 5 * HOUR;
    const results = [a, b, a, b].map((s) => s.ai.consume('T1', 'day', 3, t).allowed);
    expect(results).toEqual([true, true, true, false]);
    expect(a.ai.used('T1', 'day', t)).toBe(3);
    expect(a.ai.consume('T2', 'day', 3, t).allowed).toBe(true);
    // The next UTC day starts afresh.
    expect(b.ai.consume('T1', 'day', 3, 11 * DAY).allowed).toBe(true);
    expect(b.ai.consume('T1', 'day', 0, 11 * DAY).allowed).toBe(false);
    a.close();
    b.close();
  });
});
