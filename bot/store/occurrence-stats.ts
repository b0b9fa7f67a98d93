import type { FeedbackKind } from './feedback.js';
import { DAY_MS, HOUR_MS } from './occurrences.js';
import { BitSet } from './people-bits.js';

/** A half-open time range [from, to) in ms, optionally one workspace (null: all). */
export interface PeriodFilter {
  from: number;
  to: number;
  workspace?: string | null;
}

/**
 * Where a period's figures come from: whole buckets from a rollup table, and the ragged
 * edges (a period starting at 09:00 local or at "now minus 7 days") from the occurrences'
 * covering time index, so every figure is exact while almost all rows come from rollups.
 */
export interface PeriodSlices {
  /** Rollup buckets [first, end) covered entirely by the period; null when none is. */
  buckets: { first: number; end: number } | null;
  /** Time ranges read from raw occurrences. */
  raw: [number, number][];
}

export function sliceByBuckets(from: number, to: number, bucketMs: number): PeriodSlices {
  if (to <= from) return { buckets: null, raw: [] };
  const first = Math.ceil(from / bucketMs);
  const end = Math.floor(to / bucketMs);
  if (first >= end) return { buckets: null, raw: [[from, to]] };
  const raw: [number, number][] = [];
  if (from < first * bucketMs) raw.push([from, first * bucketMs]);
  if (end * bucketMs < to) raw.push([end * bucketMs, to]);
  return { buckets: { first, end }, raw };
}

export type Params = Record<string, number | string | null>;
interface Source {
  sql: string;
  params: Params;
}

/**
 * The union of rollup rows (bucket column compared with :b0/:b1) and raw-edge rows (`at`
 * compared with :r_from/:r_to) with the same columns.
 */
function unionOf(slices: PeriodSlices, workspace: string | null | undefined, rollup: string, raw: string): Source {
  const params: Params = { ws: workspace ?? null };
  const parts: string[] = [];
  if (slices.buckets) {
    params.b0 = slices.buckets.first;
    params.b1 = slices.buckets.end;
    parts.push(rollup);
  }
  slices.raw.forEach(([f, t], i) => {
    params[`r${i}_from`] = f;
    params[`r${i}_to`] = t;
    parts.push(raw.replaceAll(':r_from', `:r${i}_from`).replaceAll(':r_to', `:r${i}_to`));
  });
  // An empty period still needs a well-formed query.
  if (parts.length === 0) parts.push(raw.replaceAll(':r_from', '0').replaceAll(':r_to', '0'));
  return { sql: parts.join('\nUNION ALL\n'), params };
}

// The CAST lets PostgreSQL type a parameter first seen in `IS NULL`; SQLite reads it as is.
const IN_WORKSPACE = `(CAST(:ws AS TEXT) IS NULL OR workspace = :ws)`;

// Raw edge rows name only columns of the covering index `occurrences_at`, so they are read
// from the index alone. An edge row offers its own id as a link candidate; candidates without
// a permalink are dropped when the permalinks are fetched.
function faultSource(p: PeriodFilter): Source {
  return unionOf(
    sliceByBuckets(p.from, p.to, HOUR_MS),
    p.workspace,
    `SELECT hour, fault_key, n, last_link_id FROM fault_hours WHERE hour >= :b0 AND hour < :b1 AND ${IN_WORKSPACE}`,
    `SELECT at / ${HOUR_MS} AS hour, coalesce(fault_id, '') AS fault_key, 1 AS n, id AS last_link_id
     FROM occurrences WHERE at >= :r_from AND at < :r_to AND ${IN_WORKSPACE}`,
  );
}

function unmatchedSource(p: PeriodFilter): Source {
  return unionOf(
    sliceByBuckets(p.from, p.to, DAY_MS),
    p.workspace,
    `SELECT fingerprint, method_key, n, last_id, last_link_id FROM unmatched_days WHERE day >= :b0 AND day < :b1 AND ${IN_WORKSPACE}`,
    `SELECT fingerprint, coalesce(method, '') AS method_key, 1 AS n, id AS last_id, id AS last_link_id
     FROM occurrences WHERE at >= :r_from AND at < :r_to AND fault_id IS NULL AND ${IN_WORKSPACE}`,
  );
}

/**
 * Who and where per fault in the period: bitmaps of its whole days (day_people), of the whole
 * hours of its two ragged days (hour_people), and the occurrences of the ragged hours (under an
 * hour at each end), each person as the number their bitmap uses. They are OR-ed in JS
 * (people-bits.ts): at most 7 + 46 rows per fault and workspace, plus two hours of rows.
 */
