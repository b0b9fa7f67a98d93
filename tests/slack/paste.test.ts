import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { slackSizeProblems, type SlackMessage } from '../../bot/render/blocks.js';
import { slackEscape } from './signed-requests.js';
import { BOT_ID, BOT_USER, TEAM, type SlackCall } from './stand-in-slack.js';
import { useTestBot, type TestBot } from './test-bot.js';
import { exampleCases, readCorpus } from '../../bot/kb/evaluate.js';
import { loadKnowledge } from '../../bot/kb/load.js';
import { worthDiagnosing } from '../../bot/listeners/thread-reply.js';
import { createEngine } from '../../bot/triage/diagnose.js';
import { CHAT } from '../chat/corpus.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TRACE = readFileSync(join(ROOT, 'knowledge', 'samples', 'missing-greenlet-pytest.txt'), 'utf8');
const UNIQUE = readFileSync(join(ROOT, 'tests', 'fixtures', 'chained-asyncpg-unique.txt'), 'utf8');
const UNKNOWN = 'Traceback (most recent call last):\n  File "/app/worker.py", line 12, in run\n    spin()\nFrobnicationError: the widget frobnicator jammed on batch 42';
const CHANNEL = 'C0PASTE01';
let clock = 1_710_000_000;
const nextTs = () => `${++clock}.000100`;

