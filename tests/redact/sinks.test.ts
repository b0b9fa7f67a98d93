import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiExplainer } from '../../bot/ai/openai-explainer.js';
import { redact } from '../../bot/redact/redact.js';
import { occurrenceFromDiagnosis } from '../../bot/store/occurrences.js';
import { openStore } from '../../bot/store/open-store.js';
import { startFakeOpenAi, type FakeOpenAi } from '../ai/stand-ins.js';
import { shippedEngine } from '../helpers.js';
import { slackEscape } from '../slack/signed-requests.js';
import { BOT_USER } from '../slack/stand-in-slack.js';
import { startTestBot, type TestBot } from '../slack/test-bot.js';
import { findLeaks, loadPlanted, type Leak } from './corpus/leaks.js';

/**
 * The planted-secrets corpus (tests/redact/corpus/planted.jsonl: real pastes with synthetic
 * credentials and look-alikes) through every way text leaves the process: the SQLite file
 * (WAL included) after recording through the real store, the logs, every LLM request body (the
 * loopback OpenAI stand-in) and every Slack Web API call body, uploads included (the real Bolt
 * app on loopback with signed requests). A secret counts as leaked when it, or any 12-character
 * window of it, is found.
 */
const corpus = loadPlanted();
const secrets = corpus.flatMap((c) => c.secrets);
const engine = shippedEngine();

const describeLeaks = (leaks: Leak[]) => leaks.map((l) => `${l.kind}: ${l.piece}`).join('\n');

/** The file and its WAL, as bytes read as latin1 (the secrets are ASCII). */
function fileBytes(path: string): string {
  return [path, `${path}-wal`].filter(existsSync).map((p) => readFileSync(p).toString('latin1')).join('\n');
}

describe('the planted-secrets corpus', () => {
  it('plants at least 300 secrets of 40 kinds in realistic pastes, and 100 look-alikes', async () => {
    expect(secrets.length).toBeGreaterThanOrEqual(300);
    expect(new Set(secrets.map((s) => s.kind)).size).toBeGreaterThanOrEqual(40);
    expect(corpus.flatMap((c) => c.lookalikes).length).toBeGreaterThanOrEqual(100);
    expect(new Set(corpus.map((c) => c.shape)).size).toBeGreaterThanOrEqual(5);
    for (const c of corpus) for (const s of [...c.secrets, ...c.lookalikes]) expect(c.text, c.id).toContain(s.value);
  });

  it('redaction removes every secret, whole and in any 12-character window', async () => {
    const leaks = corpus.flatMap((c) => findLeaks(redact(c.text).text, c.secrets));
    expect(leaks, describeLeaks(leaks)).toEqual([]);
  });

  it('keeps at least 95 % of the look-alikes (ids, SHAs, digests, names, paths, versions)', async () => {
    const all = corpus.flatMap((c) => c.lookalikes.map((l) => ({ ...l, kept: redact(c.text).text.includes(l.value) })));
    const lost = all.filter((l) => !l.kept);
    expect(all.length - lost.length, lost.map((l) => `${l.kind}: ${l.value}`).join('\n')).toBeGreaterThanOrEqual(Math.ceil(all.length * 0.95));
  });

  it('does not change the diagnosis of any paste (same fault and variant)', async () => {
    const changed = corpus.flatMap((c) => {
      const before = engine.diagnose(c.text).match;
      const after = engine.diagnose(redact(c.text).text).match;
      return before?.id === after?.id && before?.variant === after?.variant ? [] : [`${c.id}: ${before?.id}/${before?.variant} -> ${after?.id}/${after?.variant}`];
    });
    expect(changed).toEqual([]);
  });
});

