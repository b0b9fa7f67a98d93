import type pg from 'pg';
import { fromRow, prepareOccurrence, DAY_MS, HOUR_MS, type NewOccurrence, type OccurrenceRow, type OccurrenceStore, type OccurrenceWrite } from '../occurrences.js';
import type { StoreHealth } from '../store-health.js';
import type { UserKeyFn } from '../user-key.js';
import { createWriteQueue, type WriteQueueOptions } from '../write-queue.js';
import { setBit } from '../people-bits.js';
import { query, run, transaction } from './pool.js';

const COLUMNS = ['at', 'source', 'workspace', 'channel', 'user_key', 'fault_id', 'variant', 'confidence', 'method', 'fingerprint', 'excerpt', 'permalink', 'lang'] as const;
/** Rows per INSERT statement (13 parameters each, far under PostgreSQL's 65,535). */
const CHUNK = 1000;

function values(rows: unknown[][]): { text: string; flat: unknown[] } {
  const flat: unknown[] = [];
  const text = rows
    .map((r) => `(${r.map((v) => {
      flat.push(v);
      return `$${flat.length}`;
    }).join(', ')})`)
    .join(', ');
  return { text, flat };
}

interface PeopleRow {
  at: number;
  ws: string;
  key: string;
  users: Buffer | null;
  channels: Buffer | null;
}

/**
 * The numbers of user keys or channels in the bitmaps (people-bits.ts), assigning new ones. Two
 * replicas assigning the same key at once: one insert wins, the other reads the winner's number.
 */
async function personIds(client: pg.PoolClient, table: 'user_ids' | 'channel_ids', keys: readonly (string | null)[]): Promise<Map<string, number>> {
  const wanted = [...new Set(keys.filter((k): k is string => k !== null))].sort();
  const out = new Map<string, number>();
  if (wanted.length === 0) return out;
  const read = async (list: string[]) => {
    const res = await client.query(`SELECT idx, key FROM ${table} WHERE key = ANY($1::text[])`, [list]);
    for (const r of res.rows as { idx: string | number; key: string }[]) out.set(r.key, Number(r.idx));
  };
  await read(wanted);
  const missing = wanted.filter((k) => !out.has(k));
  if (missing.length > 0) {
    await client.query(`INSERT INTO ${table} (key) SELECT unnest($1::text[]) ON CONFLICT (key) DO NOTHING`, [missing]);
    await read(missing);
  }
  return out;
}

/**
 * Inserts the occurrences and moves their rollups in the same transaction. Rollup rows are
 * summed per key first (one upsert per key, not per occurrence) and written in key order, so two
 * replicas upserting the same keys take their row locks in the same order and never deadlock.
 */
