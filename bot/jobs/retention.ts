import { Cron } from 'croner';
import type { PurgeResult, Store } from '../store/open-store.js';

export interface RetentionJobOptions {
  store: Store;
  retentionDays: number;
  /** Default daily at 04:00 in `timeZone`. */
  cron?: string;
  timeZone?: string;
  log?: (event: string, fields: Record<string, unknown>) => void;
}

/** Purges old excerpts and delivery state daily (and once at start). */
export function startRetentionJob(options: RetentionJobOptions): { stop(): void; runNow(): PurgeResult } {
  const log = options.log ?? (() => {});
  const runNow = () => {
    const result = options.store.purge(options.retentionDays);
    log('retention.purged', { ...result });
    return result;
  };
  const job = new Cron(options.cron ?? '0 4 * * *', { timezone: options.timeZone, protect: true, catch: (err) => log('retention.error', { error: String(err) }) }, () => {
    runNow();
  });
  runNow();
  return { stop: () => job.stop(), runNow };
}
