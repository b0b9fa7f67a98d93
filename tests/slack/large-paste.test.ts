import { describe, expect, it } from 'vitest';
import { longLogFile } from './long-log.js';
import type { SlackCall } from './stand-in-slack.js';
import { useTestBot } from './test-bot.js';

const CHANNEL = 'C0PASTE01';
const blocksText = (call: SlackCall | undefined): string => JSON.stringify(call?.params.blocks ?? []);

// A 30 MB log reaches the bot the way Slack delivers it: a message longer than Slack's 40,000
// characters becomes a text-snippet file, downloaded with files.download (url_private).
describe('a 30 MB snippet file', () => {
  const bot = useTestBot({ env: { FAULTLINE_MAX_FILE_BYTES: String(50 * 1024 * 1024) } });

  it('is diagnosed from its head and tail windows off the event loop, and the answer says so', async () => {
    const t = bot();
    const log = longLogFile(30 * 1024 * 1024);
    const url = t.slack.addFile('prod.log', log);
    const ts = '1710000500.000100';
    const res = await t.sendEvent({
      type: 'message', subtype: 'file_share', channel: CHANNEL, channel_type: 'channel', user: 'U0ALICE01', text: 'the API died overnight, log attached', ts, event_ts: ts,
      files: [{ id: 'F0BIGLOG1', name: 'prod.log', mimetype: 'text/plain', filetype: 'text', mode: 'snippet', size: log.length, url_private: url, url_private_download: url }],
    });
    expect(res.status).toBe(200);
    const [reply] = await t.slack.waitFor('chat.postMessage', undefined, 1, 60_000);
    expect(reply!.params.thread_ts).toBe(ts);
    expect(blocksText(reply)).toContain('sqlalchemy.missing-greenlet');
    expect(blocksText(reply)).toMatch(/The input was 3\d{4} KB; only its first 32 KB and last 224 KB were analysed/);
    expect(t.bot.services.diagnoser.offloaded).toBeGreaterThanOrEqual(1);
  }, 90_000);
});