describe('the database file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-sinks-db-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds none of the secrets after recording every paste through the real store (WAL included)', async () => {
    const path = join(dir, 'record.db');
    const store = openStore({ path });
    for (const [i, c] of corpus.entries()) {
      const d = engine.diagnose(c.text);
      await store.occurrences.record({ source: i % 2 ? 'message' : 'cli', workspace: 'T1', channel: 'C1', user: `U${i}`, ...occurrenceFromDiagnosis(d), text: c.text });
    }
    await store.occurrences.flush();
    // While open, the recent writes are in the WAL; after close they are in the database.
    const open = fileBytes(path);
    expect(existsSync(`${path}-wal`)).toBe(true);
    await store.close();
    const leaks = [...findLeaks(open, secrets), ...findLeaks(fileBytes(path), secrets)];
    expect(leaks, describeLeaks(leaks)).toEqual([]);
  }, 120_000);

  it('keeps none of the purged excerpts in the file or its WAL after a purge', async () => {
    const path = join(dir, 'purge.db');
    const DAY = 86_400_000;
    const now = Date.UTC(2024, 5, 1);
    const store = openStore({ path, now: () => now });
    const ids: number[] = [];
    for (const [i, c] of corpus.slice(0, 60).entries()) {
      ids.push(await store.occurrences.record({ source: 'message', at: now - (100 + i) * DAY, workspace: 'T1', channel: 'C1', user: 'U1', ...occurrenceFromDiagnosis(engine.diagnose(c.text)), text: c.text }));
    }
    await store.occurrences.flush();
    // Lines of at least 40 characters of each stored excerpt, unique to it among the excerpts.
    const excerpts = await Promise.all(ids.map(async (id) => (await store.occurrences.get(id))?.excerpt ?? ''));
    const lines = excerpts.flatMap((e) => e.split('\n').filter((l) => l.length >= 40));
    const counts = new Map<string, number>();
    for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
    const distinctive = [...counts].filter(([, n]) => n === 1).map(([l]) => l);
    expect(distinctive.length).toBeGreaterThan(60);
    // The scan finds them before the purge (it is not blind)...
    const before = fileBytes(path);
    expect(distinctive.filter((l) => before.includes(Buffer.from(l, 'utf8').toString('latin1'))).length).toBeGreaterThan(distinctive.length * 0.9);

    const result = await store.purge(90, now);
    expect(result.excerpts).toBe(60);
    expect(result.checkpointed).toBe(true);
    const after = fileBytes(path);
    const left = distinctive.filter((l) => after.includes(Buffer.from(l, 'utf8').toString('latin1')));
    expect(left).toEqual([]);
    await store.close();
    const closed = fileBytes(path);
    expect(distinctive.filter((l) => closed.includes(Buffer.from(l, 'utf8').toString('latin1')))).toEqual([]);
  }, 120_000);
});

describe('the LLM request bodies', () => {
  let openai: FakeOpenAi;
  let dir: string;
  beforeAll(async () => {
    openai = await startFakeOpenAi();
    dir = mkdtempSync(join(tmpdir(), 'faultline-sinks-ai-'));
  });
  afterAll(async () => {
    await openai.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hold none of the secrets, even when the explainer is handed the raw paste', async () => {
    const store = openStore({ path: join(dir, 'ai.db') });
    const explainer = createOpenAiExplainer({ apiKey: 'sk-test-standin-key', baseUrl: `${openai.url}/v1`, model: 'stand-in-model', timeoutMs: 30_000, dailyBudget: 10_000, ratePerMinute: 10_000, store: store.ai, catalogue: engine });
    for (const c of corpus) {
      // As if the engine had found nothing: the paste goes to the model.
      const diagnosis = { ...engine.diagnose(c.text), match: null };
      await explainer.explain({ text: c.text, diagnosis, lang: 'en', workspace: 'T1' });
    }
    await store.close();
    const bodies = openai.requests.filter((r) => r.path.endsWith('/chat/completions'));
    expect(bodies.length).toBeGreaterThanOrEqual(corpus.length / 2);
    const leaks = findLeaks(bodies.map((r) => r.body).join('\n'), secrets);
    expect(leaks, describeLeaks(leaks)).toEqual([]);
  }, 300_000);
});

