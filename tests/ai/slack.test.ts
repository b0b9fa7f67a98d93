import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAiExplainer } from '../../bot/ai/openai-explainer.js';
import { slackSizeProblems, type SlackMessage } from '../../bot/render/blocks.js';
import { ACTION_IDS } from '../../bot/render/slack-limits.js';
import { ui } from '../../bot/render/strings.js';
import { openStore, type Store } from '../../bot/store/open-store.js';
import { faultExample, shippedEngine } from '../helpers.js';
import { slackEscape } from '../slack/signed-requests.js';
import { TEAM, type SlackCall } from '../slack/stand-in-slack.js';
import { startTestBot, type TestBot } from '../slack/test-bot.js';
import { HOST, OTHER_UNKNOWN_ERROR, UNKNOWN_ERROR, leakedSecrets } from './pastes.js';
import { MODEL_ANSWER, startFakeOpenAi, type FakeOpenAi } from './stand-ins.js';

const t = ui('en');
const CHANNEL = 'C0AIFALL1';
const TIMEOUT_MS = 1500;
let clock = 1_720_000_000;

function paste(text: string): Record<string, unknown> & { ts: string } {
  const ts = `${++clock}.000100`;
  return { type: 'message', channel: CHANNEL, channel_type: 'channel', user: 'U0ALICE01', text: slackEscape(text), ts, event_ts: ts };
}

const blocksText = (call: SlackCall | undefined): string => JSON.stringify(call?.params.blocks ?? []);

/**
 * The whole Slack flow with the real bot (the Slack engineer's test harness) and the real
 * explainer: an unknown error gets "looking into it", then chat.update with the labelled
 * answer, or with the curated no-match answer when the model fails.
 */
