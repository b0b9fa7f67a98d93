import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Explainer, ExplainInput } from '../../bot/ai/explainer.js';
import { createJsonLogger } from '../../bot/app.js';
import { slackEscape } from './signed-requests.js';
import { BOT_USER } from './stand-in-slack.js';
import { startTestBot } from './test-bot.js';

const TRACE = readFileSync(join(import.meta.dirname, '..', '..', 'knowledge', 'samples', 'missing-greenlet-pytest.txt'), 'utf8');
const UNKNOWN = 'Traceback (most recent call last):\n  File "/app/worker.py", line 12, in run\n    spin()\nFrobnicationError: the widget frobnicator jammed on batch 42';

describe('LLM fallback seam', () => {
  it('posts "looking into it", then updates it with the labelled answer; chat is never sent to the model', async () => {
    const asked: ExplainInput[] = [];
    const explainer: Explainer = {
      enabled: true,
      async explain(input) {
        asked.push(input);
        return { cause: 'The frobnicator needs oil.', fixes: [{ title: 'Oil it', why: 'Jams stop.', tradeoff: 'none', snippet: 'frobnicator.oil()', lang: 'python' }], confidence: 0.6, library: null, model: 'stand-in-model' };
      },
    };
    const t = await startTestBot({ start: { explainer } });
    try {
      await t.sendEvent({ type: 'message', channel: 'C0PASTE01', channel_type: 'channel', user: 'U0ALICE01', text: 'is the error budget meeting still on?', ts: '1730000000.000100' });
      await t.settle();
      expect(asked).toEqual([]);

      const ts = '1730000001.000100';
      await t.sendEvent({ type: 'app_mention', channel: 'C0PASTE01', user: 'U0ALICE01', text: `<@${BOT_USER}> ${slackEscape(UNKNOWN)}`, ts });
      const [placeholder] = await t.slack.waitFor('chat.postMessage');
      expect(String(placeholder!.params.text)).toContain('looking into it');
      const [update] = await t.slack.waitFor('chat.update');
      expect(update!.params.ts).toBe(placeholder!.response?.ts);
      const blocks = JSON.stringify(update!.params.blocks);
      expect(blocks).toContain('AI-suggested, not from the curated catalogue');
      expect(blocks).toContain('frobnicator.oil()');
      expect(blocks).toContain('faultline_feedback_solved');
      expect(asked).toHaveLength(1);

      // A curated match never reaches the model.
      await t.sendEvent({ type: 'message', channel: 'C0PASTE01', channel_type: 'channel', user: 'U0ALICE01', text: slackEscape(TRACE), ts: '1730000002.000100' });
      await t.slack.waitFor('chat.postMessage', (c) => JSON.stringify(c.params.blocks).includes('missing-greenlet'));
      await t.settle();
      expect(asked).toHaveLength(1);
      const db = new Database(t.dbPath, { readonly: true });
      const methods = db.prepare('SELECT method FROM occurrences ORDER BY id').all();
      db.close();
      expect(methods).toEqual([{ method: 'ai' }, { method: 'code' }]);
    } finally {
      await t.close();
    }
  });
});

describe('shutdown', () => {
  it('finishes the reply in flight, then closes the database', async () => {
    const t = await startTestBot();
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    t.slack.override('chat.postMessage', async (p) => {
      await held;
      return { ok: true, channel: p.channel, ts: '1740000000.000900' };
    });
    await t.sendEvent({ type: 'message', channel: 'C0PASTE01', channel_type: 'channel', user: 'U0ALICE01', text: slackEscape(TRACE), ts: '1740000000.000100' });
    await t.slack.waitFor('chat.postMessage');
    const stopped = t.bot.stop(10_000);
    // The reply is still waiting on Slack: stop() must not close the database under it.
    expect(t.bot.services.inFlight.size).toBe(1);
    release();
    await stopped;
    expect(t.bot.services.inFlight.size).toBe(0);
    expect(t.slack.callsTo('reactions.add').map((c) => c.params.name)).toEqual(['eyes', 'white_check_mark']);
    await expect(t.bot.services.store.occurrences.get(1)).rejects.toThrow();
    const db = new Database(t.dbPath, { readonly: true });
    const reply = db.prepare('SELECT reply_ts FROM slack_replies').get();
    db.close();
    expect(reply).toEqual({ reply_ts: '1740000000.000900' });
    await t.close();
  });
});

