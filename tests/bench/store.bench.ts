import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { computeDigest } from '../../bot/jobs/digest.js';
import type { NewOccurrence } from '../../bot/store/occurrences.js';
import { openStore } from '../../bot/store/open-store.js';
import { openPostgresStore } from '../../bot/store/postgres/open-postgres-store.js';
import type { Store } from '../../bot/store/store.js';
import { createTestDatabase, findPostgresBin, startCluster, type RunningCluster } from '../store/postgres-cluster.js';
import { quick, summarise, type BenchResult } from './measure.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// Pastes of the sizes the bot sees, each with something for the redactor to do.
const PASTES = [
  `Traceback (most recent call last):
  File "/app/.venv/lib/python3.12/site-packages/sqlalchemy/orm/attributes.py", line 566, in __get__
    return self.impl.get(state, dict_)
  File "/app/app/api/users.py", line 41, in read_user
    return UserRead.model_validate(user.organization)
sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called; can't call await_only() here. (Background on this error at: https://sqlalche.me/e/20/xd2s)`,
  `sqlalchemy.exc.IntegrityError: (psycopg2.errors.UniqueViolation) duplicate key value violates unique constraint "users_email_key"
DETAIL:  Key (email)=(someone@example.com) already exists.
[SQL: INSERT INTO users (email, full_name) VALUES (%(email)s, %(full_name)s) RETURNING users.id]
[parameters: {'email': 'someone@example.com', 'full_name': 'Someone'}]
(Background on this error at: https://sqlalche.me/e/20/gkpj)`,
  `psycopg2.OperationalError: connection to server at "db.internal" (10.0.0.5), port 5432 failed: FATAL:  password authentication failed for user "app"
DATABASE_URL=postgresql+asyncpg://app:hunter2@db.internal:5432/app`,
  `pydantic_core._pydantic_core.ValidationError: 1 validation error for UserRead
organization
  Input should be a valid dictionary or instance of Organization [type=model_type, input_value=<app.models.Organization object at 0x7f3a2c1b5e50>, input_type=Organization]`,
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/**
 * A team's history: 60 curated faults with a long tail, a quarter of pastes unmatched (2,000
 * distinct fingerprints), 300 people in 40 channels of 2 workspaces, spread over `days`.
 */
function generator(end: number, days: number, seed: number, count = 0) {
  const rand = rng(seed);
  // History accumulates in time order (spread evenly over the days, a little jitter); live
  // recording (count 0) happens now, a few ms apart.
  const step = count ? (days * DAY) / count : 3;
  let clock = count ? end - days * DAY : end;
  return (): NewOccurrence => {
    const r = rand();
    const matched = r > 0.25;
    // Zipf-ish: a few faults recur a lot.
    const fault = Math.floor(60 * rand() ** 2.5);
    const unmatchedFp = Math.floor(2000 * rand() ** 2);
    return {
      source: rand() < 0.9 ? 'message' : 'cli',
      at: Math.min(end - 1, Math.floor((clock += step) + rand() * step)),
      workspace: rand() < 0.8 ? 'T0001' : 'T0002',
      channel: `C${Math.floor(40 * rand())}`,
      user: `U${Math.floor(300 * rand())}`,
      faultId: matched ? `lib${fault % 7}.fault-${fault}` : null,
      variant: matched ? 'default' : null,
      confidence: matched ? 0.97 : null,
      method: matched ? 'signature' : rand() < 0.3 ? 'ai' : null,
      fingerprint: matched ? `v1:f${fault}-${Math.floor(rand() * 3)}` : `v1:u${unmatchedFp}`,
      text: PASTES[Math.floor(rand() * PASTES.length)] as string,
      permalink: rand() < 0.9 ? `https://acme.slack.com/archives/C1/p${1700000000000000 + Math.floor(rand() * 1e9)}` : null,
      lang: 'en',
    };
  };
}

async function fill(store: Store, count: number, next: () => NewOccurrence): Promise<number> {
  const started = performance.now();
  const batch = 5000;
  for (let done = 0; done < count; done += batch) {
    await store.occurrences.recordMany(Array.from({ length: Math.min(batch, count - done) }, next));
  }
  return (count / (performance.now() - started)) * 1000;
}

/**
 * `inFlight` handlers each recording and awaiting the commit, as the bot does with concurrent
 * Slack events; with 1 every occurrence is its own transaction.
 */
async function recordRate(store: Store, count: number, inFlight: number, next: () => NewOccurrence): Promise<number> {
  const started = performance.now();
  let left = count;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (left-- > 0) await store.occurrences.record(next());
    }),
  );
  return (count / (performance.now() - started)) * 1000;
}

async function digestTimes(store: Store, end: number, runs: number) {
  const samples: number[] = [];
  let total = 0;
  for (let i = 0; i < runs; i++) {
    // A different `now` each run, as `faultline digest --since 7d` would have: ragged edges.
    const to = end - i * 7 * 60_000 - 1234;
    const t = performance.now();
    total = (await computeDigest(store.stats, { from: to - 7 * DAY, to })).total;
    samples.push(performance.now() - t);
  }
  return { timing: summarise(samples), total };
}