function paste(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> & { ts: string } {
  const ts = nextTs();
  return { type: 'message', channel: CHANNEL, channel_type: 'channel', user: 'U0ALICE01', text: slackEscape(text), ts, event_ts: ts, ...extra };
}

const blocksText = (call: SlackCall | undefined): string => JSON.stringify(call?.params.blocks ?? []);

function expectWithinLimits(call: SlackCall): void {
  expect(slackSizeProblems({ text: String(call.params.text ?? ''), blocks: call.params.blocks } as SlackMessage)).toEqual([]);
}

function query<T>(dbPath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

describe('pasted errors in a channel', () => {
  const bot = useTestBot();
  let t: TestBot;
  beforeEach(() => {
    t = bot();
  });

  it('answers a pasted MissingGreenlet trace exactly once, in its thread, with the snippet in the paste names', async () => {
    const event = paste(`\`\`\`${TRACE}\`\`\``);
    const res = await t.sendEvent(event);
    expect(res.status).toBe(200);
    const [reply] = await t.slack.waitFor('chat.postMessage');
    await t.settle();
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(reply!.params.channel).toBe(CHANNEL);
    expect(reply!.params.thread_ts).toBe(event.ts);
    expect(blocksText(reply)).toContain('select(User).options(');
    expect(blocksText(reply)).toContain('User.organization');
    expect(blocksText(reply)).toContain('sqlalchemy.missing-greenlet');
    expectWithinLimits(reply!);
    expect(t.slack.callsTo('reactions.add').map((c) => c.params.name)).toEqual(['eyes', 'white_check_mark']);
    expect(t.slack.callsTo('reactions.remove').map((c) => c.params.name)).toEqual(['eyes']);

    const [row] = query<Record<string, string>>(t.dbPath, 'SELECT source, fault_id, channel, workspace, permalink FROM occurrences ORDER BY id DESC LIMIT 1');
    expect(row).toMatchObject({ source: 'message', fault_id: 'sqlalchemy.missing-greenlet', channel: CHANNEL, workspace: TEAM });
    expect(row!.permalink).toBe(`https://faultline-test.slack.com/archives/${CHANNEL}/p${event.ts.replace('.', '')}`);
  });

  it('answers a retry of the same event (X-Slack-Retry-Num) at once and never twice', async () => {
    const event = paste(TRACE);
    await t.sendEvent(event, { eventId: 'EvRETRY0001' });
    await t.slack.waitFor('chat.postMessage');
    const retry = await t.sendEvent(event, { eventId: 'EvRETRY0001', sign: { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } } });
    expect(retry.status).toBe(200);
    const again = await t.sendEvent(event, { eventId: 'EvRETRY0001', sign: { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_error' } } });
    expect(again.status).toBe(200);
    await t.settle();
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(t.logs.some((l) => l.includes('faultline.duplicate_event') && l.includes('EvRETRY0001'))).toBe(true);
  });

  it('replies once per thread and fault: the same error pasted again in the thread gets no repeat', async () => {
    const parent = paste(TRACE);
    await t.sendEvent(parent);
    await t.slack.waitFor('chat.postMessage');
    await t.sendEvent(paste(TRACE.replace('0x7f3a2c1b4d90', '0x7f00deadbeef'), { thread_ts: parent.ts }));
    await t.settle();
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(1);
    // A different fault in the same thread is a new answer.
    await t.sendEvent(paste(UNIQUE, { thread_ts: parent.ts }));
    const replies = await t.slack.waitFor('chat.postMessage', undefined, 2);
    expect(replies[1]!.params.thread_ts).toBe(parent.ts);
    expect(blocksText(replies[1])).toContain('sqlalchemy.integrity-unique');
  });

  it('gives ordinary chat no reply, makes no Web API call for it and stores nothing of it', async () => {
    const [before] = query<{ n: number }>(t.dbPath, 'SELECT count(*) AS n FROM occurrences');
    await t.sendEvent(paste('anyone up for lunch? the error budget review moved to 2pm'));
    await t.sendEvent(paste('deploy went fine :tada:'));
    await t.settle();
    expect(t.slack.calls).toEqual([]);
    expect(query<{ n: number }>(t.dbPath, 'SELECT count(*) AS n FROM occurrences')).toEqual([before]);
  });

  it('ignores messages from other bots and its own', async () => {
    await t.sendEvent(paste(TRACE, { subtype: 'bot_message', bot_id: 'BOTHER001', user: undefined, username: 'ci-alerts' }));
    await t.sendEvent(paste(TRACE, { bot_id: 'BOTHER001', user: 'U0OTHERBT' }));
    await t.sendEvent(paste(TRACE, { user: BOT_USER, bot_id: BOT_ID }));
    await t.settle();
    expect(t.slack.callsTo('chat.postMessage')).toEqual([]);
  });

  it('answers in Japanese when the Slack locale is ja-JP', async () => {
    t.slack.setLocale('U0HANAKO1', 'ja-JP');
    await t.sendEvent(paste(TRACE, { user: 'U0HANAKO1' }));
    const [reply] = await t.slack.waitFor('chat.postMessage');
    const text = blocksText(reply);
    expect(text).toContain('原因');
    expect(text).toContain('解決した');
    expect(text).toContain('select(User).options(');
    expect(t.slack.callsTo('users.info')[0]!.params).toMatchObject({ user: 'U0HANAKO1', include_locale: 'true' });
  });

  it('re-diagnoses an edit only when the error changed', async () => {
    const original = paste(UNKNOWN.replace('jammed', 'stalled'));
    await t.sendEvent(original);
    await t.settle();
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(0);
    const edit = (text: string) => ({ type: 'message', subtype: 'message_changed', channel: CHANNEL, channel_type: 'channel', hidden: true, ts: nextTs(), message: { type: 'message', user: 'U0ALICE01', text: slackEscape(text), ts: original.ts, edited: { user: 'U0ALICE01', ts: nextTs() } }, previous_message: { type: 'message', user: 'U0ALICE01', text: original.text, ts: original.ts } });
    // Same error, reworded context (a typo fixed above the trace): nothing to say.
    await t.sendEvent(edit(`here it is:\n${UNKNOWN.replace('jammed', 'stalled')}`));
    await t.settle();
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(0);
    // The pasted error replaced by a known one: answered in the message's thread.
    await t.sendEvent(edit(TRACE));
    const [reply] = await t.slack.waitFor('chat.postMessage');
    expect(reply!.params.thread_ts).toBe(original.ts);
    expect(blocksText(reply)).toContain('sqlalchemy.missing-greenlet');
  });

  it('says nothing about an unknown error nobody asked about, but records it for the digest', async () => {
    const event = paste(UNKNOWN);
    await t.sendEvent(event);
    await t.settle();
    expect(t.slack.callsTo('chat.postMessage')).toEqual([]);
    expect(t.slack.callsTo('reactions.add')).toEqual([]);
    const rows = query<{ fault_id: string | null; permalink: string }>(t.dbPath, 'SELECT fault_id, permalink FROM occurrences WHERE permalink LIKE ?', `%p${event.ts.replace('.', '')}`);
    expect(rows).toEqual([{ fault_id: null, permalink: expect.stringContaining(CHANNEL) }]);
  });

  it('reads a long paste Slack turned into a text snippet, with the bot token, from the Web API host', async () => {
    const url = t.slack.addFile('trace.txt', TRACE);
    const event = paste('tests fail since the upgrade, see snippet', {
      subtype: 'file_share',
      files: [{ id: 'F0TRACE01', name: 'trace.txt', mimetype: 'text/plain', filetype: 'text', mode: 'snippet', size: Buffer.byteLength(TRACE), url_private: url, url_private_download: url }],
    });
    await t.sendEvent(event);
    const [reply] = await t.slack.waitFor('chat.postMessage');
    expect(blocksText(reply)).toContain('select(User).options(');
    const [download] = t.slack.callsTo('files.download');
    expect(download!.token).toMatch(/^xoxb-/);
  });

  it('never sends the bot token to a file URL outside Slack, and skips files over the size bound', async () => {
    const big = t.slack.addFile('huge.log', 'x'.repeat(10));
    await t.sendEvent(
      paste(TRACE, {
        subtype: 'file_share',
        files: [
          { id: 'F0EVIL001', name: 'evil.txt', mimetype: 'text/plain', filetype: 'text', size: 10, url_private: 'https://attacker.example/steal.txt' },
          { id: 'F0HUGE001', name: 'huge.log', mimetype: 'text/plain', filetype: 'text', size: 50 * 1024 * 1024, url_private: big },
        ],
      }),
    );
    const [reply] = await t.slack.waitFor('chat.postMessage');
    expect(t.slack.callsTo('files.download')).toEqual([]);
    expect(blocksText(reply)).toContain('evil.txt');
    expect(blocksText(reply)).toContain('huge.log');
  });

  it('stays silent in a mention-only channel and in an off channel', async () => {
    await t.sendSlash('mode mention-only', { channel_id: 'C0QUIET01' });
    await t.sendSlash('mode off', { channel_id: 'C0SILENT1' });
    await t.slack.waitFor('response_url', undefined, 2);
    t.slack.reset();
    await t.sendEvent(paste(TRACE, { channel: 'C0QUIET01' }));
    await t.sendEvent(paste(TRACE, { channel: 'C0SILENT1' }));
    await t.settle();
    expect(t.slack.callsTo('chat.postMessage')).toEqual([]);
  });

  it('logs ids, fingerprints and timings, never the pasted text', () => {
    const joined = t.logs.join('\n');
    expect(joined).toContain('faultline.replied');
    for (const secret of ['test_user_organization', 'Acme', 'frobnicator', 'users_email_key']) expect(joined).not.toContain(secret);
  });

  it('reports health on GET /healthz', async () => {
    const res = await fetch(`${t.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
  });
});

describe('chat that mentions an error, and real pastes, through the Slack path', () => {
  const bot = useTestBot();
  let t: TestBot;
  beforeEach(() => {
    t = bot();
  });
  const count = (): number => query<{ n: number }>(t.dbPath, 'SELECT count(*) AS n FROM occurrences')[0]!.n;

  it(`gives none of the ${CHAT.length} chat messages an unasked reply, and records none`, async () => {
    const before = count();
    for (const c of CHAT) await t.sendEvent(paste(c.text));
    await t.settle();
    expect(t.slack.callsTo('chat.postMessage')).toEqual([]);
    expect(t.slack.callsTo('reactions.add')).toEqual([]);
    expect(count()).toBe(before);
  });

  it('still answers the same chat question when mentioned or sent as a DM, without recording it', async () => {
    const question = 'why do I get greenlet_spawn has not been called when I access user.orders in a FastAPI route?';
    const ts = nextTs();
    await t.sendEvent({ type: 'app_mention', channel: CHANNEL, user: 'U0BOB0001', text: `<@${BOT_USER}> ${slackEscape(question)}`, ts, event_ts: ts });
    const [mention] = await t.slack.waitFor('chat.postMessage');
    expect(blocksText(mention)).toContain('sqlalchemy.missing-greenlet');
    await t.sendEvent(paste(question, { channel: 'D0DIRECT1', channel_type: 'im' }));
    const replies = await t.slack.waitFor('chat.postMessage', undefined, 2);
    expect(replies[1]!.params.channel).toBe('D0DIRECT1');
    expect(blocksText(replies[1])).toContain('sqlalchemy.missing-greenlet');
    await t.settle();
    expect(count()).toBe(0);
  });

  it('answers real pastes from the accuracy corpora unasked (every 12th, each in its own thread)', async () => {
    // The pastes the engine itself answers unasked: this checks the Slack path delivers them all
    // (accuracy, including the corpus's few known misses, is `npm run eval`'s job).
    const knowledge = loadKnowledge();
    const engine = createEngine(knowledge.faults);
    // A paste with no curated match is recorded, not answered (the LLM is off here): not sampled.
    const replied = (d: ReturnType<typeof engine.diagnose>): boolean => d.match !== null && worthDiagnosing(d, false);
    const pastes = [...exampleCases(knowledge.faults), ...readCorpus(join(ROOT, 'tests', 'corpus'))].filter((c) => c.expect !== null && !c.chat && replied(engine.diagnose(c.text)));
    const sample = pastes.filter((_, i) => i % 12 === 0);
    expect(sample.length).toBeGreaterThanOrEqual(40);
    // Some examples are written as Slack delivers a paste (`&lt;`, `&#39;`): sent as they are.
    const wire = (text: string): string => (/&(?:lt|gt|amp|quot|#39);/.test(text) ? text : slackEscape(text));
    for (const c of sample) await t.sendEvent({ ...paste(''), text: wire(c.text) });
    const replies = await t.slack.waitFor('chat.postMessage', undefined, sample.length);
    await t.settle();
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(sample.length);
    const answered = new Set(replies.map((r) => String(r.params.thread_ts)));
    expect(answered.size).toBe(sample.length);
    expect(count()).toBe(sample.length);
  });
});