describe('start-up', () => {
  it('warms the engine on example pastes after the start, and answers a paste meanwhile', async () => {
    const t = await startTestBot({ start: { warmUp: true } });
    await t.sendEvent({ type: 'message', channel: 'C0PASTE01', channel_type: 'channel', user: 'U0ALICE01', text: slackEscape(TRACE), ts: '1740000000.000200' });
    await t.slack.waitFor('chat.postMessage');
    expect(JSON.stringify(t.slack.callsTo('chat.postMessage')[0]?.params)).toContain('sqlalchemy.missing-greenlet');
    // The paste was answered before the warm-up ended: it runs in slices between requests.
    const warmed = () => t.logs.find((l) => l.includes('faultline.warmed_up'));
    expect(warmed()).toBeUndefined();
    for (let i = 0; i < 600 && !warmed(); i++) await new Promise((r) => setTimeout(r, 50));
    const line = JSON.parse(warmed() ?? '{}') as { calls?: number; stopped?: boolean };
    expect(line).toMatchObject({ calls: 2000, stopped: false });
    // Nothing of the warm-up is recorded: the one occurrence is the user's paste.
    const db = new Database(t.dbPath, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM occurrences').get()).toEqual({ n: 1 });
    db.close();
    await t.close();
  });

  it('stops the warm-up when the bot stops', async () => {
    const t = await startTestBot({ start: { warmUp: true } });
    await t.close();
    const warmed = () => t.logs.find((l) => l.includes('faultline.warmed_up'));
    for (let i = 0; i < 20 && !warmed(); i++) await new Promise((r) => setTimeout(r, 50));
    const line = JSON.parse(warmed() ?? '{}') as { calls?: number; stopped?: boolean };
    expect(line.stopped, t.logs.filter((l) => l.includes('warm')).join('\n')).toBe(true);
    expect(line.calls).toBeLessThan(2000);
  });

  it('stops with a message naming the setting when Slack rejects the bot token, and closes the database', async () => {
    const { startStandInSlack } = await import('./stand-in-slack.js');
    const { loadConfig } = await import('../../bot/config.js');
    const { startBot, StartupError } = await import('../../bot/main.js');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const slack = await startStandInSlack({ botToken: 'xoxb-some-other-token' });
    const dir = mkdtempSync(join(tmpdir(), 'faultline-start-'));
    try {
      const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-revoked-000', SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef', SLACK_API_URL: slack.apiUrl, PORT: '0', FAULTLINE_DB: join(dir, 'f.db') });
      const err = await startBot(config, { host: '127.0.0.1', jobs: false, logger: silent() }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StartupError);
      expect((err as Error).message).toMatch(/^Slack rejected SLACK_BOT_TOKEN \(invalid_auth\): .*OAuth & Permissions/);
      // The database was opened and closed again: a second opener is not blocked.
      const db = new Database(join(dir, 'f.db'));
      db.close();
    } finally {
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`faultline serve` reports every setting problem and exits 2 without starting', async () => {
    const { runCli } = await import('../../bot/cli/main.js');
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdin: process.stdin, stdout: sink(out), stderr: sink(err), cwd: process.cwd() };
    expect(await runCli(['serve'], { ...io, env: { SLACK_BOT_TOKEN: 'xapp-wrong' } })).toBe(2);
    expect(err.join('')).toContain('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
    expect(err.join('')).toContain('SLACK_SIGNING_SECRET is missing');
    err.length = 0;
    expect(await runCli(['serve', '--check'], { ...io, env: { SLACK_BOT_TOKEN: 'xoxb-1-2-3', SLACK_APP_TOKEN: 'xapp-1-2-3', FAULTLINE_DB: '/tmp/x.db' } })).toBe(0);
    expect(out.join('')).toBe('Configuration OK: Socket Mode, database /tmp/x.db.\n');
  });

  it('builds a Socket Mode app when an app token is set', async () => {
    const { createSlackApp } = await import('../../bot/app.js');
    const { loadConfig } = await import('../../bot/config.js');
    const { SocketModeReceiver } = await import('@slack/bolt');
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-3', SLACK_APP_TOKEN: 'xapp-1-A1-2-abc' });
    const app = createSlackApp({ slack: config.slack, services: {} as never, logger: silent(), health: () => ({ ok: true, inFlight: 0 }) });
    expect((app as unknown as { receiver: unknown }).receiver).toBeInstanceOf(SocketModeReceiver);
  });
});

function sink(into: string[]) {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      into.push(chunk.toString());
      cb();
    },
  });
}

function silent() {
  return createJsonLogger(sink([]));
}
