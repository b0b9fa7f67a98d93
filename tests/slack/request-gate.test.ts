import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../bot/render/slack-limits.js';
import { eventBody, interactiveBody, postToSlackEndpoint, slackEscape, slackSignature, slashBody } from './signed-requests.js';
import { TEAM } from './stand-in-slack.js';
import { SIGNING_SECRET, startTestBot, type TestBot } from './test-bot.js';

const TRACE = readFileSync(join(import.meta.dirname, '..', '..', 'knowledge', 'samples', 'missing-greenlet-pytest.txt'), 'utf8');
const now = () => Math.floor(Date.now() / 1000);
let seq = 0;
const paste = () => eventBody({ type: 'message', channel: 'C0PASTE01', channel_type: 'channel', user: 'U0ALICE01', text: slackEscape(TRACE), ts: `17100${++seq}.000100` }, `EvGATE${String(seq).padStart(4, '0')}`, TEAM);
let respondTo = 'http://127.0.0.1:1';
const slash = () => slashBody({ team_id: TEAM, channel_id: 'C0PASTE01', user_id: 'U0ALICE01', command: '/faultline', text: 'help', response_url: `${respondTo}/respond/gate-${++seq}`, trigger_id: 't' });
// A click on a feedback button whose answer is gone: the bot says so through response_url.
const click = () => interactiveBody({
  type: 'block_actions', team: { id: TEAM, domain: 'test' }, user: { id: 'U0BOB0001', team_id: TEAM }, api_app_id: 'A0TEST', token: 'legacy', trigger_id: 't',
  container: { type: 'message', message_ts: '1.1', channel_id: 'C0PASTE01', is_ephemeral: false }, channel: { id: 'C0PASTE01' },
  response_url: `${respondTo}/respond/click-${++seq}`,
  actions: [{ type: 'button', action_id: ACTION_IDS.didntHelp, block_id: 'faultline_feedback', value: JSON.stringify({ o: 999999, f: 'x', x: null }), action_ts: `${seq}.5` }],
});

const KINDS: [string, () => string, string][] = [
  ['event', paste, 'application/json'],
  ['command', slash, 'application/x-www-form-urlencoded'],
  ['interaction', click, 'application/x-www-form-urlencoded'],
];

/** Raw HTTP so a client can stream a body the server refuses part-way. */
function postStreaming(baseUrl: string, headers: Record<string, string>, bytes: number): Promise<number | 'reset'> {
  return new Promise((resolve) => {
    const url = new URL('/slack/events', baseUrl);
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...headers, 'content-length': String(bytes) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve('reset'));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) { req.once('drain', pump); return; }
      }
      req.end();
    };
    pump();
  });
}

