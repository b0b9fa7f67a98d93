// Issue 13: the bot keeps answering when its store cannot take writes, says so on /healthz and
// in the answer, and records again once the store is back. Over real HTTP on loopback.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackEscape } from './signed-requests.js';
import type { SlackCall } from './stand-in-slack.js';
import { startTestBot, type TestBot } from './test-bot.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TRACE = readFileSync(join(ROOT, 'knowledge', 'samples', 'missing-greenlet-pytest.txt'), 'utf8');
const CHANNEL = 'C0PASTE01';
let clock = 1_720_000_000;

function paste(): Record<string, unknown> & { ts: string } {
  const ts = `${++clock}.000100`;
  return { type: 'message', channel: CHANNEL, channel_type: 'channel', user: 'U0ALICE01', text: slackEscape(`\`\`\`${TRACE}\`\`\``), ts, event_ts: ts };
}

const occurrenceIdOf = (call: SlackCall): number | null => {
  const m = /\\"o\\":(\d+)/.exec(JSON.stringify(call.params.blocks ?? []));
  return m ? Number(m[1]) : null;
};
const saysNotRecorded = (call: SlackCall) => JSON.stringify(call.params.blocks ?? []).includes('Not recorded');

async function health(t: TestBot): Promise<{ status: number; body: { ok: boolean; reason?: string } }> {
  const res = await fetch(`${t.baseUrl}/healthz`);
  return { status: res.status, body: (await res.json()) as { ok: boolean; reason?: string } };
}

