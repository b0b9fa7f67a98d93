import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { eventBody, slackEscape, slackSignature, slashBody } from '../slack/signed-requests.js';
import { startStandInSlack, TEAM, type StandInSlack } from '../slack/stand-in-slack.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../slack/test-bot.js';
import { quick, summarise, type BenchResult } from './measure.js';
import { spawnBot } from './slack.bench.js';

const ROOT = join(import.meta.dirname, '..', '..');
const RATE = 50;
const PASTES = [
  readFileSync(join(ROOT, 'knowledge', 'samples', 'missing-greenlet-pytest.txt'), 'utf8'),
  readFileSync(join(ROOT, 'tests', 'fixtures', 'chained-asyncpg-unique.txt'), 'utf8'),
  "sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called; can't call await_only() here. Was IO attempted in an unexpected place? (Background on this error at: https://sqlalche.me/e/20/xd2s)",
];
/** Above the bot's 1 MB body limit (bot/app.ts). */
const OVERSIZED_BYTES = 1024 * 1024 + 64 * 1024;

/**
 * `npm run bench -- soak` (issue 13): the built bot (dist/bot/main.js, what `faultline serve`
 * runs) in its own process, Slack's side in this one (signed requests over loopback, the
 * stand-in Web API counting every chat.postMessage and response_url call). For
 * FAULTLINE_SOAK_SECONDS (default 600; 30 in quick mode) at 50 requests/s, per 100 requests:
 * 76 new error pastes (each must get exactly one threaded reply), 5 slash commands with a paste
 * (exactly one response each), 5 Slack retries of a recent event (same event_id, new signature,
 * x-slack-retry-num), 5 replays of a recent event and 3 of a recent command (the same signed
 * bytes again), 5 forged requests (bad signature, unsigned, stale, future-dated) and 1 body over
 * the size limit. Reports the bot's RSS over time, ack latency, and lost and duplicated replies.
 */
