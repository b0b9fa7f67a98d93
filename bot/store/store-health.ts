/**
 * Whether the store can take writes right now, and why not. The bot keeps answering while it
 * cannot (the diagnosis needs no store); /healthz reports the reason, and a probe notices when
 * the store is back so recording resumes by itself.
 */
export interface StoreHealthReport {
  ok: boolean;
  /** For the operator: `disk full`, `database locked by another process`, ... */
  reason: string | null;
  /** Since when the store has been failing (ms). */
  since: number | null;
}

export interface StoreHealth {
  report(): StoreHealthReport;
  readonly ok: boolean;
  /**
   * Records a failed store call. True when the error means the store is unavailable (the
   * caller may degrade); false for anything else (a bug, a constraint: rethrow it).
   */
  failed(err: unknown): boolean;
  succeeded(): void;
  /** Runs `probe` every `intervalMs` (more often while failing) until stopped. */
  start(): void;
  stop(): void;
}

/**
 * Thrown by a store call that could not be done because the store is unavailable (disk full,
 * locked, read-only, unreachable) or its write queue is full. `reason` is for the operator.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(`store unavailable: ${reason}`, options);
  }
}

// better-sqlite3's SqliteError carries SQLite's extended result code name
// (https://www.sqlite.org/rescode.html): SQLITE_FULL, SQLITE_BUSY_SNAPSHOT, SQLITE_IOERR_WRITE, ...
const SQLITE_REASONS: [prefix: string, reason: string][] = [
  ['SQLITE_FULL', 'disk full'],
  ['SQLITE_BUSY', 'database locked by another process'],
  ['SQLITE_LOCKED', 'database locked by another process'],
  ['SQLITE_READONLY', 'database is read-only'],
  ['SQLITE_IOERR', 'I/O error writing the database'],
  ['SQLITE_CANTOPEN', 'cannot open the database file'],
  ['SQLITE_PROTOCOL', 'database locked by another process'],
];

// PostgreSQL SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const PG_REASONS: [prefix: string, reason: string][] = [
  ['53100', 'disk full'],
  ['53', 'database out of resources'],
  ['08', 'database unreachable'],
  ['57P', 'database shutting down'],
  ['25006', 'database is read-only'],
  ['55P03', 'database locked by another process'],
  ['57014', 'database locked by another process'],
  ['40001', 'database busy (serialization failure)'],
  ['40P01', 'database busy (deadlock)'],
];

/** The operator-facing reason when `err` means the store is unavailable; null otherwise. */
export function storeFailureReason(err: unknown): string | null {
  if (err instanceof StoreUnavailableError) return err.reason;
  const e = err as { name?: unknown; code?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : null;
  if (!code) return null;
  if (e?.name === 'SqliteError') {
    for (const [prefix, reason] of SQLITE_REASONS) if (code.startsWith(prefix)) return `${reason} (${code})`;
    return null;
  }
  if (/^[0-9A-Z]{5}$/.test(code)) {
    for (const [prefix, reason] of PG_REASONS) if (code.startsWith(prefix)) return `${reason} (SQLSTATE ${code})`;
  }
  return null;
}

export interface StoreHealthOptions {
  /** A small real write: it fails the way recording would (disk full, lock, read-only). */
  probe: () => Promise<void>;
  intervalMs?: number;
  failingIntervalMs?: number;
  now?: () => number;
  onChange?: (report: StoreHealthReport) => void;
}

export function createStoreHealth(options: StoreHealthOptions): StoreHealth {
  const now = options.now ?? Date.now;
  let state: StoreHealthReport = { ok: true, reason: null, since: null };
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let probing = false;

  const set = (next: StoreHealthReport) => {
    const changed = next.ok !== state.ok || next.reason !== state.reason;
    state = next;
    if (changed) {
      options.onChange?.(state);
      if (running) schedule();
    }
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    if (!running) return;
    timer = setTimeout(tick, state.ok ? (options.intervalMs ?? 2000) : (options.failingIntervalMs ?? 250));
    timer.unref();
  };
  const tick = async () => {
    timer = null;
    if (probing) return schedule();
    probing = true;
    try {
      await options.probe();
      health.succeeded();
    } catch (err) {
      health.failed(err);
    } finally {
      probing = false;
      schedule();
    }
  };

  const health: StoreHealth = {
    report: () => ({ ...state }),
    get ok() {
      return state.ok;
    },
    failed(err) {
      const reason = storeFailureReason(err);
      if (reason === null) return false;
      set({ ok: false, reason, since: state.ok ? now() : state.since });
      return true;
    },
    succeeded() {
      if (!state.ok) set({ ok: true, reason: null, since: null });
    },
    start() {
      running = true;
      schedule();
    },
    stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
  return health;
}
