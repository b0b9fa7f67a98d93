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

const port = parentPort;
if (!port) throw new Error('diagnose-worker.ts runs as a worker thread only');
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
