import { hostname } from 'node:os';
import type { KnownBlock } from '@slack/types';
import { Cron } from 'croner';
import { redact } from '../redact/redact.js';
import type { Store } from '../store/store.js';
import type { Lang } from '../triage/types.js';
import { computeDigest, isEmptyDigest, type DigestCatalogue } from './digest.js';
import { renderDigestBlocks } from './digest-render.js';

/** Posts a message; the Slack side passes `chat.postMessage`. Resolves to the message ts if known. */
export type PostDigest = (channel: string, blocks: KnownBlock[], text: string) => Promise<{ ts?: string | null } | void>;

export interface DigestSchedulerOptions {
  store: Store;
  post: PostDigest;
  channel: string;
  /** Cron expression (FAULTLINE_DIGEST_CRON), default Monday 09:00. */
  cron?: string;
  /** IANA zone the cron runs in (FAULTLINE_TZ). */
  timeZone?: string;
  workspace?: string | null;
  lang?: Lang;
  catalogue?: DigestCatalogue;
  /**
   * A run missed while the bot was down is still posted at start-up if it is at most this old
   * (default 12 h); older ones are skipped rather than posted days late.
   */
  catchUpMs?: number;
  /** Written into the claim, for the operator: which process posted. */
  owner?: string;
  log?: (event: string, fields: Record<string, unknown>) => void;
  now?: () => number;
}

export type DigestRunResult =
  | { status: 'posted'; key: string; ts: string | null }
  | { status: 'empty'; key: string }
  | { status: 'claimed-elsewhere'; key: string }
  | { status: 'failed'; key: string; error: string }
  | { status: 'not-due' };

export interface DigestScheduler {
  /** Starts the cron and, once, posts a digest missed while the process was down. */
  start(): Promise<DigestRunResult>;
  stop(): void;
  /**
   * Posts the digest of the period that ended at the latest scheduled time (at or before `at`),
   * unless another run or process has claimed it. Safe to call any number of times.
   */
  runDue(at?: number): Promise<DigestRunResult>;
  nextRun(): Date | null;
}

export const DEFAULT_DIGEST_CRON = '0 9 * * 1';
// croner may fire a few ms before the second it targets; the latest run is looked up with
// this much slack so such a tick still finds its own period and not the week before.
const EARLY_FIRE_MS = 5_000;

/** The period a scheduled run at or before `at` covers: from the previous run to that run. */
export function scheduledPeriod(cron: string, timeZone: string | undefined, at: number): { from: number; to: number } | null {
  const pattern = new Cron(cron, { timezone: timeZone, paused: true });
  try {
    const to = pattern.previousRuns(1, new Date(at + EARLY_FIRE_MS))[0];
    if (!to) return null;
    const from = pattern.previousRuns(1, to)[0];
    return from ? { from: from.getTime(), to: to.getTime() } : null;
  } finally {
    pattern.stop();
  }
}

export function digestPeriodKey(channel: string, workspace: string | null | undefined, to: number): string {
  return `digest:${workspace ?? '*'}:${channel}:${new Date(to).toISOString()}`;
}

export function createDigestScheduler(options: DigestSchedulerOptions): DigestScheduler {
  const cron = options.cron ?? DEFAULT_DIGEST_CRON;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const owner = options.owner ?? `${hostname()}:${process.pid}`;
  const catchUpMs = options.catchUpMs ?? 12 * 3_600_000;
  // Validates the expression and the zone now, not at the first tick a week later.
  new Cron(cron, { timezone: options.timeZone, paused: true }).stop();
  let job: Cron | null = null;

  async function runDue(at = now()): Promise<DigestRunResult> {
    const period = scheduledPeriod(cron, options.timeZone, at);
    if (!period || at - period.to > catchUpMs) return { status: 'not-due' };
    const key = digestPeriodKey(options.channel, options.workspace, period.to);
    const { store } = options;
    if (!(await store.digests.claim({ key, from: period.from, to: period.to, channel: options.channel, owner, at }))) {
      log('digest.claimed-elsewhere', { key });
      return { status: 'claimed-elsewhere', key };
    }
    try {
      const digest = await computeDigest(store.stats, { ...period, workspace: options.workspace, lang: options.lang, catalogue: options.catalogue });
      if (isEmptyDigest(digest)) {
        await store.digests.markEmpty(key);
        log('digest.empty', { key });
        return { status: 'empty', key };
      }
      const message = renderDigestBlocks(digest, { lang: options.lang, timeZone: options.timeZone });
      const posted = await options.post(options.channel, message.blocks, message.text);
      const ts = (posted && posted.ts) || null;
      await store.digests.markPosted(key, ts);
      log('digest.posted', { key, ts, total: digest.total });
      return { status: 'posted', key, ts };
    } catch (err) {
      // The claim stays: a post that failed half-way may have reached Slack, and posting twice
      // is worse than once late by hand (`/faultline digest`).
      // Stored and logged, so redacted like everything else (an HTTP error can echo a header).
      const error = redact(err instanceof Error ? `${err.name}: ${err.message}` : String(err)).text;
      await store.digests.markFailed(key, error).catch(() => undefined);
      log('digest.failed', { key, error });
      return { status: 'failed', key, error };
    }
  }

  return {
    async start() {
      if (!job) {
        job = new Cron(cron, { timezone: options.timeZone, protect: true, catch: (err) => log('digest.error', { error: String(err) }) }, async () => {
          await runDue();
        });
      }
      return runDue();
    },
    stop() {
      job?.stop();
      job = null;
    },
    runDue,
    nextRun() {
      if (job) return job.nextRun();
      const pattern = new Cron(cron, { timezone: options.timeZone, paused: true });
      const next = pattern.nextRun();
      pattern.stop();
      return next;
    },
  };
}
