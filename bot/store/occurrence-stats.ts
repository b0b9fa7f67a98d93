import type { FeedbackKind } from './feedback.js';
import { DAY_MS, HOUR_MS } from './occurrences.js';

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
 * Distinct users or channels per fault and under '*' for any fault. The raw edges are read
 * once (a materialised, already distinct CTE) and feed both the per-fault and the '*' rows;
 * DISTINCT then count(*) sorts once where count(DISTINCT) with GROUP BY sorts twice.
 */
function peopleQuery(p: PeriodFilter, column: 'user_key' | 'channel'): Source {
  const table = column === 'user_key' ? 'day_users' : 'day_channels';
  const slices = sliceByBuckets(p.from, p.to, DAY_MS);
  const params: Params = { ws: p.workspace ?? null, b0: slices.buckets?.first ?? 0, b1: slices.buckets?.end ?? 0 };
  const edges = slices.raw.map(([f, t], i) => {
    params[`r${i}_from`] = f;
    params[`r${i}_to`] = t;
    return `(at >= :r${i}_from AND at < :r${i}_to)`;
  });
  const sql = `
    WITH edge AS MATERIALIZED (
      SELECT DISTINCT coalesce(fault_id, '') AS fault_key, ${column} AS who FROM occurrences
      WHERE (${edges.length ? edges.join(' OR ') : 'FALSE'}) AND ${column} IS NOT NULL AND ${IN_WORKSPACE}
    )
    SELECT fault_key AS "faultKey", count(*) AS n FROM (
      SELECT DISTINCT fault_key, who FROM (
        SELECT fault_key, ${column} AS who FROM ${table} WHERE day >= :b0 AND day < :b1 AND ${IN_WORKSPACE}
        UNION ALL SELECT fault_key, who FROM edge
        UNION ALL SELECT '*', who FROM edge
      ) AS everyone
    ) AS distinct_people GROUP BY fault_key`;
  return { sql, params };
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
      const out = new Map<string, { users: number; channels: number }>();
      for (const column of ['user_key', 'channel'] as const) {
        const q = peopleQuery(p, column);
        const rows = await query<{ faultKey: string; n: number }>(q.sql, q.params);
        for (const r of rows) {
          const entry = out.get(r.faultKey) ?? { users: 0, channels: 0 };
          entry[column === 'user_key' ? 'users' : 'channels'] = r.n;
          out.set(r.faultKey, entry);
        }
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
