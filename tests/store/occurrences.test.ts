import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeExcerpt, MAX_EXCERPT_CHARS, occurrenceFromDiagnosis } from '../../bot/store/occurrences.js';
import { openStore } from '../../bot/store/open-store.js';
import { shippedEngine } from '../helpers.js';
import { CORPUS } from '../redact/corpus.js';
import { DAY, slackOccurrence, useTempDir } from './helpers.js';

describe('occurrences', () => {
  const tempDir = useTempDir();
  const open = (over: Parameters<typeof openStore>[0] extends infer O ? Partial<O> : never = {}) =>
    openStore({ path: join(tempDir(), 'faultline.db'), ...over });

  it('land from the Slack flow with redacted excerpts and hashed users', async () => {
    const store = open();
    for (const entry of CORPUS) {
      const id = await store.occurrences.record(slackOccurrence({ text: entry.text, user: 'U024BE7LH' }));
      const row = store.occurrences.get(id);
      expect(row?.excerpt).toBeTruthy();
      for (const secret of entry.secrets) expect(row?.excerpt).not.toContain(secret);
      expect(row?.userKey).toMatch(/^h:[0-9a-f]{32}$/);
      expect(row?.userKey).not.toContain('U024BE7LH');
    }
    store.close();
  });

  it('land from the CLI (diagnose --record) with the diagnosis fields and a redacted excerpt', async () => {
    const store = open();
    const paste = `Traceback (most recent call last):
  File "/app/app/api/users.py", line 41, in read_user
    return UserRead.model_validate(user.organization)
  File "/app/.venv/lib/python3.12/site-packages/sqlalchemy/orm/attributes.py", line 566, in __get__
    return self.impl.get(state, dict_)
sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called; can't call await_only() here. Was IO attempted in an unexpected place? (Background on this error at: https://sqlalche.me/e/20/xd2s)
DATABASE_URL=postgresql+asyncpg://app:hunter2@db/app`;
    const diagnosis = shippedEngine().diagnose(paste, { lang: 'en' });
    const id = await store.occurrences.record({ source: 'cli', ...occurrenceFromDiagnosis(diagnosis), text: paste });
    const row = store.occurrences.get(id);
    expect(row).toMatchObject({
      source: 'cli',
      workspace: null,
      userKey: null,
      faultId: 'sqlalchemy.missing-greenlet',
      fingerprint: diagnosis.fingerprint,
      method: diagnosis.match?.method,
    });
    expect(row?.excerpt).toContain('MissingGreenlet');
    expect(row?.excerpt).not.toContain('hunter2');
    store.close();
  });

  it('hash the same user to the same key across restarts, and differently with another salt', async () => {
    const path = join(tempDir(), 'users.db');
    const a = openStore({ path });
    const k1 = a.occurrences.get(await a.occurrences.record(slackOccurrence({ user: 'U1' })))?.userKey;
    a.close();
    const b = openStore({ path });
    const k2 = b.occurrences.get(await b.occurrences.record(slackOccurrence({ user: 'U1' })))?.userKey;
    expect(b.occurrences.recentForUser('U1')).toHaveLength(2);
    b.close();
    const c = openStore({ path, userKey: 'another-key-of-enough-length' });
    const k3 = c.occurrences.get(await c.occurrences.record(slackOccurrence({ user: 'U1' })))?.userKey;
    c.close();
    expect(k1).toBe(k2);
    expect(k3).not.toBe(k1);
  });

  it('keep raw user ids only when configured', async () => {
    const store = open({ storeRawUserIds: true });
    expect(store.occurrences.get(await store.occurrences.record(slackOccurrence({ user: 'U9' })))?.userKey).toBe('U9');
    store.close();
  });

  it('cap excerpts, keeping the head and the exception line at the end', () => {
    const long = `Traceback (most recent call last):\n${'  File "x.py", line 1, in f\n'.repeat(2000)}sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called`;
    const excerpt = makeExcerpt(long) ?? '';
    expect(excerpt.length).toBeLessThanOrEqual(MAX_EXCERPT_CHARS);
    expect(excerpt.startsWith('Traceback')).toBe(true);
    expect(excerpt.endsWith('greenlet_spawn has not been called')).toBe(true);
    expect(excerpt).toContain('characters omitted');
  });

  it('reject programmer errors', async () => {
    const store = open();
    await expect(store.occurrences.record(slackOccurrence({ source: 'email' as never }))).rejects.toThrow(TypeError);
    await expect(store.occurrences.record(slackOccurrence({ fingerprint: '' }))).rejects.toThrow(TypeError);
    await expect(store.occurrences.record(slackOccurrence({ confidence: 2 }))).rejects.toThrow(TypeError);
    expect(() => store.occurrences.recordMany([slackOccurrence({ fingerprint: '' })])).toThrow(TypeError);
    store.close();
  });

  it('lose their excerpts after the retention period while counts stay', async () => {
    const now = Date.UTC(2025, 5, 1);
    const store = open({ now: () => now });
    const old = await store.occurrences.record(slackOccurrence({ at: now - 100 * DAY }));
    const recent = await store.occurrences.record(slackOccurrence({ at: now - 10 * DAY }));
    const period = { from: now - 200 * DAY, to: now };
    const before = store.stats.faultCounts(period);
    expect(store.purge(90).excerpts).toBe(1);
    expect(store.occurrences.get(old)?.excerpt).toBeNull();
    expect(store.occurrences.get(recent)?.excerpt).not.toBeNull();
    expect(store.stats.faultCounts(period)).toEqual(before);
    expect(store.purge(90).excerpts).toBe(0);
    store.close();
  });

  it('record a batch in one transaction', () => {
    const store = open();
    const ids = store.occurrences.recordMany([slackOccurrence(), slackOccurrence({ faultId: null })]);
    expect(ids).toHaveLength(2);
    expect(ids.map((id) => store.occurrences.get(id)?.faultId)).toEqual(['sqlalchemy.missing-greenlet', null]);
    store.close();
  });
});
