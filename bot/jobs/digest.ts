import type { FeedbackCount, OccurrenceStats, PeriodFilter } from '../store/occurrence-stats.js';
import type { Lang } from '../triage/types.js';

const DAY_MS = 86_400_000;

/** Names for ids, from the catalogue; the digest falls back to the ids when one is missing. */
export interface DigestCatalogue {
  faultTitle(faultId: string, lang: Lang): string | null;
  fixTitle(faultId: string, fixId: string, lang: Lang): string | null;
  /** The structural fix for a recurring fault; default: the map in fix-it-once.ts. */
  fixItOnce?(faultId: string, lang: Lang): string | null;
}

export interface DigestOptions extends PeriodFilter {
  lang?: Lang;
  catalogue?: DigestCatalogue;
  limits?: Partial<DigestLimits>;
}

export interface DigestLimits {
  faults: number;
  unmatched: number;
  ai: number;
  links: number;
}

const DEFAULT_LIMITS: DigestLimits = { faults: 10, unmatched: 5, ai: 5, links: 3 };

export type Change = 'new' | 'rising' | 'steady' | 'falling';

export interface DigestFault {
  id: string;
  title: string | null;
  count: number;
  previous: number;
  users: number;
  channels: number;
  change: Change;
  /** Occurrences per day of the period (one slice per day, starting at `period.from`). */
  daily: number[];
  sparkline: string;
  feedback: { solved: number; didntHelp: number; wrong: number };
  /** The fix most often marked "Solved it" during the period. */
  fixThatWorked: { id: string; title: string | null; solved: number } | null;
  /** Shown when the fault recurs: the change that removes it for good. */
  fixItOnce: string | null;
  /** Recent Slack messages where it was seen, newest first (at most one per hour). */
  links: string[];
}

export interface DigestFingerprint {
  fingerprint: string;
  count: number;
  previous: number;
  /** A redacted excerpt of its newest occurrence in the period (null once purged by retention). */
  example: string | null;
  links: string[];
}

export interface DigestReview {
  id: string;
  title: string | null;
  /** "Didn't help" plus "Wrong diagnosis" clicks in the period. */
  negative: number;
  feedback: number;
  share: number;
  previousShare: number | null;
}

export interface Digest {
  period: { from: string; to: string };
  previousPeriod: { from: string; to: string };
  workspace: string | null;
  total: number;
  previousTotal: number;
  /** Occurrences a curated fault matched. */
  matched: number;
  /** matched / total, null when nothing happened. */
  coverage: number | null;
  users: number;
  channels: number;
  /** Start of each sparkline slice, ISO. */
  days: string[];
  faults: DigestFault[];
  /** Faults seen in the previous period and not at all in this one. */
  quiet: { id: string; title: string | null; previous: number }[];
  /** The most frequent errors without a curated match: candidates for new fault files. */
  unmatched: DigestFingerprint[];
  /** Errors the LLM answered: candidates to promote to curated faults. */
  ai: DigestFingerprint[];
  /** Faults whose negative-feedback share rose: their entries need review. */
  needsReview: DigestReview[];
}

export function isEmptyDigest(d: Digest): boolean {
  return d.total === 0;
}

/** new: absent before; rising / falling: at least half again or a third less, and by 2+. */
export function classifyChange(count: number, previous: number): Change {
  if (previous === 0) return count > 0 ? 'new' : 'steady';
  if (count >= previous * 1.5 && count - previous >= 2) return 'rising';
  if (count <= previous * (2 / 3) && previous - count >= 2) return 'falling';
  return 'steady';
}

const BARS = '▁▂▃▄▅▆▇█';

export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values.map((v) => (max === 0 || v <= 0 ? BARS[0] : BARS[Math.min(7, Math.ceil((v / max) * 7))])).join('');
}

/** One slice per day of the period (at least 1, at most 31), starting at `from`. */
export function daySlices(from: number, to: number): { count: number; width: number } {
  const count = Math.min(31, Math.max(1, Math.round((to - from) / DAY_MS)));
  return { count, width: (to - from) / count };
}

