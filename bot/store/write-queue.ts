import { StoreUnavailableError, type StoreHealth } from './store-health.js';

export interface WriteQueueOptions<R> {
  /** Writes every row in one transaction (all or nothing) and returns their ids in order. */
  commit(rows: R[]): Promise<number[]>;
  health: StoreHealth;
  /** Back-pressure: beyond this many waiting rows, `push` fails at once. */
  maxQueued?: number;
  /** At most this many rows share one commit. */
  maxGroup?: number;
  /**
   * How long a row may wait for a failing store before it is given up (its promise rejects and
   * it is never written, so "not recorded" stays true). While the store is known to be failing,
   * a new row waits for one more attempt only.
   */
  waitMs?: number;
  now?: () => number;
}

export interface WriteQueue<R> {
  /** Resolves with the row's id once committed; rejects with StoreUnavailableError if given up. */
  push(row: R): Promise<number>;
  /** Resolves when every queued row was committed or given up. */
  drain(): Promise<void>;
  readonly size: number;
}

interface Entry<R> {
  row: R;
  deadline: number;
  resolve(id: number): void;
  reject(err: unknown): void;
}

/**
 * Group commit with back-pressure. Rows pushed in the same turn of the event loop are written
 * together right after it (one commit for a burst of Slack events, not one each). A failing
 * store keeps rows queued and retries with back-off, off the event loop; nobody waits on the
 * disk longer than `waitMs`.
 */
export function createWriteQueue<R>(options: WriteQueueOptions<R>): WriteQueue<R> {
  const maxQueued = options.maxQueued ?? 5000;
  const maxGroup = options.maxGroup ?? 500;
  const waitMs = options.waitMs ?? 2000;
  const now = options.now ?? Date.now;
  let queue: Entry<R>[] = [];
  let running = false;
  let scheduled: NodeJS.Immediate | NodeJS.Timeout | null = null;
  let attempt = 0;
  let drained: (() => void)[] = [];

  const settleDrain = () => {
    if (queue.length === 0 && !running) for (const d of drained.splice(0)) d();
  };

  const giveUp = (reason: string, err: unknown) => {
    const t = now();
    const keep: Entry<R>[] = [];
    for (const e of queue) {
      if (e.deadline <= t) e.reject(new StoreUnavailableError(reason, { cause: err }));
      else keep.push(e);
    }
    queue = keep;
  };

  const run = async () => {
    scheduled = null;
    if (running) return;
    running = true;
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, maxGroup);
        let ids: number[];
        try {
          ids = await options.commit(batch.map((e) => e.row));
        } catch (err) {
          if (!options.health.failed(err)) {
            // Not the store being unavailable (a bug or a constraint): those rows fail, the rest go on.
            queue.splice(0, batch.length);
            for (const e of batch) e.reject(err);
            continue;
          }
          giveUp(options.health.report().reason ?? 'unavailable', err);
          attempt++;
          if (queue.length > 0) {
            scheduled = setTimeout(run, Math.min(1000, 25 * 2 ** Math.min(attempt, 6)));
          }
          return;
        }
        attempt = 0;
        options.health.succeeded();
        queue.splice(0, batch.length);
        batch.forEach((e, i) => e.resolve(ids[i] as number));
      }
    } finally {
      running = false;
      settleDrain();
    }
  };

  return {
    push(row) {
      if (queue.length >= maxQueued) {
        return Promise.reject(new StoreUnavailableError(`write queue full (${maxQueued} waiting)`));
      }
      return new Promise<number>((resolve, reject) => {
        queue.push({ row, deadline: now() + (options.health.ok ? waitMs : 0), resolve, reject });
        if (!running && scheduled === null) scheduled = queue.length >= maxGroup ? setTimeout(run, 0) : setImmediate(run);
      });
    },
    drain() {
      if (queue.length === 0 && !running) return Promise.resolve();
      return new Promise<void>((resolve) => {
        drained.push(resolve);
        if (!running && scheduled === null) scheduled = setImmediate(run);
      });
    },
    get size() {
      return queue.length;
    },
  };
}