describe('the LLM fallback in Slack', () => {
  let bot: TestBot;
  let openai: FakeOpenAi;
  let store: Store;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-ai-slack-'));
    const dbPath = join(dir, 'faultline.db');
    openai = await startFakeOpenAi();
    // The explainer shares the bot's database file (its cache and budget), as in production.
    store = openStore({ path: dbPath });
    const explainer = createOpenAiExplainer({
      apiKey: 'sk-test-standin-key',
      baseUrl: `${openai.url}/v1`,
      model: 'stand-in-model',
      timeoutMs: TIMEOUT_MS,
      dailyBudget: 100,
      ratePerMinute: 100,
      store: store.ai,
      catalogue: shippedEngine(),
    });
    bot = await startTestBot({ env: { FAULTLINE_DB: dbPath }, start: { explainer } });
  });
  afterAll(async () => {
    await bot.close();
    await store.close();
    await openai.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await bot.settle();
    await bot.slack.reset();
  });

  const answerTo = async (text: string) => {
    const event = paste(text);
    expect((await bot.sendEvent(event)).status).toBe(200);
    const [update] = await bot.slack.waitFor('chat.update', undefined, 1, TIMEOUT_MS + 8000);
    await bot.settle();
    return { event, update: update!, posts: (await bot.slack.callsTo('chat.postMessage')) };
  };

  it('posts "looking into it", then updates it with the labelled answer, with no secret anywhere', async () => {
    const { event, update, posts } = await answerTo(UNKNOWN_ERROR);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.params).toMatchObject({ channel: CHANNEL, thread_ts: event.ts, text: t.lookingIntoIt });
    expect(update.params.ts).toBe(posts[0]!.response?.ts);
    const blocks = blocksText(update);
    expect(blocks).toContain(t.aiLabel);
    expect(blocks).toContain(`The database at ${HOST} refused the row`);
    expect(blocks).toContain('Validate total before the insert');
    expect(blocks).toContain(ACTION_IDS.solved);
    expect(blocks).toContain(ACTION_IDS.wrong);
    expect(slackSizeProblems({ text: String(update.params.text), blocks: update.params.blocks } as SlackMessage)).toEqual([]);

    expect(openai.requests).toHaveLength(1);
    expect(leakedSecrets(openai.requests[0]!.body)).toEqual([]);
    const near = shippedEngine().index.search('InternalError (psycopg2.errors.RaiseException) order total must not be negative', 1)[0]!.fault;
    expect(openai.requests[0]!.body).toContain(near.id);
    expect(leakedSecrets(JSON.stringify(bot.slack.calls))).toEqual([]);
    expect(leakedSecrets(bot.logs.join('\n'))).toEqual([]);

    // Counted for the weekly digest as an error the LLM answered.
    const fp = shippedEngine().diagnose(UNKNOWN_ERROR).fingerprint;
    const now = Date.now();
    const counted = (await store.stats.unmatched({ from: now - 3_600_000, to: now + 1, workspace: TEAM })).filter((u) => u.fingerprint === fp);
    expect(counted.map((u) => ({ method: u.method, n: u.n }))).toEqual([{ method: 'ai', n: 1 }]);
  });

  it('answers the same error pasted again from the cache: the model is not asked twice', async () => {
    const before = openai.requests.length;
    const { update } = await answerTo(UNKNOWN_ERROR);
    expect(blocksText(update)).toContain(t.aiLabel);
    expect(blocksText(update)).toContain(HOST);
    expect(blocksText(update)).toContain(t.aiCached);
    expect(openai.requests).toHaveLength(before);
  });

  it('never asks the model about a confident curated match', async () => {
    const before = openai.requests.length;
    await bot.sendEvent(paste(faultExample('sqlalchemy/missing-greenlet.yaml', 'pytest failure, the seed case (result resolved through select(User))')));
    const [reply] = await bot.slack.waitFor('chat.postMessage');
    await bot.settle();
    expect(blocksText(reply)).toContain('sqlalchemy.missing-greenlet');
    expect((await bot.slack.callsTo('chat.update'))).toHaveLength(0);
    expect(openai.requests).toHaveLength(before);
  });

  it("never lets the model's text mention, link or ping: every string it wrote is escaped", async () => {
    const controls = ['<!channel>', '<!here>', '<!everyone>', '<@U0VICTIM1>', '<#C0GENERAL|general>', '<!subteam^S0ONCALL>', '<https://evil.example/x|click here>'];
    const hostile = controls.join(' ');
    openai.script({ kind: 'answer', body: { ...MODEL_ANSWER, title: `Alert ${hostile}`, cause: `Tell ${hostile} now.`, library: `lib ${controls[0]}`, fixes: [{ title: `Fix ${hostile}`, why: hostile, tradeoff: hostile, snippet: `print("${hostile}")`, lang: 'python' }] } });
    const { update } = await answerTo('Traceback (most recent call last):\n  File "/app/billing/export.py", line 88, in run_nightly\n    quota.check(tenant)\nbilling.errors.QuotaExceeded: tenant 42 exceeded the nightly export quota\n');
    const posted = JSON.stringify({ text: update.params.text, blocks: update.params.blocks });
    expect(posted).toContain('Alert');
    for (const c of controls) expect(posted).not.toContain(JSON.stringify(c).slice(1, -1));
    expect(posted).toContain('&lt;!channel&gt;');
  });

  it('updates the message with the curated no-match answer when the model fails or hangs, and stays healthy', async () => {
    openai.script({ kind: 'status', status: 500 }, { kind: 'status', status: 500 }, { kind: 'status', status: 500 });
    const failed = await answerTo(OTHER_UNKNOWN_ERROR);
    expect(failed.posts[0]!.params.text).toBe(t.lookingIntoIt);
    expect(blocksText(failed.update)).toContain(t.noMatch);
    expect(blocksText(failed.update)).not.toContain(t.aiLabel);
    expect((await bot.slack.callsTo('reactions.add')).map((c) => c.params.name)).toContain('grey_question');

    await bot.slack.reset();
    openai.script({ kind: 'hang' });
    const hung = await answerTo("sqlalchemy.exc.InvalidRequestError: Can't operate on closed transaction inside context manager.\n");
    expect(blocksText(hung.update)).toContain(t.noMatch);
    expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
  });
});