function example(excerpt: string | null): string | null {
  if (!excerpt) return null;
  return excerpt.length <= 1500 ? excerpt : `…${excerpt.slice(excerpt.length - 1500)}`;
}

function feedbackByFault(rows: FeedbackCount[]) {
  const out = new Map<string, { solved: number; didntHelp: number; wrong: number; fixes: Map<string, number> }>();
  for (const r of rows) {
    if (!r.faultId) continue;
    const e = out.get(r.faultId) ?? { solved: 0, didntHelp: 0, wrong: 0, fixes: new Map<string, number>() };
    if (r.kind === 'solved') {
      e.solved += r.n;
      if (r.fixId) e.fixes.set(r.fixId, (e.fixes.get(r.fixId) ?? 0) + r.n);
    } else if (r.kind === 'didnt_help') e.didntHelp += r.n;
    else e.wrong += r.n;
    out.set(r.faultId, e);
  }
  return out;
}

/**
 * The digest of a period: what recurred, what is new, what is not in the catalogue yet.
 * Figures come from the store's rollups; the previous period is the one of equal length
 * just before.
 */
export async function computeDigest(stats: OccurrenceStats, options: DigestOptions): Promise<Digest> {
  const { from, to } = options;
  if (!(to > from)) throw new RangeError('digest period must end after it starts');
  const lang = options.lang ?? 'en';
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const workspace = options.workspace ?? null;
  const current: PeriodFilter = { from, to, workspace };
  const before: PeriodFilter = { from: from - (to - from), to: from, workspace };
  const catalogue = options.catalogue;
  const faultTitle = (id: string) => catalogue?.faultTitle(id, lang) ?? null;

  // Independent reads: on PostgreSQL they run side by side on the pool's connections.
  const [hours, previousCounts, people, feedbackNowRows, feedbackBeforeRows] = await Promise.all([
    stats.faultHours(current),
    stats.faultCounts(before),
    stats.people(current),
    stats.feedback(current),
    stats.feedback(before),
  ]);
  const slices = daySlices(from, to);
  const counts = new Map<string, number>();
  const daily = new Map<string, number[]>();
  for (const h of hours) {
    counts.set(h.faultKey, (counts.get(h.faultKey) ?? 0) + h.n);
    const row = daily.get(h.faultKey) ?? new Array<number>(slices.count).fill(0);
    // Rollups are hourly: an hour straddling a slice boundary counts in the slice it starts in.
    const i = Math.min(slices.count - 1, Math.max(0, Math.floor((h.hour - from) / slices.width)));
    row[i] = (row[i] ?? 0) + h.n;
    daily.set(h.faultKey, row);
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const previousTotal = [...previousCounts.values()].reduce((a, b) => a + b, 0);
  const unmatchedCount = counts.get('') ?? 0;
  const matched = total - unmatchedCount;

  const feedbackNow = feedbackByFault(feedbackNowRows);
  const feedbackBefore = feedbackByFault(feedbackBeforeRows);

  const ranked = [...counts.entries()]
    .filter(([key]) => key !== '')
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limits.faults);

  // Link candidates per fault, newest first (one per hour); fetched in one query below.
  const candidates = new Map<string, number[]>();
  for (const h of [...hours].sort((x, y) => (y.lastLinkId ?? 0) - (x.lastLinkId ?? 0))) {
    if (h.lastLinkId === null) continue;
    const list = candidates.get(h.faultKey) ?? [];
    if (list.length < limits.links * 4) list.push(h.lastLinkId);
    candidates.set(h.faultKey, list);
  }
  const permalinks = await stats.permalinks(ranked.flatMap(([id]) => candidates.get(id) ?? []));
  const linksOf = (ids: readonly number[]) =>
    ids.map((id) => permalinks.get(id)).filter((l): l is string => l !== undefined).slice(0, limits.links);
  const faults: DigestFault[] = ranked.map(([id, count]) => {
    const previous = previousCounts.get(id) ?? 0;
    const fb = feedbackNow.get(id);
    const best = fb ? [...fb.fixes.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] : undefined;
    const recurs = count >= 3 || previous > 0;
    const once = recurs ? (catalogue?.fixItOnce?.(id, lang) ?? null) : null;
    const row = daily.get(id) ?? [];
    return {
      id,
      title: faultTitle(id),
      count,
      previous,
      users: people.get(id)?.users ?? 0,
      channels: people.get(id)?.channels ?? 0,
      change: classifyChange(count, previous),
      daily: row,
      sparkline: sparkline(row),
      feedback: { solved: fb?.solved ?? 0, didntHelp: fb?.didntHelp ?? 0, wrong: fb?.wrong ?? 0 },
      fixThatWorked: best ? { id: best[0], title: catalogue?.fixTitle(id, best[0], lang) ?? null, solved: best[1] } : null,
      fixItOnce: once,
      links: linksOf(candidates.get(id) ?? []),
    };
  });

  const quiet = [...previousCounts.entries()]
    .filter(([key]) => key !== '' && !counts.has(key))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 5)
    .map(([id, previous]) => ({ id, title: faultTitle(id), previous }));

  // Unknown errors: all of them, and those the LLM answered, by fingerprint.
  const unmatchedRows = total > 0 ? await stats.unmatched(current) : [];
  const byFingerprint = (rows: typeof unmatchedRows) => {
    const out = new Map<string, { n: number; lastId: number; lastLinkId: number | null }>();
    for (const r of rows) {
      const e = out.get(r.fingerprint) ?? { n: 0, lastId: 0, lastLinkId: null };
      e.n += r.n;
      e.lastId = Math.max(e.lastId, r.lastId);
      if (r.lastLinkId !== null) e.lastLinkId = Math.max(e.lastLinkId ?? 0, r.lastLinkId);
      out.set(r.fingerprint, e);
    }
    return [...out.entries()].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]));
  };
  const topUnmatched = byFingerprint(unmatchedRows).slice(0, limits.unmatched);
  const topAi = byFingerprint(unmatchedRows.filter((r) => r.method === 'ai')).slice(0, limits.ai);
  const shown = [...topUnmatched, ...topAi];
  const [previousUnmatched, excerpts, unmatchedLinks] = await Promise.all([
    stats.unmatchedCounts(before, [...new Set(shown.map(([f]) => f))]),
    stats.excerpts(shown.map(([, e]) => e.lastId)),
    stats.permalinks(shown.flatMap(([, e]) => (e.lastLinkId === null ? [] : [e.lastLinkId]))),
  ]);
  const fingerprintRow = ([fingerprint, e]: (typeof shown)[number]): DigestFingerprint => {
    const link = e.lastLinkId === null ? undefined : unmatchedLinks.get(e.lastLinkId);
    return {
      fingerprint,
      count: e.n,
      previous: previousUnmatched.get(fingerprint) ?? 0,
      example: example(excerpts.get(e.lastId) ?? null),
      links: link ? [link] : [],
    };
  };

  const needsReview: DigestReview[] = [];
  for (const [id, fb] of feedbackNow) {
    const negative = fb.didntHelp + fb.wrong;
    const all = negative + fb.solved;
    const prev = feedbackBefore.get(id);
    const prevAll = prev ? prev.solved + prev.didntHelp + prev.wrong : 0;
    const previousShare = prev && prevAll > 0 ? (prev.didntHelp + prev.wrong) / prevAll : null;
    const share = negative / all;
    if (negative >= 2 && share > (previousShare ?? 0)) {
      needsReview.push({ id, title: faultTitle(id), negative, feedback: all, share, previousShare });
    }
  }
  needsReview.sort((a, b) => b.share - a.share || b.negative - a.negative || a.id.localeCompare(b.id));

  return {
    period: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    previousPeriod: { from: new Date(before.from).toISOString(), to: new Date(before.to).toISOString() },
    workspace,
    total,
    previousTotal,
    matched,
    coverage: total > 0 ? matched / total : null,
    users: people.get('*')?.users ?? 0,
    channels: people.get('*')?.channels ?? 0,
    days: Array.from({ length: slices.count }, (_, i) => new Date(from + i * slices.width).toISOString()),
    faults,
    quiet,
    unmatched: topUnmatched.map(fingerprintRow),
    ai: topAi.map(fingerprintRow),
    needsReview: needsReview.slice(0, 5),
  };
}
