import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run.js';

const SAMPLE = join(import.meta.dirname, '..', '..', 'knowledge', 'samples', 'missing-greenlet-pytest.txt');

describe('faultline diagnose', () => {
  it('diagnoses the shipped sample in readable text', async () => {
    const r = await cli(['diagnose', SAMPLE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Implicit database IO outside the async context \(MissingGreenlet\)  \[sqlalchemy\.missing-greenlet\]/);
    expect(r.stdout).toContain('select(User).options(joinedload(User.organization))');
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('gives the documented JSON shape', async () => {
    const r = await cli(['diagnose', '--json', SAMPLE]);
    const j = JSON.parse(r.stdout) as Record<string, any>;
    expect(j.match).toMatchObject({ id: 'sqlalchemy.missing-greenlet', method: 'code', variant: 'lazy-load' });
    expect(Object.keys(j.match)).toEqual(expect.arrayContaining(['id', 'title', 'confidence', 'method', 'cause', 'variant']));
    expect(j.entities).toMatchObject({ models: ['User', 'Organization'], attributes: ['User.organization'], tables: [], fields: [] });
    expect(j.fixes[0]).toEqual(expect.objectContaining({ id: 'joinedload-option', rank: 1 }));
    for (const f of j.fixes) expect(Object.keys(f)).toEqual(expect.arrayContaining(['id', 'rank', 'title', 'tradeoff', 'snippet']));
    expect(Array.isArray(j.alternatives)).toBe(true);
  });

  it('reads standard input and answers in Japanese', async () => {
    const r = await cli(['diagnose', '-', '--lang', 'ja'], "sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called; can't call await_only() here.");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('対処法');
    expect(r.stdout).toContain('考えられるパターン');
  });

  it('takes the language from FAULTLINE_LANG', async () => {
    const r = await cli(['diagnose', '--json'], 'sqlalchemy.exc.NoResultFound: No row was found when one was required', { FAULTLINE_LANG: 'ja-JP' });
    expect(JSON.parse(r.stdout).lang).toBe('ja');
  });

  it('says plainly when there is no curated match (exit 0, match null)', async () => {
    const r = await cli(['diagnose', '--json'], 'acme.billing.LedgerImbalanceError: ledger 7 is off by 3 cents');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).match).toBeNull();
    const text = await cli(['diagnose'], 'acme.billing.LedgerImbalanceError: ledger 7 is off by 3 cents');
    expect(text.stdout).toMatch(/No curated match/);
  });

  it.each([
    ['empty input', '', /input is empty/],
    ['chat', 'standup moved to 10:30 tomorrow', /does not look like an error/],
    ['binary', Buffer.from([0, 159, 146, 150, 0, 1, 2]), /binary data/],
  ])('answers %s clearly', async (_name, input, message) => {
    const r = await cli(['diagnose'], input);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(message);
  });

  it('reads only the head and tail of a huge file and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-cli-'));
    const file = join(dir, 'big.log');
    writeFileSync(file, `${'INFO ok\n'.repeat(700_000)}sqlalchemy.exc.NoResultFound: No row was found when one was required\n`);
    const r = await cli(['diagnose', '--json', file]);
    const j = JSON.parse(r.stdout);
    expect(j.match.id).toBe('sqlalchemy.no-result-found');
    expect(j.input.truncated).toBe(true);
    expect(j.input.bytes).toBeGreaterThan(5_000_000);
  });

  it.each([
    [['diagnose', '/no/such/file.txt'], /cannot read \/no\/such\/file\.txt: ENOENT/],
    [['diagnose'], /nothing to read/],
    [['diagnose', 'a', 'b'], /one file/],
    [['diagnose', '--lang', 'fr', '-'], /--lang must be 'en' or 'ja'/],
    [['diagnose', '--lang'], /--lang needs a value/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('exits 2 with a message saying what to do: %j', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('faultline diagnose --record', () => {
  it('records the occurrence like the bot does, redacted, in FAULTLINE_DB', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'faultline-rec-')), 'f.db');
    const paste = "sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called; can't call await_only() here.\nengine = create_async_engine('postgresql+asyncpg://app:hunter2-secret@db:5432/app')";
    const r = await cli(['diagnose', '--record', '--no-ai', '-'], paste, { FAULTLINE_DB: db });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/recorded as occurrence 1 in /);
    const row = new Database(db, { readonly: true }).prepare('SELECT * FROM occurrences').get() as Record<string, unknown>;
    expect(row).toMatchObject({ source: 'cli', fault_id: 'sqlalchemy.missing-greenlet' });
    expect(JSON.stringify(row)).not.toContain('hunter2-secret');
    expect(String(row.excerpt)).toContain('greenlet_spawn has not been called');
  });
});

describe('faultline diagnose --record, chat', () => {
  it('does not record chat that only mentions an error, and says why', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'faultline-rec-')), 'f.db');
    const chat = 'why do I get greenlet_spawn has not been called when I access user.orders in my route?';
    const r = await cli(['diagnose', '--record', '--no-ai', '-'], chat, { FAULTLINE_DB: db });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sqlalchemy.missing-greenlet');
    expect(r.stderr).toMatch(/not recorded: this does not look like an error/);
    expect(existsSync(db)).toBe(false);
    const after = await cli(['diagnose', '--record', '--no-ai', '-'], "sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called; can't call await_only() here.", { FAULTLINE_DB: db });
    expect(after.stderr).toMatch(/recorded as occurrence 1 in /);
    expect(new Database(db, { readonly: true }).prepare('SELECT count(*) AS n FROM occurrences').get()).toEqual({ n: 1 });
  });
});

describe('faultline search / show', () => {
  it('finds faults by words', async () => {
    const r = await cli(['search', 'greenlet']);
    expect(r.stdout).toContain('sqlalchemy.missing-greenlet');
  });

  it('shows a fault by id and by its library error code', async () => {
    const byId = await cli(['show', 'sqlalchemy.missing-greenlet']);
    const byCode = await cli(['show', 'xd2s']);
    expect(byId.code).toBe(0);
    expect(byCode.stdout).toBe(byId.stdout);
    expect(byId.stdout).toContain('AsyncAttrs.awaitable_attrs');
  });

  it('exits 2 for an unknown id', async () => {
    const r = await cli(['show', 'nope.nothing']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No fault with id or code 'nope\.nothing'/);
  });
});
