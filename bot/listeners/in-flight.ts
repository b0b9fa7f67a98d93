/**
 * Tracks work that is still running after Slack got its ack (events are acked before their
 * listener runs), so a shutdown can let it finish before the database is closed.
 */
export interface InFlight {
  track<T>(work: Promise<T>): Promise<T>;
  readonly size: number;
  /** Resolves when nothing is running, or after `timeoutMs`; true when everything finished. */
  drain(timeoutMs: number): Promise<boolean>;
}

export function createInFlight(): InFlight {
  const running = new Set<Promise<unknown>>();
  return {
    track(work) {
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      running.add(settled);
      void settled.then(() => running.delete(settled));
      return work;
    },
    get size() {
      return running.size;
    },
    async drain(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (running.size > 0) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.all(running), new Promise((r) => (timer = setTimeout(r, left)))]);
        clearTimeout(timer);
      }
      return true;
    },
  };
}
