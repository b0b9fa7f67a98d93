import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { eventBody, slackEscape, slackSignature } from './signed-requests.js';
import { TEAM } from './stand-in-slack.js';
import { SIGNING_SECRET, useTestBot, type TestBot } from './test-bot.js';

const TRACE = readFileSync(join(import.meta.dirname, '..', '..', 'knowledge', 'samples', 'missing-greenlet-pytest.txt'), 'utf8');
const pasteBody = (id: string) => eventBody({ type: 'message', channel: 'C0PASTE01', channel_type: 'channel', user: 'U0ALICE01', text: slackEscape(TRACE), ts: '1710000001.000100' }, id, TEAM);

describe('request verification', () => {
  const bot = useTestBot();
  let t: TestBot;
  beforeEach(() => {
    t = bot();
  });

  it('answers Slack url_verification with the challenge when signed', async () => {
    const body = JSON.stringify({ token: 'legacy', challenge: 'c-3po-challenge', type: 'url_verification' });
    const res = await t.sendRaw(body, 'application/json');
    expect(res.status).toBe(200);
    expect(res.text).toContain('c-3po-challenge');
  });

  it('rejects a forged signature with 401 and calls nothing', async () => {
    const body = pasteBody('EvFORGED01');
    const res = await t.sendRaw(body, 'application/json', { signature: slackSignature('ffffffffffffffffffffffffffffffff', Math.floor(Date.now() / 1000), body) });
    expect(res.status).toBe(401);
    await t.settle();
    expect(t.slack.calls).toEqual([]);
  });

  it('rejects a correctly signed request older than five minutes (replay) with 401', async () => {
    const old = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await t.sendRaw(pasteBody('EvSTALE001'), 'application/json', { timestamp: old });
    expect(res.status).toBe(401);
    await t.settle();
    expect(t.slack.calls).toEqual([]);
  });

  it('rejects an unsigned request with 401', async () => {
    const res = await t.sendRaw(pasteBody('EvUNSIGNED'), 'application/json', { unsigned: true });
    expect(res.status).toBe(401);
    const slash = await t.sendRaw('command=%2Ffaultline&text=help', 'application/x-www-form-urlencoded', { unsigned: true });
    expect(slash.status).toBe(401);
    await t.settle();
    expect(t.slack.calls).toEqual([]);
  });

  it('rejects a body altered after signing', async () => {
    const ts = Math.floor(Date.now() / 1000);
    const signature = slackSignature(SIGNING_SECRET, ts, pasteBody('EvORIGINAL'));
    const res = await t.sendRaw(pasteBody('EvTAMPERED'), 'application/json', { timestamp: ts, signature });
    expect(res.status).toBe(401);
    await t.settle();
    expect(t.slack.calls).toEqual([]);
  });

  it('still answers a properly signed copy afterwards', async () => {
    const res = await t.sendRaw(pasteBody('EvGENUINE1'), 'application/json');
    expect(res.status).toBe(200);
    await t.slack.waitFor('chat.postMessage');
  });
});