async function writeBatch(client: pg.PoolClient, rows: readonly OccurrenceWrite[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const v = values(chunk.map((r) => [r.at, r.source, r.workspace, r.channel, r.userKey, r.faultId, r.variant, r.confidence, r.method, r.fingerprint, r.excerpt, r.permalink, r.lang]));
    const res = await client.query(`INSERT INTO occurrences (${COLUMNS.join(', ')}) VALUES ${v.text} RETURNING id`, v.flat);
    // A multi-row INSERT ... RETURNING returns the rows in VALUES order.
    for (const r of res.rows as { id: number }[]) ids.push(r.id);
  }

  const hours = new Map<string, { hour: number; ws: string; key: string; n: number; link: number | null }>();
  const unmatched = new Map<string, { day: number; ws: string; fp: string; method: string; n: number; last: number; link: number | null }>();
  const userIds = await personIds(client, 'user_ids', rows.map((r) => r.userKey));
  const channelIds = await personIds(client, 'channel_ids', rows.map((r) => r.channel));
  const people = { hour: new Map<string, PeopleRow>(), day: new Map<string, PeopleRow>() };
  rows.forEach((r, i) => {
    const id = ids[i] as number;
    const faultKey = r.faultId ?? '';
    const day = Math.floor(r.at / DAY_MS);
    const hour = Math.floor(r.at / HOUR_MS);
    const link = r.permalink ? id : null;
    const hk = JSON.stringify([hour, r.workspace, faultKey]);
    const h = hours.get(hk) ?? { hour, ws: r.workspace, key: faultKey, n: 0, link: null };
    h.n++;
    if (link !== null) h.link = Math.max(h.link ?? 0, link);
    hours.set(hk, h);
    if (r.faultId === null) {
      const uk = JSON.stringify([day, r.workspace, r.fingerprint, r.method ?? '']);
      const u = unmatched.get(uk) ?? { day, ws: r.workspace, fp: r.fingerprint, method: r.method ?? '', n: 0, last: 0, link: null };
      u.n++;
      u.last = Math.max(u.last, id);
      if (link !== null) u.link = Math.max(u.link ?? 0, link);
      unmatched.set(uk, u);
    }
    if (r.userKey || r.channel) {
      for (const [unit, at] of [['hour', hour], ['day', day]] as const) {
        const k = JSON.stringify([at, r.workspace, faultKey]);
        const p = people[unit].get(k) ?? { at, ws: r.workspace, key: faultKey, users: null, channels: null };
        if (r.userKey) p.users = setBit(p.users, userIds.get(r.userKey) as number);
        if (r.channel) p.channels = setBit(p.channels, channelIds.get(r.channel) as number);
        people[unit].set(k, p);
      }
    }
  });
  const sorted = <T>(m: Map<string, T>) => [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);

  const hourRows = sorted(hours);
  for (let i = 0; i < hourRows.length; i += CHUNK) {
    const v = values(hourRows.slice(i, i + CHUNK).map((h) => [h.hour, h.ws, h.key, h.n, h.link]));
    await client.query(
      `INSERT INTO fault_hours (hour, workspace, fault_key, n, last_link_id) VALUES ${v.text}
       ON CONFLICT (hour, workspace, fault_key) DO UPDATE SET n = fault_hours.n + excluded.n,
         last_link_id = greatest(fault_hours.last_link_id, excluded.last_link_id)`,
      v.flat,
    );
  }
  const unmatchedRows = sorted(unmatched);
  for (let i = 0; i < unmatchedRows.length; i += CHUNK) {
    const v = values(unmatchedRows.slice(i, i + CHUNK).map((u) => [u.day, u.ws, u.fp, u.method, u.n, u.last, u.link]));
    await client.query(
      `INSERT INTO unmatched_days (day, workspace, fingerprint, method_key, n, last_id, last_link_id) VALUES ${v.text}
       ON CONFLICT (day, workspace, fingerprint, method_key) DO UPDATE SET n = unmatched_days.n + excluded.n,
         last_id = greatest(unmatched_days.last_id, excluded.last_id),
         last_link_id = greatest(unmatched_days.last_link_id, excluded.last_link_id)`,
      v.flat,
    );
  }
  for (const unit of ['hour', 'day'] as const) {
    const list = sorted(people[unit]);
    for (let i = 0; i < list.length; i += CHUNK) {
      const v = values(list.slice(i, i + CHUNK).map((p) => [p.at, p.ws, p.key, p.users, p.channels]));
      await client.query(
        `INSERT INTO ${unit}_people (${unit}, workspace, fault_key, users, channels) VALUES ${v.text}
         ON CONFLICT (${unit}, workspace, fault_key) DO UPDATE SET users = faultline_bits_or(${unit}_people.users, excluded.users),
           channels = faultline_bits_or(${unit}_people.channels, excluded.channels)`,
        v.flat,
      );
    }
  }
  return ids;
}

export function createPgOccurrenceStore(pool: pg.Pool, userKey: UserKeyFn, now: () => number, health: StoreHealth, queueOptions: Partial<WriteQueueOptions<OccurrenceWrite>> = {}): OccurrenceStore {
  const prepare = (o: NewOccurrence) => prepareOccurrence(o, userKey, now);
  const queue = createWriteQueue<OccurrenceWrite>({ commit: (rows) => transaction(pool, (c) => writeBatch(c, rows)), health, ...queueOptions });
  return {
    record(o) {
      let row: OccurrenceWrite;
      try {
        row = prepare(o);
      } catch (err) {
        return Promise.reject(err);
      }
      return queue.push(row);
    },
    async recordMany(list) {
      const rows = list.map(prepare);
      try {
        return await transaction(pool, (c) => writeBatch(c, rows));
      } catch (err) {
        health.failed(err);
        throw err;
      }
    },
    flush: () => queue.drain(),
    async get(id) {
      if (!Number.isSafeInteger(id)) return null;
      const [row] = await query<OccurrenceRow>(pool, `SELECT * FROM occurrences WHERE id = $1`, [id]);
      return row ? fromRow(row) : null;
    },
    async recentForUser(user, options = {}) {
      const key = userKey(user);
      if (!key) return [];
      const rows = await query<OccurrenceRow>(
        pool,
        `SELECT * FROM occurrences WHERE user_key = $1 AND ($2::text IS NULL OR workspace = $2) ORDER BY at DESC LIMIT $3`,
        [key, options.workspace ?? null, Math.max(1, Math.min(options.limit ?? 10, 100))],
      );
      return rows.map(fromRow);
    },
    purgeExcerpts: (before) => run(pool, `UPDATE occurrences SET excerpt = NULL WHERE at < $1 AND excerpt IS NOT NULL`, [before]),
  };
}