describe('the request gate, over real HTTP', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
    respondTo = t.slack.origin;
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.settle();
    t.slack.reset();
  });

  for (const [kind, body, type] of KINDS) {
    it(`refuses a forged, unsigned, stale or future-dated ${kind} and calls nothing`, async () => {
      const b = body();
      const forged = await postToSlackEndpoint(t.baseUrl, b, type, { secret: 'f'.repeat(32) });
      const unsigned = await postToSlackEndpoint(t.baseUrl, b, type, { secret: SIGNING_SECRET, unsigned: true });
      const stale = await postToSlackEndpoint(t.baseUrl, b, type, { secret: SIGNING_SECRET, timestamp: now() - 301 - 5 });
      const future = await postToSlackEndpoint(t.baseUrl, b, type, { secret: SIGNING_SECRET, timestamp: now() + 301 + 5 });
      expect([forged.status, unsigned.status, stale.status, future.status]).toEqual([401, 401, 401, 401]);
      await t.settle();
      expect(t.slack.calls).toEqual([]);
    });
  }

  it('keeps an idle connection open longer than Node\'s 5 s, so a client reusing it is answered, not reset', async () => {
    // A balancer or client pool reuses an idle connection; if the server closed it at 5 s the
    // request racing that close is reset and the event lost. Two requests on one socket, 6 s apart.
    const { Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const get = (): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request(`${t.baseUrl}/healthz`, { agent }, (res) => {
          sockets.add(req.socket);
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await get()).toBe(200);
      await new Promise((r) => setTimeout(r, 6_000));
      expect(await get()).toBe(200);
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
    }
  }, 15_000);

  it('answers a replayed slash command once', async () => {
    const b = slash();
    const ts = now();
    const signature = slackSignature(SIGNING_SECRET, ts, b);
    const first = await postToSlackEndpoint(t.baseUrl, b, 'application/x-www-form-urlencoded', { secret: SIGNING_SECRET, timestamp: ts, signature });
    const again = await postToSlackEndpoint(t.baseUrl, b, 'application/x-www-form-urlencoded', { secret: SIGNING_SECRET, timestamp: ts, signature });
    expect([first.status, again.status]).toEqual([200, 200]);
    await t.slack.waitFor('response_url');
    await t.settle();
    expect(t.slack.callsTo('response_url')).toHaveLength(1);
  });

  it('processes a replayed interaction once', async () => {
    const b = click();
    const ts = now();
    const signature = slackSignature(SIGNING_SECRET, ts, b);
    const results = await Promise.all([0, 1, 2].map(() => postToSlackEndpoint(t.baseUrl, b, 'application/x-www-form-urlencoded', { secret: SIGNING_SECRET, timestamp: ts, signature })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    await t.slack.waitFor('response_url');
    await t.settle();
    expect(t.slack.callsTo('response_url')).toHaveLength(1);
  });

  it('replies once to an event delivered again, as a retry or a replay', async () => {
    const b = paste();
    const ts = now();
    const signature = slackSignature(SIGNING_SECRET, ts, b);
    await postToSlackEndpoint(t.baseUrl, b, 'application/json', { secret: SIGNING_SECRET, timestamp: ts, signature });
    await postToSlackEndpoint(t.baseUrl, b, 'application/json', { secret: SIGNING_SECRET, timestamp: ts, signature });
    await postToSlackEndpoint(t.baseUrl, b, 'application/json', { secret: SIGNING_SECRET, headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    await t.slack.waitFor('chat.postMessage');
    await t.settle();
    expect(t.slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  for (const body of ['null', '[]', '[1,2]', '42', '"text"', 'true', '{not json']) {
    it(`refuses a signed ${body} body with 400 and stays up`, async () => {
      const res = await postToSlackEndpoint(t.baseUrl, body, 'application/json', { secret: SIGNING_SECRET });
      expect(res.status).toBe(400);
      const form = await postToSlackEndpoint(t.baseUrl, `payload=${encodeURIComponent(body)}`, 'application/x-www-form-urlencoded', { secret: SIGNING_SECRET });
      expect(form.status).toBe(400);
      const health = await fetch(`${t.baseUrl}/healthz`);
      expect(health.status).toBe(200);
    });
  }

  it('refuses an oversized body with 413 by its declared length, and while it streams', async () => {
    const headers = { 'content-type': 'application/json', 'x-slack-request-timestamp': String(now()), 'x-slack-signature': 'v0=00' };
    expect(await postStreaming(t.baseUrl, headers, 4 * 1024 * 1024)).toSatisfy((s: number | 'reset') => s === 413 || s === 'reset');
    // A chunked body declares no length: it is cut off once it passes the limit.
    const res = await fetch(`${t.baseUrl}/slack/events`, {
      method: 'POST',
      headers,
      body: new ReadableStream({ pull(c) { c.enqueue(new Uint8Array(256 * 1024)); } }),
      duplex: 'half',
    } as RequestInit).catch(() => null);
    if (res) expect(res.status).toBe(413);
    expect(t.logs.filter((l) => l.includes('"reason":"too-large"')).length).toBeGreaterThanOrEqual(2);
    expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(200);
  });

  it('grows by far less than the bodies when 150 unsigned 4 MB bodies arrive', async () => {
    const before = process.memoryUsage().rss;
    const statuses: (number | 'reset')[] = [];
    for (let i = 0; i < 150; i += 10) {
      statuses.push(...await Promise.all(Array.from({ length: 10 }, () => postStreaming(t.baseUrl, { 'content-type': 'application/json' }, 4 * 1024 * 1024))));
    }
    const grown = (process.memoryUsage().rss - before) / 1024 / 1024;
    expect(statuses.every((s) => s === 401 || s === 'reset')).toBe(true);
    // 600 MB were sent; none of it is kept.
    expect(grown).toBeLessThan(50);
  });
});
