import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shippedEngine } from '../helpers.js';

// gunicorn's worker logs "Exception in worker process" and the traceback of what failed; when that
// traceback runs through the app's loading (spawn_worker -> init_process -> load_wsgi), the worker
// exits with WORKER_BOOT_ERROR and the arbiter halts with "Reason: Worker failed to boot." A paste
// often stops before the arbiter's lines. The inputs are the lab's recorded traces (Debian's
// gunicorn 20.1 and 23.0), cut right after the worker's exception line.
const engine = shippedEngine();

function cutAfterWorkerError(world: string): string {
  const lines = readFileSync(join(import.meta.dirname, '..', '..', 'knowledge', 'lab', 'traces', 'gunicorn', 'worker-failed-to-boot', `app-import-error.${world}.txt`), 'utf8').split('\n');
  const at = lines.findIndex((l) => l.startsWith('ModuleNotFoundError: '));
  expect(at).toBeGreaterThan(0);
  expect(lines.slice(0, at + 1).join('\n')).not.toContain('Worker failed to boot');
  return lines.slice(0, at + 1).join('\n');
}

describe('gunicorn worker boot failure, the arbiter\'s lines cut', () => {
  it.each(['bookworm', 'trixie'])('is gunicorn.worker-failed-to-boot from the worker\'s own log (%s)', (world) => {
    expect(engine.diagnose(cutAfterWorkerError(world)).match?.id).toBe('gunicorn.worker-failed-to-boot');
  });

  it("is also read from the arbiter's exit line for WORKER_BOOT_ERROR (gunicorn 23)", () => {
    const d = engine.diagnose('[2026-01-01 00:00:00 +0000] [35] [ERROR] Worker (pid:37) exited with code 3');
    expect(d.match?.id).toBe('gunicorn.worker-failed-to-boot');
    expect(engine.diagnose('[2026-01-01 00:00:00 +0000] [35] [ERROR] Worker (pid:37) exited with code 1').match?.id).not.toBe('gunicorn.worker-failed-to-boot');
  });

  it('is not an exception out of a booted worker\'s request loop', () => {
    const lines = cutAfterWorkerError('trixie').split('\n');
    // The same log, with the worker's frames replaced by its run loop's (init_process -> run).
    const head = lines.slice(0, lines.findIndex((l) => l.includes('in init_process')) + 2);
    const text = [...head, '  File "/usr/lib/python3/dist-packages/gunicorn/workers/sync.py", line 125, in run', '    self.run_for_one(timeout)', 'OSError: [Errno 24] Too many open files'].join('\n');
    expect(engine.diagnose(text).match?.id).not.toBe('gunicorn.worker-failed-to-boot');
  });
});