describe('the Slack app on loopback', () => {
  let bot: TestBot;
  let openai: FakeOpenAi;
  let dir: string;
  let dbPath: string;
  let clock = 1_720_000_000;
  const nextTs = () => `${++clock}.000200`;

  beforeAll(async () => {
    openai = await startFakeOpenAi();
    dir = mkdtempSync(join(tmpdir(), 'faultline-sinks-slack-'));
    dbPath = join(dir, 'faultline.db');
    const store = openStore({ path: dbPath });
    const explainer = createOpenAiExplainer({ apiKey: 'sk-test-standin-key', baseUrl: `${openai.url}/v1`, model: 'stand-in-model', timeoutMs: 5000, dailyBudget: 10_000, ratePerMinute: 10_000, store: store.ai, catalogue: engine });
    bot = await startTestBot({ env: { FAULTLINE_DB: dbPath }, start: { explainer } });
    await bot.slack.override('files.getUploadURLExternal', () => ({ upload_url: `${bot.slack.apiUrl.replace(/\/api\/?$/, '')}/upload/F0UPLOAD1`, file_id: 'F0UPLOAD1' }));
    await bot.slack.override('files.completeUploadExternal', () => ({ files: [{ id: 'F0UPLOAD1' }] }));
    // Every paste as a channel message (curated replies), and as a question with an unknown
    // error (the LLM path: "looking into it", then the answer).
    for (const c of corpus) {
      const ts = nextTs();
      await bot.sendEvent({ type: 'message', channel: 'C0SINKS01', channel_type: 'channel', user: 'U0ALICE01', text: slackEscape(c.text), ts, event_ts: ts });
      if (c.id.endsWith('0') || c.id.endsWith('5')) {
        const asked = nextTs();
        const unknown = `${c.text.split('\n').slice(0, 3).join('\n')}\nacme.billing.LedgerDriftError: ledger drift of ${c.id} exceeds tolerance`;
        await bot.sendEvent({ type: 'app_mention', channel: 'C0SINKS02', user: 'U0BOB0001', text: slackEscape(`<@${BOT_USER}> ${unknown}`), ts: asked, event_ts: asked });
      }
    }
    await bot.settle();
    // An upload through the bot's own Web API client (files.uploadV2 posts the content to an upload URL).
    await bot.bot.app.client.files.uploadV2({ channel_id: 'C0SINKS01', filename: 'paste.txt', content: corpus.slice(0, 40).map((c) => c.text).join('\n\n') });
    await store.close();
  }, 600_000);
  afterAll(async () => {
    await bot.close();
    await openai.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('replied to the pastes, asked the model and uploaded (the scans below are not empty)', async () => {
    expect((await bot.slack.callsTo('chat.postMessage')).length).toBeGreaterThan(corpus.length * 0.8);
    expect(bot.slack.calls.some((c) => c.method.includes('upload'))).toBe(true);
    expect(openai.requests.length).toBeGreaterThan(0);
    expect(bot.logs.length).toBeGreaterThan(corpus.length);
  });

  it('sends none of the secrets in any Slack Web API call body, uploads included', async () => {
    const bodies = bot.slack.calls.map((c) => {
      const decoded = c.raw && !c.raw.trimStart().startsWith('{') && !c.raw.includes('Content-Disposition') ? [...new URLSearchParams(c.raw).values()].join('\n') : '';
      return `${c.raw ?? ''}\n${decoded}\n${JSON.stringify(c.params)}`;
    });
    const leaks = findLeaks(bodies.join('\n'), secrets);
    expect(leaks, describeLeaks(leaks)).toEqual([]);
  });

  it('sends none of the secrets to the model', async () => {
    const leaks = findLeaks(openai.requests.map((r) => r.body).join('\n'), secrets);
    expect(leaks, describeLeaks(leaks)).toEqual([]);
  });

  it('logs none of the secrets (DEBUG level, Bolt and Web API client included)', async () => {
    const leaks = findLeaks(bot.logs.join('\n'), secrets);
    expect(leaks, describeLeaks(leaks)).toEqual([]);
  });

  it('writes none of the secrets to the database file', async () => {
    const bytes = fileBytes(dbPath);
    // The bot recorded the pastes there (redacted excerpts of the matched ones).
    expect(bytes).toContain('sqlalchemy');
    const leaks = findLeaks(bytes, secrets);
    expect(leaks, describeLeaks(leaks)).toEqual([]);
  });
});