interface Backend {
  name: 'SQLite' | 'PostgreSQL';
  open(i: number): Promise<Store>;
  /** What autovacuum would have done by the time a week of history exists. */
  settle(store: Store, i: number): Promise<void>;
  size(i: number): Promise<number>;
}

/**
 * PostgreSQL from FAULTLINE_BENCH_DATABASE_URL (a database the bench may create databases in),
 * or a throwaway cluster of Debian's server on loopback, like the tests'.
 */
async function postgresBackend(): Promise<{ backend: Backend; stop(): Promise<void> } | null> {
  let cluster: RunningCluster | null = null;
  let admin = process.env.FAULTLINE_BENCH_DATABASE_URL || null;
  if (!admin) {
    const bin = findPostgresBin();
    if (!bin) return null;
    cluster = await startCluster(bin);
    admin = cluster.url;
  }
  const dbs: { url: string; drop(): Promise<void> }[] = [];
  const pg = (await import('pg')).default;
  const sql = async (url: string, text: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query(text)).rows as Record<string, unknown>[];
    } finally {
      await c.end();
    }
  };
  return {
    backend: {
      name: 'PostgreSQL',
      async open(i) {
        dbs[i] ??= await createTestDatabase(admin);
        return openPostgresStore({ url: dbs[i].url, userKey: 'bench-user-key-0123456789abcdef' });
      },
      async settle(_store, i) {
        await sql(dbs[i]!.url, 'VACUUM ANALYZE');
      },
      async size(i) {
        return Number((await sql(dbs[i]!.url, 'SELECT pg_database_size(current_database()) AS n'))[0]?.n ?? 0);
      },
    },
    async stop() {
      for (const d of dbs) await d.drop().catch(() => {});
      cluster?.stop();
    },
  };
}

export default async function (): Promise<BenchResult[]> {
  const occurrences = quick() ? 100_000 : 1_000_000;
  const single = quick() ? 5_000 : 30_000;
  const runs = quick() ? 5 : 21;
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-'));
  const results: BenchResult[] = [];
  const sqlite: Backend = {
    name: 'SQLite',
    open: async (i) => openStore({ path: join(dir, `bench-${i}.db`) }),
    settle: async () => {},
    size: async (i) => statSync(join(dir, `bench-${i}.db`)).size,
  };
  const postgres = await postgresBackend();
  if (!postgres) results.push({ name: 'PostgreSQL: skipped (no server binaries; set FAULTLINE_BENCH_DATABASE_URL)', value: 0, unit: '' });
  try {
    const end = Date.UTC(2025, 5, 2, 9);
    // FAULTLINE_BENCH_STORE=worst runs only the worst case (a quicker check of the digest).
    const scenarios = [
      { label: '90 days', days: 90, seed: 1 },
      { label: 'worst case: all in the last 14 days', days: 14, seed: 2 },
    ].filter((sc) => process.env.FAULTLINE_BENCH_STORE !== 'worst' || sc.days === 14);
    for (const backend of postgres ? [sqlite, postgres.backend] : [sqlite]) {
      for (const [i, sc] of scenarios.entries()) {
        const store = await backend.open(i);
        const next = generator(end, sc.days, sc.seed, occurrences);
        const bulk = await fill(store, occurrences, next);
        await backend.settle(store, i);
        if (sc.days === 90) {
          const live = generator(end, sc.days, 99);
          const concurrent = await recordRate(store, single, 64, live);
          const sequential = await recordRate(store, Math.round(single / 3), 1, live);
          results.push(
            {
              name: `${backend.name}: recorded/s, 64 in flight (group commit)`,
              value: Math.round(concurrent),
              unit: '/s',
              note: `${single.toLocaleString('en')} onto ${occurrences.toLocaleString('en')} rows, redaction and rollups included; target >= 5,000`,
            },
            {
              name: `${backend.name}: recorded/s, one at a time (a commit each)`,
              value: Math.round(sequential),
              unit: '/s',
              note: `batched import (recordMany, 5,000 a transaction): ${Math.round(bulk).toLocaleString('en')}/s`,
            },
          );
        }
        const { timing, total } = await digestTimes(store, end, runs);
        await store.close();
        const size = await backend.size(i);
        results.push(
          { name: `${backend.name}: digest, median (${sc.label})`, value: timing.median, unit: 'ms', note: `${occurrences.toLocaleString('en')} occurrences, ${total.toLocaleString('en')} in the week; db ${(size / 2 ** 20).toFixed(0)} MiB; target p99 <= 300 ms` },
          { name: `${backend.name}: digest, p99 (${sc.label})`, value: timing.p99, unit: 'ms', note: `${runs} runs` },
        );
      }
    }
  } finally {
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
