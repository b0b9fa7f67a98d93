// Issue 15: two real bot processes on loopback share one PostgreSQL and both receive every
// Slack event, retries included (a load balancer may send each delivery to either). Exactly
// one reply per paste, one digest when both schedulers fire, and a kill -9 of one replica
// during writes loses no acknowledged occurrence.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../bot/store/postgres/open-postgres-store.js';
import { createTestDatabase, HOW_TO_GET_POSTGRES, isCi, testDatabaseUrl } from '../store/postgres-cluster.js';
import { eventBody, postToSlackEndpoint, slackEscape } from './signed-requests.js';
import { startStandInSlack, TEAM, type SlackCall, type StandInSlack } from './stand-in-slack.js';
import { BOT_TOKEN, SIGNING_SECRET } from './test-bot.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TRACE = readFileSync(join(ROOT, 'knowledge', 'samples', 'missing-greenlet-pytest.txt'), 'utf8');
const CHANNEL = 'C0PASTE01';
const DIGEST_CHANNEL = 'C0DIGEST01';
const USER_KEY = 'replica-test-user-key-0123456789abcdef';
const HOUR = 3_600_000;
let clock = 1_730_000_000;

const adminUrl = testDatabaseUrl();
if (!adminUrl && !isCi()) process.stderr.write(`[replicas] ${HOW_TO_GET_POSTGRES} Skipped.\n`);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

interface Replica {
  name: string;
  url: string;
  child: ChildProcess;
  log: string[];
}

async function startReplica(name: string, env: Record<string, string>): Promise<Replica> {
  const port = await freePort();
  const log: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bot', 'main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.setEncoding('utf8').on('data', (d: string) => log.push(...d.split('\n').filter(Boolean)));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => log.push(...d.split('\n').filter(Boolean)));
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${log.join('\n')}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() - started > 30_000) throw new Error(`${name} did not start: ${log.join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { name, url, child, log };
}

function paste(): { event: Record<string, unknown>; ts: string; eventId: string } {
  const ts = `${++clock}.000100`;
  return {
    ts,
    eventId: `EvRep${clock}`,
    event: { type: 'message', channel: CHANNEL, channel_type: 'channel', user: 'U0ALICE01', text: slackEscape(`\`\`\`${TRACE}\`\`\``), ts, event_ts: ts },
  };
}

