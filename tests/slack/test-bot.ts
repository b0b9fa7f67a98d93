import { afterAll, beforeAll, beforeEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { LogLevel } from '@slack/bolt';
import { createJsonLogger } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { startBot, type RunningBot, type StartOptions } from '../../bot/main.js';
import { eventBody, interactiveBody, postToSlackEndpoint, slashBody, type SignOptions } from './signed-requests.js';
import { startStandInSlack, TEAM, type StandInSlack } from './stand-in-slack.js';

// Fake credentials of the right shape: nothing here can reach a real workspace.
export const BOT_TOKEN = 'xoxb-000000000-000000000000-faultlinetestfaketoken';
export const SIGNING_SECRET = '0123456789abcdef0123456789abcdef';

export interface TestBot {
  bot: RunningBot;
  slack: StandInSlack;
  baseUrl: string;
  dbPath: string;
  /** Everything the bot logged, one JSON line each. */
  logs: string[];
  sendEvent(event: Record<string, unknown>, options?: { eventId?: string; sign?: Partial<SignOptions> }): Promise<{ status: number; text: string; ms: number }>;
  sendRaw(body: string, contentType: string, sign?: Partial<SignOptions>): Promise<{ status: number; text: string; ms: number }>;
  sendSlash(text: string, fields?: Record<string, string>): Promise<{ status: number; text: string; ms: number }>;
  sendInteraction(payload: Record<string, unknown>): Promise<{ status: number; text: string; ms: number }>;
  /** Waits until every listener run has finished (Bolt acks events before running them). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

let eventSeq = 0;

export async function startTestBot(options: { env?: Record<string, string>; start?: StartOptions; logLevel?: LogLevel } = {}): Promise<TestBot> {
  const slack = await startStandInSlack({ botToken: BOT_TOKEN });
  const dir = mkdtempSync(join(tmpdir(), 'faultline-slack-'));
  const dbPath = join(dir, 'faultline.db');
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    FAULTLINE_DB: dbPath,
    ...options.env,
  });
  const bot = await startBot(config, { host: '127.0.0.1', jobs: false, warmUp: false, logger: createJsonLogger(sink, options.logLevel ?? LogLevel.DEBUG), ...options.start });
  const baseUrl = `http://127.0.0.1:${bot.port}`;
  const sign = (s?: Partial<SignOptions>): SignOptions => ({ secret: SIGNING_SECRET, ...s });

  return {
    bot,
    slack,
    baseUrl,
    dbPath,
    logs,
    sendEvent: (event, o = {}) => postToSlackEndpoint(baseUrl, eventBody(event, o.eventId ?? `Ev${String(++eventSeq).padStart(8, '0')}`, TEAM), 'application/json', sign(o.sign)),
    sendRaw: (body, type, s) => postToSlackEndpoint(baseUrl, body, type, sign(s)),
    sendSlash: (text, fields = {}) =>
      postToSlackEndpoint(
        baseUrl,
        slashBody({ token: 'legacy', team_id: TEAM, team_domain: 'test', channel_id: 'C0PASTE01', channel_name: 'backend', user_id: 'U0ALICE01', user_name: 'alice', command: '/faultline', text, api_app_id: 'A0TEST', response_url: `${slack.origin}/respond/slash-${++eventSeq}`, trigger_id: 'trigger', ...fields }),
        'application/x-www-form-urlencoded',
        sign(),
      ),
    sendInteraction: (payload) => postToSlackEndpoint(baseUrl, interactiveBody(payload), 'application/x-www-form-urlencoded', sign()),
    async settle() {
      await bot.services.inFlight.drain(15_000);
    },
    async close() {
      await bot.stop(5_000);
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One bot for a describe block: started before its tests, closed after them, and between tests
 * settled (the previous listener may still be adding its last reaction) with the recorded
 * Slack calls cleared. Returns an accessor, valid inside the tests.
 */
export function useTestBot(options: Parameters<typeof startTestBot>[0] = {}): () => TestBot {
  let t: TestBot | undefined;
  beforeAll(async () => {
    t = await startTestBot(options);
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await t?.settle();
    t?.slack.reset();
  });
  return () => {
    if (!t) throw new Error('the test bot is not running (useTestBot must be called inside describe)');
    return t;
  };
}
