import { Cron } from 'croner';
import type { PurgeResult, Store } from '../store/store.js';

export interface RetentionJobOptions {
  store: Store;
  retentionDays: number;
  /** Default daily at 04:00 in `timeZone`. */
  cron?: string;
  timeZone?: string;
  log?: (event: string, fields: Record<string, unknown>) => void;
}

/** Purges old excerpts and delivery state daily (and once at start). */
export function startRetentionJob(options: RetentionJobOptions): { stop(): void; runNow(): Promise<PurgeResult> } {
  const log = options.log ?? (() => {});
  const runNow = async () => {
    const result = await options.store.purge(options.retentionDays);
    log('retention.purged', { ...result });
    return result;
  };
  const job = new Cron(options.cron ?? '0 4 * * *', { timezone: options.timeZone, protect: true, catch: (err) => log('retention.error', { error: String(err) }) }, async () => {
    await runNow();
  });
  void runNow().catch((err: unknown) => log('retention.error', { error: String(err) }));
  return { stop: () => job.stop(), runNow };
}
