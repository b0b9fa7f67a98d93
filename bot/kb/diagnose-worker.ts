import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { DiagnoseOptions } from '../triage/diagnose.js';
import { loadEngineQuick } from './snapshot.js';

/*
 * A diagnosis worker (kb/diagnose-pool.ts): loads the catalogue once, then diagnoses one paste
 * per message. The listener is attached at once; jobs that arrive while the engine loads wait
 * for it.
 */
interface Job {
  id: number;
  text: string;
  options: DiagnoseOptions;
}

/** Nice value of this thread: it yields a contended core to the main thread. */
export const WORKER_NICE = 10;

/**
 * A large paste costs this thread tens of ms of CPU. On a machine whose cores are busy the main
 * thread, which acknowledges Slack within its 3 s and keeps the event loop turning, should win a
 * core over it. Linux schedules threads by their own nice value (a thread id is a pid to
 * setpriority); elsewhere, or when not permitted, the thread keeps the default.
 */
function lowerPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0 && tid !== process.pid) setPriority(tid, WORKER_NICE);
  } catch {
    // Not Linux, or not permitted.
  }
}

const port = parentPort;
if (!port) throw new Error('diagnose-worker.ts runs as a worker thread only');
lowerPriority();
const loading = loadEngineQuick((workerData as { knowledgeDir?: string } | null)?.knowledgeDir);
void loading.then(() => port.postMessage({ ready: true }));
port.on('message', (job: Job) => {
  void loading.then(({ engine }) => {
    try {
      port.postMessage({ id: job.id, diagnosis: engine.diagnose(job.text, job.options) });
    } catch (err) {
      port.postMessage({ id: job.id, error: err instanceof Error ? err.name : 'error' });
    }
  });
});