const send = (replica: Replica, p: ReturnType<typeof paste>, retry = 0) =>
  postToSlackEndpoint(replica.url, eventBody(p.event, p.eventId, TEAM), 'application/json', {
    secret: SIGNING_SECRET,
    ...(retry ? { headers: { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' } } : {}),
  });

const occurrenceIdOf = (call: SlackCall): number | null => {
  const m = /\\"o\\":(\d+)/.exec(JSON.stringify(call.params.blocks ?? []));
  return m ? Number(m[1]) : null;
};

describe.skipIf(!adminUrl && !isCi())('two bot processes sharing one PostgreSQL', () => {
  let slack: StandInSlack;
  let db: { url: string; drop(): Promise<void> };
  const replicas: Replica[] = [];

  beforeAll(async () => {
    if (!adminUrl) throw new Error(HOW_TO_GET_POSTGRES);
    slack = await startStandInSlack({ botToken: BOT_TOKEN });
    db = await createTestDatabase(adminUrl);
    // Twelve occurrences in last hour and twelve in this one, so the digest both schedulers run at start-up has
    // something to post even when the replicas start after the hour turns (the period then due is this one).
    const seed = await openPostgresStore({ url: db.url, userKey: USER_KEY });
    const thisHour = Math.floor(Date.now() / HOUR) * HOUR;
    await seed.occurrences.recordMany(
      [thisHour - HOUR, thisHour].flatMap((hour) =>
        Array.from({ length: 12 }, (_, i) => ({ source: 'message' as const, at: hour + i, workspace: TEAM, channel: CHANNEL, user: `U${i % 3}`, faultId: 'sqlalchemy.missing-greenlet', method: 'code' as const, fingerprint: 'v1:seed', text: 'sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called' })),
      ),
    );
    await seed.close();
    const env = {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: db.url,
      FAULTLINE_USER_KEY: USER_KEY,
      FAULTLINE_DIGEST_CHANNEL: DIGEST_CHANNEL,
      // Hourly, so the period that just ended is due at start-up: both schedulers fire for it.
      FAULTLINE_DIGEST_CRON: '0 * * * *',
      FAULTLINE_TZ: 'UTC',
    };
    replicas.push(...(await Promise.all([startReplica('a', env), startReplica('b', env)])));
  }, 90_000);

  afterAll(async () => {
    for (const r of replicas) r.child.kill('SIGKILL');
    await slack?.close();
    await db?.drop();
  });

  it('posts one digest when both schedulers fire', async () => {
    const digests = await slack.waitFor('chat.postMessage', (c) => c.params.channel === DIGEST_CHANNEL, 1, 20_000);
    // Give the slower replica every chance to post a second one.
    await new Promise((r) => setTimeout(r, 1500));
    expect(slack.callsTo('chat.postMessage').filter((c) => c.params.channel === DIGEST_CHANNEL)).toHaveLength(1);
    expect(String(digests[0]!.params.text)).toContain('12');
  });

  it('answers each paste exactly once when every delivery and retry reaches both replicas', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const pastes = Array.from({ length: 20 }, paste);
    const statuses = await Promise.all(pastes.flatMap((p) => [send(a, p), send(b, p), send(b, p, 1), send(a, p, 2)]).map((r) => r.then((x) => x.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    await slack.waitFor('chat.postMessage', (c) => c.params.channel === CHANNEL, pastes.length, 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    const replies = slack.callsTo('chat.postMessage').filter((c) => c.params.channel === CHANNEL);
    for (const p of pastes) expect(replies.filter((c) => c.params.thread_ts === p.ts), p.ts).toHaveLength(1);
    expect(replies).toHaveLength(pastes.length);
    process.stdout.write(`[replicas] ${pastes.length} pastes, ${statuses.length} deliveries (each to both replicas, plus a retry to each): ${replies.length} replies\n`);
  });

  it('loses no acknowledged occurrence when one replica is killed with SIGKILL during writes', async () => {
    const [a, b] = replicas as [Replica, Replica];
    slack.reset();
    const sent: ReturnType<typeof paste>[] = [];
    let killed = false;
    const stream = (async () => {
      for (let i = 0; i < 200 && !killed; i++) {
        const p = paste();
        sent.push(p);
        void send(a, p).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await slack.waitFor('chat.postMessage', (c) => c.params.channel === CHANNEL, 30, 30_000);
    a.child.kill('SIGKILL');
    killed = true;
    await stream;
    await new Promise((r) => setTimeout(r, 500));

    // Every id that went out in an answer was committed before the answer was posted.
    const acknowledged = slack
      .callsTo('chat.postMessage')
      .filter((c) => c.params.channel === CHANNEL)
      .map(occurrenceIdOf)
      .filter((id): id is number => id !== null);
    expect(acknowledged.length).toBeGreaterThanOrEqual(30);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query('SELECT id FROM occurrences WHERE id = ANY($1::bigint[])', [acknowledged]);
    const sums = await client.query(`SELECT (SELECT count(*) FROM occurrences)::int AS rows, (SELECT sum(n) FROM fault_hours)::int AS rolled`);
    await client.end();
    process.stdout.write(`[replicas] replica a killed with SIGKILL after ${sent.length} pastes sent to it; ${acknowledged.length} answers carried an occurrence id, ${rows.length} of them committed; ${sums.rows[0].rows} rows, rollups sum ${sums.rows[0].rolled}\n`);
    expect(rows.length).toBe(acknowledged.length);
    // The rollups moved in the same transactions as the rows.
    expect(sums.rows[0]).toMatchObject({ rows: sums.rows[0].rolled });

    // The surviving replica answers what the load balancer now sends it.
    const p = paste();
    expect((await send(b, p)).status).toBe(200);
    await slack.waitFor('chat.postMessage', (c) => c.params.thread_ts === p.ts, 1, 15_000);
  });
});