async function until<T>(fn: () => Promise<T | null>, timeoutMs: number): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const v = await fn();
    if (v !== null) return { value: v, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const storedIds = (path: string): Set<number> => {
  const db = new Database(path, { readonly: true });
  try {
    return new Set(db.prepare('SELECT id FROM occurrences').pluck().all() as number[]);
  } finally {
    db.close();
  }
};

const isRoot = process.getuid?.() === 0;
if (!isRoot) process.stderr.write('[store-failure] the disk-full test mounts a small tmpfs and needs root (CI runs as root): skipped.\n');

describe.skipIf(!isRoot)('a full disk (a small tmpfs the test fills)', () => {
  const mnt = mkdtempSync(join(tmpdir(), 'faultline-full-'));
  const dbPath = join(mnt, 'data', 'faultline.db');
  const filler = join(mnt, 'filler');
  let t: TestBot;

  beforeAll(async () => {
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mnt], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mount failed: ${r.stderr}`);
    mkdirSync(join(mnt, 'data'));
    t = await startTestBot({ env: { FAULTLINE_DB: dbPath } });
  });
  afterAll(async () => {
    await t?.close();
    spawnSync('umount', [mnt]);
    rmSync(mnt, { recursive: true, force: true });
  });

  it('turns /healthz 503 with the reason within 5 s, still answers, resumes recording once space is freed, and loses nothing acknowledged', async () => {
    const acknowledged: number[] = [];
    const answerOne = async () => {
      const event = paste();
      expect((await t.sendEvent(event)).status).toBe(200);
      const [reply] = await t.slack.waitFor('chat.postMessage', (c) => c.params.thread_ts === event.ts, 1, 10_000);
      const id = occurrenceIdOf(reply!);
      if (id !== null) acknowledged.push(id);
      return { reply: reply!, id };
    };

    const before = await answerOne();
    expect(before.id).not.toBeNull();
    expect((await health(t)).status).toBe(200);

    // Fill the file system to the last block.
    const chunk = Buffer.alloc(64 * 1024);
    try {
      for (let i = 0; i < 1000; i++) writeFileSync(filler, chunk, { flag: 'a' });
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    const filledAt = Date.now();

    // Answers keep coming, each saying it was not recorded.
    const during = [];
    for (let i = 0; i < 5; i++) during.push(await answerOne());
    for (const d of during) {
      expect(d.reply.params.text).toBeTruthy();
      expect(JSON.stringify(d.reply.params.blocks)).toContain('sqlalchemy.missing-greenlet');
    }
    expect(during.every((d) => d.id === null && saysNotRecorded(d.reply))).toBe(true);
    const unhealthy = await until(async () => {
      const h = await health(t);
      return h.status === 503 ? h : null;
    }, 5_000);
    expect(Date.now() - filledAt).toBeLessThanOrEqual(5_000 + 5 * 1_000);
    expect(unhealthy.value.body.reason).toMatch(/disk full/);

    // Space comes back: health and recording recover by themselves.
    unlinkSync(filler);
    await until(async () => ((await health(t)).status === 200 ? true : null), 5_000);
    const after = await answerOne();
    expect(after.id).not.toBeNull();
    expect(saysNotRecorded(after.reply)).toBe(false);

    await t.settle();
    const stored = storedIds(dbPath);
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    expect(acknowledged.length).toBe(2);
  });
});

describe('a database locked by another process', () => {
  let t: TestBot;
  let holder: ChildProcess | null = null;
  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(async () => {
    holder?.kill('SIGKILL');
    await t?.close();
  });

  /** 150 pastes at 50 per second; the HTTP ack time of each, sorted. */
  async function stream(prefix: string): Promise<{ events: ReturnType<typeof paste>[]; p50: number; p99: number }> {
    const events = Array.from({ length: 150 }, () => paste());
    const acks: number[] = [];
    const sends: Promise<void>[] = [];
    for (const [i, e] of events.entries()) {
      sends.push(
        t.sendEvent(e, { eventId: `${prefix}${i}` }).then((r) => {
          expect(r.status).toBe(200);
          acks.push(r.ms);
        }),
      );
      await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all(sends);
    await t.slack.waitFor('chat.postMessage', (c) => events.some((e) => e.ts === c.params.thread_ts), events.length, 30_000);
    await t.settle();
    acks.sort((a, b) => a - b);
    return { events, p50: acks[Math.floor(acks.length / 2)]!, p99: acks[Math.ceil(acks.length * 0.99) - 1]! };
  }

  it('keeps acks within Slack\'s 3 s (p99) while another process holds the lock, answers each once, then recovers', async () => {
    // The same stream with nothing locked first: what this machine gives anyway.
    const baseline = await stream('EvFree');
    t.slack.reset();

    // Another process takes the write lock and keeps it.
    holder = spawn(
      process.execPath,
      ['-e', `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(t.dbPath)}); db.exec('BEGIN IMMEDIATE'); db.prepare("INSERT INTO meta (key, value) VALUES ('held', 'yes') ON CONFLICT DO UPDATE SET value = 'again'").run(); process.stdout.write('locked\\n'); setInterval(() => {}, 1000);`],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder!.stdout!.once('data', () => resolve()));

    const { events, p50, p99 } = await stream('EvLocked');
    process.stdout.write(`[store-failure] 150 events at 50/s: unlocked ack p50 ${baseline.p50.toFixed(1)} ms, p99 ${baseline.p99.toFixed(1)} ms; locked ack p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms\n`);
    // Behaviour, not speed (the figures are printed above and measured by the bench): before the
    // write queue the lock stalled acks for 5-10 s, past Slack's 3 s deadline, and Slack retried.
    expect(p99).toBeLessThan(3000);
    const replies = t.slack.callsTo('chat.postMessage');
    for (const e of events) expect(replies.filter((c) => c.params.thread_ts === e.ts), e.ts).toHaveLength(1);
    const h = await health(t);
    expect(h.status).toBe(503);
    expect(h.body.reason).toMatch(/locked/);

    // A Slack retry of one of them (same event id) is still recognised while the store is locked.
    expect((await t.sendEvent(events[0]!, { eventId: 'EvLocked0' })).status).toBe(200);
    await t.settle();
    expect(t.slack.callsTo('chat.postMessage').filter((c) => c.params.thread_ts === events[0]!.ts)).toHaveLength(1);

    holder.kill('SIGKILL');
    holder = null;
    await until(async () => ((await health(t)).status === 200 ? true : null), 5_000);
    const later = paste();
    await t.sendEvent(later);
    const [reply] = await t.slack.waitFor('chat.postMessage', (c) => c.params.thread_ts === later.ts, 1, 10_000);
    expect(occurrenceIdOf(reply!)).not.toBeNull();
    // The event ids seen while locked were written back: a retry now is still a duplicate.
    await t.sendEvent(events[1]!, { eventId: 'EvLocked1' });
    await t.settle();
    expect(t.slack.callsTo('chat.postMessage').filter((c) => c.params.thread_ts === events[1]!.ts)).toHaveLength(1);
    const db = new Database(t.dbPath, { readonly: true });
    const seen = db.prepare(`SELECT count(*) FROM slack_events WHERE event_id LIKE 'EvLocked%'`).pluck().get();
    db.close();
    expect(seen).toBe(events.length);
  });
});