function peopleQuery(p: PeriodFilter): Source {
  const params: Params = { ws: p.workspace ?? null };
  const parts: string[] = [];
  const days = sliceByBuckets(p.from, p.to, DAY_MS);
  // Typed NULLs: PostgreSQL types a UNION's column from its first arms, and a bare NULL there
  // would be text.
  const arm = (unit: 'day' | 'hour', first: number, end: number) => {
    const i = parts.length;
    params[`b${i}_first`] = first;
    params[`b${i}_end`] = end;
    parts.push(`SELECT fault_key, users, channels, CAST(NULL AS BIGINT) AS u, CAST(NULL AS BIGINT) AS c FROM ${unit}_people WHERE ${unit} >= :b${i}_first AND ${unit} < :b${i}_end AND ${IN_WORKSPACE}`);
  };
  if (days.buckets) arm('day', days.buckets.first, days.buckets.end);
  for (const [from, to] of days.raw) {
    const hours = sliceByBuckets(from, to, HOUR_MS);
    if (hours.buckets) arm('hour', hours.buckets.first, hours.buckets.end);
    for (const [f, t] of hours.raw) {
      const i = parts.length;
      params[`r${i}_from`] = f;
      params[`r${i}_to`] = t;
      parts.push(`SELECT coalesce(o.fault_id, '') AS fault_key, CAST(NULL AS BYTEA) AS users, CAST(NULL AS BYTEA) AS channels, ui.idx AS u, ci.idx AS c
        FROM occurrences o LEFT JOIN user_ids ui ON ui.key = o.user_key LEFT JOIN channel_ids ci ON ci.key = o.channel
        WHERE o.at >= :r${i}_from AND o.at < :r${i}_to AND (CAST(:ws AS TEXT) IS NULL OR o.workspace = :ws)`);
    }
  }
  if (parts.length === 0) return { sql: `SELECT '' AS fault_key, NULL AS users, NULL AS channels, NULL AS u, NULL AS c WHERE FALSE`, params: {} };
  return { sql: parts.join('\nUNION ALL\n'), params };
}

export interface FeedbackCount {
  faultId: string | null;
  kind: FeedbackKind;
  fixId: string | null;
  n: number;
}

export interface UnmatchedCount {
  fingerprint: string;
  /** '' when no answer was found, 'ai' when the LLM answered. */
  method: string;
  n: number;
  /** The newest occurrence, for its excerpt. */
  lastId: number;
  /** The newest occurrence with a permalink, when known. */
  lastLinkId: number | null;
}

/** The aggregate queries behind the digest and App Home. A fault key of '' means no curated match. */
export interface OccurrenceStats {
  /** Occurrences per fault and hour (ms of the hour's start), with a recent link candidate. */
  faultHours(p: PeriodFilter): Promise<{ hour: number; faultKey: string; n: number; lastLinkId: number | null }[]>;
  /** Occurrences per fault. */
  faultCounts(p: PeriodFilter): Promise<Map<string, number>>;
  /** Distinct users and channels per fault, and over all faults under '*'. */
  people(p: PeriodFilter): Promise<Map<string, { users: number; channels: number }>>;
  /**
   * Errors without a curated match, per fingerprint and method, most frequent first (every
   * fingerprint of the period: bounded by how many distinct unknown errors there were).
   */
  unmatched(p: PeriodFilter): Promise<UnmatchedCount[]>;
  /** Counts of some fingerprints among errors without a curated match (for the previous period). */
  unmatchedCounts(p: PeriodFilter, fingerprints: readonly string[]): Promise<Map<string, number>>;
  /** Feedback given during the period, by the diagnosed fault, kind and fix. */
  feedback(p: PeriodFilter): Promise<FeedbackCount[]>;
  /** Permalinks of occurrences, by id; ids without one are absent. */
  permalinks(ids: readonly number[]): Promise<Map<number, string>>;
  /** Redacted excerpts of occurrences, by id; purged ones are absent. */
  excerpts(ids: readonly number[]): Promise<Map<number, string>>;
}

/**
 * Runs one read with named parameters (`:name`); each backend supplies its own (SQLite:
 * cached prepared statements; PostgreSQL: `$n` placeholders). Counts come back as numbers.
 */
export type ReadQuery = <T>(sql: string, params: Params) => Promise<T[]>;

