import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { slackEscape } from './signed-requests.js';
import { useTestBot, type TestBot } from './test-bot.js';

const TRACE = readFileSync(join(import.meta.dirname, '..', '..', 'knowledge', 'samples', 'missing-greenlet-pytest.txt'), 'utf8');
const lastResponse = (t: TestBot) => t.slack.callsTo('response_url').at(-1)!.params;

describe('/faultline', () => {
  const bot = useTestBot();
  let t: TestBot;
  beforeEach(() => {
    t = bot();
  });

  it('acknowledges at once and answers a pasted error privately (ephemeral) through response_url', async () => {
    const res = await t.sendSlash(slackEscape(TRACE));
    expect(res.status).toBe(200);
    const [answer] = await t.slack.waitFor('response_url');
    expect(answer!.params.response_type).toBe('ephemeral');
    const blocks = JSON.stringify(answer!.params.blocks);
    expect(blocks).toContain('select(User).options(');
    expect(blocks).toContain('faultline_feedback_solved');
    expect(t.slack.callsTo('chat.postMessage')).toEqual([]);
    const db = new Database(t.dbPath, { readonly: true });
    const row = db.prepare(`SELECT source, fault_id, permalink FROM occurrences WHERE source = 'slash'`).get();
    db.close();
    expect(row).toEqual({ source: 'slash', fault_id: 'sqlalchemy.missing-greenlet', permalink: null });
  });

  it('shows help for an empty command and for help', async () => {
    await t.sendSlash('');
    await t.sendSlash('help');
    const answers = await t.slack.waitFor('response_url', undefined, 2);
    for (const a of answers) expect(String(a.params.text)).toContain('/faultline search');
  });

  it('searches the catalogue and shows a fault by its library error code', async () => {
    await t.sendSlash('search greenlet');
    await t.slack.waitFor('response_url');
    expect(JSON.stringify(lastResponse(t).blocks)).toContain('sqlalchemy.missing-greenlet');
    await t.sendSlash('show xd2s');
    await t.slack.waitFor('response_url', undefined, 2);
    const card = JSON.stringify(lastResponse(t).blocks);
    expect(card).toContain('sqlalchemy.missing-greenlet');
    expect(card).toContain('docs.sqlalchemy.org');
    await t.sendSlash('show no-such-thing');
    await t.slack.waitFor('response_url', undefined, 3);
    expect(String(lastResponse(t).text)).toContain('No fault with that id');
  });

  it('reads and sets the channel mode', async () => {
    await t.sendSlash('mode', { channel_id: 'C0MODES01' });
    await t.slack.waitFor('response_url');
    expect(String(lastResponse(t).text)).toContain('auto');
    await t.sendSlash('mode mention-only', { channel_id: 'C0MODES01' });
    await t.slack.waitFor('response_url', undefined, 2);
    expect(String(lastResponse(t).text)).toContain('mention-only');
    await t.sendSlash('mode loud', { channel_id: 'C0MODES01' });
    await t.slack.waitFor('response_url', undefined, 3);
    expect(String(lastResponse(t).text)).toContain('Usage');
    const db = new Database(t.dbPath, { readonly: true });
    const row = db.prepare(`SELECT mode FROM channel_modes WHERE channel = 'C0MODES01'`).get();
    db.close();
    expect(row).toEqual({ mode: 'mention-only' });
  });

  it("previews this week's digest, with what was diagnosed so far", async () => {
    await t.sendSlash(slackEscape(TRACE));
    await t.slack.waitFor('response_url');
    await t.sendSlash('digest');
    await t.slack.waitFor('response_url', undefined, 2);
    const a = lastResponse(t);
    expect(a.response_type).toBe('ephemeral');
    const blocks = JSON.stringify(a.blocks);
    expect(blocks).toContain('Faultline weekly digest');
    expect(blocks).toContain('MissingGreenlet');
  });

  it('answers an unknown error honestly, with no made-up diagnosis', async () => {
    await t.sendSlash('FrobnicationError: the widget frobnicator jammed on batch 42');
    await t.slack.waitFor('response_url');
    expect(String(lastResponse(t).text)).toContain('No curated match');
    // The LLM fallback is off in this bot (no OPENAI_API_KEY): the answer says how to turn it on.
    expect(JSON.stringify(lastResponse(t).blocks)).toContain('OPENAI_API_KEY');
  });

  it('answers in Japanese for a ja-JP user', async () => {
    t.slack.setLocale('U0HANAKO1', 'ja-JP');
    await t.sendSlash('help', { user_id: 'U0HANAKO1' });
    await t.slack.waitFor('response_url');
    expect(String(lastResponse(t).text)).toContain('エラー');
  });
});
