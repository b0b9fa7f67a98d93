import type { AiStore } from './ai-cache.js';
import type { DigestLog } from './digest-log.js';
import type { FeedbackStore } from './feedback.js';
import type { OccurrenceStats } from './occurrence-stats.js';
import type { OccurrenceStore } from './occurrences.js';
import type { SlackState } from './slack-state.js';
import type { StoreHealthReport } from './store-health.js';

export type StoreBackend = 'sqlite' | 'postgres';

/** What both backends take when opened. */
export interface CommonStoreOptions {
  /** HMAC key for user ids (FAULTLINE_USER_KEY). */
  userKey?: string | null;
  /** Keep raw Slack user ids instead of hashes (FAULTLINE_STORE_USER_IDS). */
  storeRawUserIds?: boolean;
  /** Clock, for tests. */
  now?: () => number;
  /** Write-queue limits (tests). */
  queue?: { maxQueued?: number; waitMs?: number };
  /** How often the health probe writes while healthy (ms). */
  probeIntervalMs?: number;
  log?: (event: string, fields: Record<string, unknown>) => void;
}

export interface PurgeResult {
  excerpts: number;
  events: number;
  messages: number;
  aiAnswers: number;
  aiBuckets: number;
  /** SQLite: the WAL was checkpointed and truncated (false while another process holds a read). PostgreSQL: always true. */
  checkpointed: boolean;
}

/**
 * The one store interface. SQLite (one file, one process; the default) and PostgreSQL
 * (DATABASE_URL; any number of processes) both implement it and pass the same contract suite
 * (tests/store/contract.test.ts). Listeners and jobs never know which one they have.
 */
export interface Store {
  readonly backend: StoreBackend;
  /** The SQLite file, or the PostgreSQL URL without its password: for logs and messages. */
  readonly location: string;
  occurrences: OccurrenceStore;
  feedback: FeedbackStore;
  stats: OccurrenceStats;
  digests: DigestLog;
  slack: SlackState;
  ai: AiStore;
  /** Whether the store takes writes right now, and why not (for /healthz). */
  health(): StoreHealthReport;
  /**
   * Retention: clears excerpts older than `retentionDays` (counts stay), forgets Slack event
   * ids and message fingerprints older than two days, expired LLM answers and old budgets.
   */
  purge(retentionDays: number, at?: number): Promise<PurgeResult>;
  /** A consistent copy of the live database (SQLite online backup; PostgreSQL: use pg_dump). */
  backup(file: string): Promise<{ pages: number }>;
  /** Commits queued occurrences, then closes the store (on SIGTERM). */
  close(): Promise<void>;
}

/** Raised for an operation one backend cannot do (a file backup of PostgreSQL). */
export class UnsupportedByBackendError extends Error {
  override name = 'UnsupportedByBackendError';
}

/** The URL without its password, for logs. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