export default async function (): Promise<BenchResult[]> {
  const seconds = Number(process.env.FAULTLINE_SOAK_SECONDS ?? (quick() ? 30 : 600));
  const dist = join(ROOT, 'dist', 'bot', 'main.js');
  const slack = await startStandInSlack({ botToken: BOT_TOKEN });
  const dir = mkdtempSync(join(tmpdir(), 'faultline-soak-'));
  const bot = await spawnBot(slack.apiUrl, join(dir, 'faultline.db'), [dist]);
  // Slack opens as many connections as it needs; a pool that queued requests here would age
  // their signatures instead of measuring the bot.
  const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
  const rss = (): number | null => {
    try {
      return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${bot.pid}/status`, 'utf8'))?.[1]) / 1024;
    } catch {
      return null;
    }
  };
  try {
    const post: Post = (body, type, headers) => send(bot.port, agent, body, type, headers);
    const signed = (body: string, at = Math.floor(Date.now() / 1000)) => ({ 'x-slack-request-timestamp': at, 'x-slack-signature': slackSignature(SIGNING_SECRET, at, body) });

    // Warm-up, then a clean slate for the counts.
    for (let i = 0; i < 20; i++) await post(eventBody(pasteEvent(-1 - i), `EvSoakWarm${i}`, TEAM), 'application/json', signed(eventBody(pasteEvent(-1 - i), `EvSoakWarm${i}`, TEAM)));
    await slack.waitFor('chat.postMessage', undefined, 20, 60_000).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1000));
    slack.reset();

    const expectedThreads = new Set<string>();
    const expectedResponses = new Set<string>();
    const unexpectedThreads = new Set<string>();
    const recentEvents: { body: string; eventId: string; headers: Record<string, string | number> }[] = [];
    const recentCommands: { body: string; headers: Record<string, string | number> }[] = [];
    const acks: number[] = [];
    const statuses = new Map<string, Map<number, number>>();
    const count = (kind: string, status: number) => {
      const m = statuses.get(kind) ?? new Map<number, number>();
      m.set(status, (m.get(status) ?? 0) + 1);
      statuses.set(kind, m);
    };
    let undelivered = 0;
    let commandsFailed = 0;
    const unacked = new Set<string>();
    const rssSeries: [number, number][] = [];
    const sampleRss = (t: number) => {
      const r = rss();
      if (r !== null) rssSeries.push([Math.round(t), r]);
    };
    sampleRss(0);
    const pending: Promise<void>[] = [];
    const total = RATE * seconds;
    const cpuBefore = bot.cpuMs();
    const start = performance.now();
    let nextRss = 10;
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const elapsed = (performance.now() - start) / 1000;
      if (elapsed >= nextRss) {
        sampleRss(elapsed);
        nextRss += 10;
      }
      const slot = i % 100;
      if (slot === 0) {
        // Over the size limit: refused with 413 while it streams, never read whole.
        const e = pasteEvent(i, 'x'.repeat(OVERSIZED_BYTES));
        unexpectedThreads.add(e.ts);
        const body = eventBody(e, `EvSoakBig${i}`, TEAM);
        pending.push(post(body, 'application/json', signed(body)).then((r) => count('oversized', r.status)));
      } else if (slot <= 5) {
        const e = pasteEvent(i);
        unexpectedThreads.add(e.ts);
        const body = eventBody(e, `EvSoakForged${i}`, TEAM);
        const now = Math.floor(Date.now() / 1000);
        const headers = [
          { 'x-slack-request-timestamp': now, 'x-slack-signature': slackSignature('not-the-signing-secret-0123456789', now, body) },
          {},
          signed(body, now - 3600),
          signed(body, now + 3600),
          { 'x-slack-request-timestamp': now, 'x-slack-signature': `${slackSignature(SIGNING_SECRET, now, body).slice(0, -4)}0000` },
        ][slot - 1] as Record<string, string | number>;
        pending.push(post(body, 'application/json', headers).then((r) => count('forged', r.status)));
      } else if (slot <= 10 && recentEvents.length) {
        const r = recentEvents[(i * 7) % recentEvents.length]!;
        pending.push(post(r.body, 'application/json', r.headers).then((x) => count('event replay', x.status)));
      } else if (slot <= 15 && recentEvents.length) {
        const r = recentEvents[(i * 11) % recentEvents.length]!;
        pending.push(post(r.body, 'application/json', { ...signed(r.body), 'x-slack-retry-num': 1 + (i % 3), 'x-slack-retry-reason': 'http_timeout' }).then((x) => count('event retry', x.status)));
      } else if (slot <= 20) {
        const path = `/respond/soak-${i}`;
        expectedResponses.add(path);
        const body = slashBody({ token: 'legacy', team_id: TEAM, team_domain: 'test', channel_id: `C0SOAK${String(i % 50).padStart(2, '0')}`, channel_name: 'backend', user_id: `U0SOAK${String(i % 40).padStart(2, '0')}`, user_name: 'dev', command: '/faultline', text: PASTES[i % PASTES.length] as string, api_app_id: 'A0TEST', response_url: `${slack.origin}${path}`, trigger_id: `trigger-${i}` });
        const headers = signed(body);
        recentCommands.push({ body, headers });
        if (recentCommands.length > 100) recentCommands.shift();
        // Slack never redelivers a slash command: a failed one is an error shown to the user.
        pending.push(post(body, 'application/x-www-form-urlencoded', headers).then((r) => {
          acks.push(r.ms);
          count('command', r.status);
          if (r.status !== 200) {
            expectedResponses.delete(path);
            commandsFailed++;
          }
        }));
      } else if (slot <= 23 && recentCommands.length) {
        const r = recentCommands[(i * 13) % recentCommands.length]!;
        pending.push(post(r.body, 'application/x-www-form-urlencoded', r.headers).then((x) => count('command replay', x.status)));
      } else {
        const e = pasteEvent(i);
        const eventId = `EvSoak${i}`;
        const body = eventBody(e, eventId, TEAM);
        const headers = signed(body);
        expectedThreads.add(e.ts);
        recentEvents.push({ body, eventId, headers });
        if (recentEvents.length > 200) recentEvents.shift();
        pending.push(deliver(post, body, 'application/json', headers, signed, acks, count, 'event').then((ok) => {
          // Never acknowledged, even after Slack's retries: Slack gives the event up; no reply is owed.
          if (!ok) {
            undelivered++;
            expectedThreads.delete(e.ts);
            unacked.add(e.ts);
          }
        }));
      }
    }
    await Promise.all(pending);
    const sendSeconds = (performance.now() - start) / 1000;
    const cpuUsed = bot.cpuMs();
    const expected = expectedThreads.size + expectedResponses.size;
    await waitForReplies(slack, expected, 180_000);
    // A second reply would have had time to show up.
    await new Promise((r) => setTimeout(r, 3000));
    sampleRss(sendSeconds);

    const perThread = tally(slack.callsTo('chat.postMessage').map((c) => String(c.params.thread_ts)));
    const perResponse = tally(slack.callsTo('response_url').map((c) => String(c.params._path)));
    let lost = 0;
    let duplicated = 0;
    for (const ts of expectedThreads) {
      const n = perThread.get(ts) ?? 0;
      if (n === 0) lost++;
      if (n > 1) duplicated += n - 1;
    }
    // An event Slack gave up on may still have been read and answered once; twice is a duplicate.
    for (const ts of unacked) if ((perThread.get(ts) ?? 0) > 1) duplicated += (perThread.get(ts) ?? 0) - 1;
    const dupThreads = duplicated;
    for (const path of expectedResponses) {
      const n = perResponse.get(path) ?? 0;
      if (n === 0) lost++;
      if (n > 1) duplicated += n - 1;
    }
    let unexpected = 0;
    for (const ts of unexpectedThreads) unexpected += perThread.get(ts) ?? 0;
    const ack = summarise(acks);
    const rssValues = rssSeries.map(([, v]) => v);
    const series = rssSeries.filter(([t], k) => k === 0 || k === rssSeries.length - 1 || t % 60 < 10).map(([t, v]) => `${t}s ${Math.round(v)}`).join(', ');
    const describe = (kind: string) => [...(statuses.get(kind) ?? new Map<number, number>())].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${n}x${s}`).join(' ');
    const exit = await bot.stop();
    return [
      { name: `soak ${seconds} s at ${RATE} req/s: requests sent`, value: total, unit: 'requests', note: `over ${sendSeconds.toFixed(0)} s; load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores` },
      { name: 'soak: replies lost (acked pastes never answered)', value: lost, unit: 'replies', note: `of ${expected} expected (${expectedThreads.size} threads, ${expectedResponses.size} command responses); ${undelivered} events never acked after Slack's 3 retries (${[...unacked].filter((ts) => perThread.has(ts)).length} of them answered anyway) and ${commandsFailed} commands not acked (Slack shows the user an error) are not counted; target 0` },
      { name: 'soak: replies duplicated (retries, replays, redeliveries)', value: duplicated + unexpected, unit: 'replies', note: `${duplicated} second replies (${dupThreads} in threads, ${duplicated - dupThreads} command responses), ${unexpected} replies to forged or oversized requests; target 0` },
      { name: 'soak: ack latency of pastes and commands, p50', value: round(ack.median), unit: 'ms', note: `${ack.n} requests` },
      { name: 'soak: ack latency of pastes and commands, p99', value: round(ack.p99), unit: 'ms', note: `max ${round(ack.max)} ms` },
      ...(cpuBefore !== null && cpuUsed !== null ? [{ name: 'soak: bot CPU time per request (user + system)', value: round((cpuUsed - cpuBefore) / total), unit: 'ms', note: `${round((cpuUsed - cpuBefore) / 10 / sendSeconds)}% of one core while sending` }] : []),
      { name: 'soak: bot RSS, start -> end (max)', value: round(rssValues.at(-1) ?? NaN), unit: 'MB', note: `from ${round(rssValues[0] ?? NaN)} MB, max ${round(Math.max(...rssValues))} MB; every minute: ${series}` },
      { name: 'soak: status codes', value: 0, unit: '', note: `events ${describe('event')}; commands ${describe('command')}; event retries ${describe('event retry')}; event replays ${describe('event replay')}; command replays ${describe('command replay')}; forged ${describe('forged')}; oversized ${describe('oversized')}` },
      { name: 'soak: SIGTERM after the run', value: exit ?? -1, unit: 'exit code' },
    ];
  } finally {
    agent.destroy();
    await bot.stop();
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

type Post = (body: string | Buffer, type: string, headers: Record<string, string | number>) => Promise<{ status: number; ms: number }>;

/**
 * Like Slack's Events API: a delivery not acknowledged with a 200 within 3 s is retried up to 3
 * times (at once, after 1 minute and after 5 minutes at Slack; here after 1, 2 and 3 s), with
 * a fresh signature and the retry headers.
 */
async function deliver(post: Post, body: string, type: string, headers: Record<string, string | number>, signed: (b: string) => Record<string, string | number>, acks: number[], count: (kind: string, status: number) => void, kind: string): Promise<boolean> {
  const first = await post(body, type, headers);
  acks.push(first.ms);
  count(kind, first.status);
  if (first.status === 200) return true;
  for (let n = 1; n <= 3; n++) {
    await new Promise((r) => setTimeout(r, 1000 * n));
    const r = await post(body, type, { ...signed(body), 'x-slack-retry-num': n, 'x-slack-retry-reason': first.status === 0 ? 'http_error' : 'http_timeout' });
    count(`${kind} redelivery`, r.status);
    if (r.status === 200) return true;
  }
  return false;
}

async function waitForReplies(slack: StandInSlack, expected: number, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until && slack.callsTo('chat.postMessage').length + slack.callsTo('response_url').length < expected) {
    await new Promise((r) => setTimeout(r, 250));
  }
}

function tally(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

function pasteEvent(i: number, text?: string): Record<string, unknown> & { ts: string } {
  const ts = `${1_770_000_000 + Math.abs(i)}.${i < 0 ? '9' : '3'}${String(Math.abs(i) % 100000).padStart(5, '0')}`;
  return { type: 'message', channel: `C0SOAK${String(Math.abs(i) % 50).padStart(2, '0')}`, channel_type: 'channel', user: `U0SOAK${String(Math.abs(i) % 40).padStart(2, '0')}`, text: text ?? slackEscape(PASTES[Math.abs(i) % PASTES.length] as string), ts, event_ts: ts };
}

function send(port: number, agent: Agent, body: string | Buffer, type: string, headers: Record<string, string | number>): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/slack/events', method: 'POST', agent, headers: { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    // The bot may close the connection on an oversized body before reading it all.
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    // Slack's limit: an answer later than 3 s is a failed delivery.
    req.setTimeout(3000, () => req.destroy());
    req.end(body);
  });
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