/** The same SQL on both backends: aliased subqueries, quoted camelCase names, FALSE. */
export function createOccurrenceStats(query: ReadQuery): OccurrenceStats {
  const byIds = async (column: 'permalink' | 'excerpt', ids: readonly number[]): Promise<Map<number, string>> => {
    const out = new Map<number, string>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 500) {
      const chunk = unique.slice(i, i + 500);
      const params: Params = {};
      chunk.forEach((id, k) => (params[`i${k}`] = id));
      const sql = `SELECT id, ${column} AS value FROM occurrences WHERE id IN (${chunk.map((_, k) => `:i${k}`).join(', ')}) AND ${column} IS NOT NULL`;
      for (const r of await query<{ id: number; value: string }>(sql, params)) out.set(r.id, r.value);
    }
    return out;
  };

  return {
    async faultHours(p) {
      const src = faultSource(p);
      const rows = await query<{ hour: number; faultKey: string; n: number; lastLinkId: number | null }>(
        `SELECT hour, fault_key AS "faultKey", sum(n) AS n, max(last_link_id) AS "lastLinkId" FROM (${src.sql}) AS src GROUP BY hour, fault_key`,
        src.params,
      );
      return rows.map((r) => ({ ...r, hour: r.hour * HOUR_MS }));
    },
    async faultCounts(p) {
      const src = faultSource(p);
      const rows = await query<{ faultKey: string; n: number }>(`SELECT fault_key AS "faultKey", sum(n) AS n FROM (${src.sql}) AS src GROUP BY fault_key`, src.params);
      return new Map(rows.map((r) => [r.faultKey, r.n]));
    },
    async people(p) {
      const q = peopleQuery(p);
      const rows = await query<{ fault_key: string; users: Uint8Array | null; channels: Uint8Array | null; u: number | null; c: number | null }>(q.sql, q.params);
      const sets = new Map<string, { users: BitSet; channels: BitSet }>();
      const setsOf = (key: string) => {
        let s = sets.get(key);
        if (!s) sets.set(key, (s = { users: new BitSet(), channels: new BitSet() }));
        return s;
      };
      const everyone = setsOf('*');
      for (const r of rows) {
        const s = setsOf(r.fault_key);
        for (const into of [s, everyone]) {
          into.users.or(r.users);
          into.channels.or(r.channels);
          into.users.add(r.u === null ? null : Number(r.u));
          into.channels.add(r.c === null ? null : Number(r.c));
        }
      }
      const out = new Map<string, { users: number; channels: number }>();
      for (const [key, s] of sets) {
        const users = s.users.size;
        const channels = s.channels.size;
        if (users > 0 || channels > 0) out.set(key, { users, channels });
      }
      return out;
    },
    unmatched(p) {
      const src = unmatchedSource(p);
      return query<UnmatchedCount>(
        `SELECT fingerprint, method_key AS method, sum(n) AS n, max(last_id) AS "lastId", max(last_link_id) AS "lastLinkId"
         FROM (${src.sql}) AS src GROUP BY fingerprint, method_key ORDER BY n DESC, fingerprint`,
        src.params,
      );
    },
    async unmatchedCounts(p, fingerprints) {
      if (fingerprints.length === 0) return new Map();
      const src = unmatchedSource(p);
      const params: Params = { ...src.params };
      const list = fingerprints.slice(0, 200);
      list.forEach((f, i) => (params[`f${i}`] = f));
      const rows = await query<{ fingerprint: string; n: number }>(
        `SELECT fingerprint, sum(n) AS n FROM (${src.sql}) AS src WHERE fingerprint IN (${list.map((_, i) => `:f${i}`).join(', ')}) GROUP BY fingerprint`,
        params,
      );
      return new Map(rows.map((r) => [r.fingerprint, r.n]));
    },
    feedback: (p) =>
      query<FeedbackCount>(
        `SELECT o.fault_id AS "faultId", f.kind, f.fix_id AS "fixId", count(*) AS n
         FROM feedback f JOIN occurrences o ON o.id = f.occurrence_id
         WHERE f.at >= :from AND f.at < :to AND (CAST(:ws AS TEXT) IS NULL OR o.workspace = :ws)
         GROUP BY o.fault_id, f.kind, f.fix_id`,
        { from: p.from, to: p.to, ws: p.workspace ?? null },
      ),
    permalinks: (ids) => byIds('permalink', ids),
    excerpts: (ids) => byIds('excerpt', ids),
  };
}
