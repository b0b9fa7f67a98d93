import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { eventBody, slackEscape, slackSignature } from '../slack/signed-requests.js';
import { startStandInSlack, TEAM } from '../slack/stand-in-slack.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../slack/test-bot.js';
import { quick, summarise, type BenchResult } from './measure.js';

const ROOT = join(import.meta.dirname, '..', '..');
// What the bot answers most: tracebacks of known faults, in the sizes people paste.
const PASTES = [
  readFileSync(join(ROOT, 'knowledge', 'samples', 'missing-greenlet-pytest.txt'), 'utf8'),
  readFileSync(join(ROOT, 'tests', 'fixtures', 'chained-asyncpg-unique.txt'), 'utf8'),
  "sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called; can't call await_only() here. Was IO attempted in an unexpected place? (Background on this error at: https://sqlalche.me/e/20/xd2s)",
].map(slackEscape);

const RATE = 50;
const TARGET_P99_MS = 100;

/**
 * End to end over loopback: the production entry (`bot/main.ts`, HTTP mode, SQLite on disk)
 * runs in its own process; this one sends signed Events API requests at a steady 50/s and
 * hosts the stand-in Web API, timing each event from the request leaving to the threaded
 * chat.postMessage arriving (one clock: both ends are in this process).
 */
export default async function (): Promise<BenchResult[]> {
  const seconds = quick() ? 5 : 30;
  const total = RATE * seconds;
  const slack = await startStandInSlack({ botToken: BOT_TOKEN });
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-'));
  const bot = await spawnBot(slack.apiUrl, join(dir, 'faultline.db'));
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  try {
    // Warm-up: JIT, the users.info cache, prepared statements, sockets.
    await Promise.all(Array.from({ length: 20 }, (_, i) => send(bot.port, agent, event(i, 'w'))));
    await slack.waitFor('chat.postMessage', undefined, 20, 30_000);
    await new Promise((r) => setTimeout(r, 500));
    slack.reset();

    const sentAt = new Map<string, number>();
    const acks: number[] = [];
    const statuses: number[] = [];
    const pending: Promise<void>[] = [];
    const cpuBefore = bot.cpuMs();
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const e = event(i, 'b');
      sentAt.set(e.ts, performance.now());
      pending.push(
        send(bot.port, agent, e).then((res) => {
          acks.push(res.ms);
          statuses.push(res.status);
        }),
      );
    }
    await Promise.all(pending);
    const sendSeconds = (performance.now() - start) / 1000;
    const delivered = statuses.filter((s) => s === 200).length;
    await slack.waitFor('chat.postMessage', undefined, delivered, 120_000);
    // Anything that would be a second reply has had time to show up.
    await new Promise((r) => setTimeout(r, 1000));

    const posts = slack.callsTo('chat.postMessage');
    const perThread = new Map<string, number>();
    const latencies: number[] = [];
    for (const p of posts) {
      const thread = String(p.params.thread_ts);
      const n = (perThread.get(thread) ?? 0) + 1;
      perThread.set(thread, n);
      const sent = sentAt.get(thread);
      if (sent !== undefined && n === 1) latencies.push(p.at - sent);
    }
    const cpuAfter = bot.cpuMs();
    const cpuPerEvent = cpuBefore !== null && cpuAfter !== null ? (cpuAfter - cpuBefore) / total : null;
    const answeredOnce = [...sentAt.keys()].filter((ts) => perThread.get(ts) === 1).length;
    const e2e = summarise(latencies);
    const ack = summarise(acks);
    const exit = await bot.stop();
    return [
      { name: 'slack: signed event -> chat.postMessage, median', value: round(e2e.median), unit: 'ms', note: `${RATE} events/s, ${total} events sent over ${sendSeconds.toFixed(1)} s` },
      { name: 'slack: signed event -> chat.postMessage, p99', value: round(e2e.p99), unit: 'ms', note: `target < ${TARGET_P99_MS} ms: ${e2e.p99 < TARGET_P99_MS ? 'met' : 'MISSED'}` },
      { name: 'slack: signed event -> chat.postMessage, max', value: round(e2e.max), unit: 'ms' },
      { name: 'slack: events answered exactly once', value: answeredOnce, unit: `of ${total}`, note: `${posts.length} replies posted, ${statuses.filter((s) => s !== 200).length} non-200 acks (${statuses.filter((s) => s === 0).length} transport errors)` },
      { name: 'slack: ack latency (HTTP 200 to Slack), median', value: round(ack.median), unit: 'ms' },
      { name: 'slack: ack latency (HTTP 200 to Slack), max', value: round(ack.max), unit: 'ms', note: `Slack's limit 3000 ms: ${ack.max < 3000 ? 'met' : 'MISSED'}` },
      ...(cpuPerEvent !== null ? [{ name: 'slack: bot CPU time per event (user + system)', value: round(cpuPerEvent), unit: 'ms', note: `${round((cpuPerEvent * RATE) / 10)}% of one core at ${RATE} events/s; load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores during the run` }] : []),
      { name: 'slack: SIGTERM after the run', value: exit ?? -1, unit: 'exit code', note: 'in-flight work drained, database closed' },
    ];
  } finally {
    agent.destroy();
    await bot.stop();
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface BotProcess {
  pid: number;
  port: number;
  /** CPU time the bot process has used so far (user + system), ms; null off Linux. */
  cpuMs(): number | null;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** The bot in its own process: the sources through tsx, or `entry` (dist/bot/main.js, built). */
export async function spawnBot(apiUrl: string, dbPath: string, entry: string[] = ['--import', 'tsx', join(ROOT, 'bot', 'main.ts')]): Promise<BotProcess> {
  const child: ChildProcess = spawn(process.execPath, entry, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: apiUrl, PORT: '0', FAULTLINE_DB: dbPath },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    process.stderr.write(`[bot stderr] ${d.toString()}`);
  });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`bot did not start: ${stderr}`)), 60_000);
    lines.on('line', (line) => {
      if (!line.includes('faultline.started')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
    void exited.then((code) => reject(new Error(`bot exited (${code}) before starting: ${stderr}`)));
  });
  let stopping: Promise<number | null> | null = null;
  return {
    pid: child.pid as number,
    port,
    cpuMs() {
      try {
        // /proc/<pid>/stat fields 14 and 15: utime and stime in clock ticks (100 per second).
        const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return (Number(fields[11]) + Number(fields[12])) * 10;
      } catch {
        return null;
      }
    },
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null) child.kill('SIGTERM');
        return exited;
      })();
      return stopping;
    },
  };
}

function send(port: number, agent: Agent, e: Record<string, unknown>): Promise<{ status: number; ms: number }> {
  const body = eventBody(e, `Ev${String(e.ts).replace('.', '')}`, TEAM);
  const ts = Math.floor(Date.now() / 1000);
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/slack/events', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-slack-request-timestamp': ts, 'x-slack-signature': slackSignature(SIGNING_SECRET, ts, body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    // A transport error (a keep-alive socket closed under the request) counts as a failed
    // delivery, status 0, instead of ending the run; Slack would retry such a delivery.
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    req.end(body);
  });
}

function event(i: number, phase: 'w' | 'b'): Record<string, unknown> & { ts: string } {
  const ts = `${1_750_000_000 + i}.${phase === 'w' ? '1' : '2'}${String(i).padStart(5, '0')}`;
  // A new thread per event, from one of 20 people in one of 10 channels.
  return { type: 'message', channel: `C0BENCH${String(i % 10).padStart(2, '0')}`, channel_type: 'channel', user: `U0BENCH${String(i % 20).padStart(2, '0')}`, text: PASTES[i % PASTES.length], ts, event_ts: ts };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
