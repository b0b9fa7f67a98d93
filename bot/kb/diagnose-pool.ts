import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DiagnoseOptions, Engine } from '../triage/diagnose.js';
import { windowPaste } from '../triage/normalise.js';
import type { Diagnosis } from '../triage/types.js';

/**
 * Pastes above this many characters are diagnosed in a worker thread. Measured on the shipped
 * catalogue (`npm run bench -- offloop`): a 64 KB log costs the engine about 3–8 ms warm, a
 * 256 KB window 14 ms warm and over 100 ms cold; the worker round trip costs ~1 ms plus the copy.
 */
export const INLINE_MAX_CHARS = 64 * 1024;
/** Loading the catalogue in a new worker: from the snapshot a few ms, from YAML (sources) seconds. */
const STARTUP_MS = 60_000;
/** What the fallback reads when the worker failed: the end of the paste, where a crash ends up. */
const FALLBACK_TAIL_CHARS = 16 * 1024;

export interface Diagnoser {
  /**
   * The one way listeners diagnose a paste: bounded to its head and tail windows, inline when
   * small, in a worker thread when large. Never rejects: when the worker fails or times out the
   * answer comes from the paste's last lines, with a note saying so.
   */
  diagnose(text: string, options?: DiagnoseOptions): Promise<Diagnosis>;
  /** Jobs running in workers now (tests, health). */
  readonly busy: number;
  /** Pastes handed to a worker so far, answered or not. */
  readonly offloaded: number;
  close(): Promise<void>;
}

export interface DiagnoserOptions {
  engine: Engine;
  /** The catalogue the workers load; the same one the engine came from. */
  knowledgeDir?: string;
  inlineMaxChars?: number;
  /** Workers at most, created on first use; default 1 (the machine's other core serves Slack). */
  workers?: number;
  timeoutMs?: number;
  /** The worker module; tests pass one that fails on purpose. */
  workerUrl?: URL;
  log?: (event: string, fields: Record<string, unknown>) => void;
}

interface Job {
  id: number;
  text: string;
  options: DiagnoseOptions;
  resolve: (d: Diagnosis | null, reason?: string) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | null;
  /** The engine is loaded: a job's time limit no longer includes the start-up. */
  ready: boolean;
}

function defaultWorkerUrl(): URL {
  // Running the sources (tsx, vitest) the worker is the .ts file, loaded through tsx as well.
  return new URL(import.meta.url.endsWith('.ts') ? './diagnose-worker.ts' : './diagnose-worker.js', import.meta.url);
}

/**
 * Running the sources, a worker must load TypeScript. Node 20 does not pass `--import tsx` on to
 * worker threads (ERR_UNKNOWN_FILE_EXTENSION), so the worker starts from a line of JavaScript
 * that loads the module through tsx's API. The built bot (dist/) never takes this path.
 */
function tsBootstrap(url: URL): string {
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  return `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(url.href)}))`;
}

export function createDiagnoser(options: DiagnoserOptions): Diagnoser {
  const { engine } = options;
  const inlineMax = options.inlineMaxChars ?? INLINE_MAX_CHARS;
  const size = Math.max(1, options.workers ?? 1);
  const timeoutMs = options.timeoutMs ?? 20_000;
  const workerUrl = options.workerUrl ?? defaultWorkerUrl();
  const log = options.log ?? (() => {});
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let seq = 0;
  let offloaded = 0;
  let closed = false;

  const spawn = (): Slot => {
    const source = workerUrl.pathname.endsWith('.ts');
    const worker = new Worker(source ? tsBootstrap(workerUrl) : workerUrl, {
      eval: source,
      workerData: { knowledgeDir: options.knowledgeDir },
      // A runaway paste may exhaust the worker's heap; that ends the worker, never the bot.
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    worker.unref();
    const slot: Slot = { worker, job: null, timer: null, ready: false };
    worker.on('message', (msg: { id: number; diagnosis?: Diagnosis; error?: string; ready?: boolean }) => {
      if (msg.ready) {
        slot.ready = true;
        // A job sent during the start-up gets its own time limit from now on.
        if (slot.timer) {
          clearTimeout(slot.timer);
          slot.timer = setTimeout(() => fail(slot, 'timeout'), timeoutMs);
        }
        return;
      }
      const job = slot.job;
      if (!job || job.id !== msg.id) return;
      finish(slot, msg.diagnosis ?? null, msg.error ? `engine ${msg.error}` : undefined);
    });
    worker.on('error', (err) => fail(slot, `worker ${err.name}`));
    worker.on('exit', (code) => fail(slot, `worker exited ${code}`));
    return slot;
  };

  const replace = (slot: Slot): void => {
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    void slot.worker.terminate();
  };

  const finish = (slot: Slot, d: Diagnosis | null, reason?: string): void => {
    const job = slot.job;
    if (slot.timer) clearTimeout(slot.timer);
    slot.job = null;
    slot.timer = null;
    job?.resolve(d, reason);
    pump();
  };

  const fail = (slot: Slot, reason: string): void => {
    if (!slots.includes(slot)) return;
    log('faultline.diagnose_worker_failed', { reason, job: slot.job?.id ?? null });
    replace(slot);
    finish(slot, null, reason);
  };

  const pump = (): void => {
    while (queue.length && !closed) {
      let slot = slots.find((s) => s.job === null);
      if (!slot && slots.length < size) {
        slot = spawn();
        slots.push(slot);
      }
      if (!slot) return;
      const job = queue.shift() as Job;
      const s = slot;
      s.job = job;
      s.timer = setTimeout(() => fail(s, 'timeout'), timeoutMs + (s.ready ? 0 : STARTUP_MS));
      s.worker.postMessage({ id: job.id, text: job.text, options: job.options });
    }
  };

  const fallback = (text: string, opts: DiagnoseOptions, bytes: number, reason: string): Diagnosis => {
    const tail = windowPaste(text.length > FALLBACK_TAIL_CHARS ? text.slice(text.length - FALLBACK_TAIL_CHARS) : text).text;
    const d = engine.diagnose(tail, opts);
    const note = opts.lang === 'ja'
      ? `貼り付け全体 (${Math.round(bytes / 1024)} KB) の診断が${reason === 'timeout' ? '時間内に終わらなかった' : '失敗した'}ため、最後の ${FALLBACK_TAIL_CHARS / 1024} KB だけを診断しました。`
      : `The full paste (${Math.round(bytes / 1024)} KB) could not be diagnosed (${reason === 'timeout' ? 'it took too long' : 'the diagnosis worker failed'}); only its last ${FALLBACK_TAIL_CHARS / 1024} KB was. Try again, or run \`faultline diagnose\` on the file.`;
    return { ...d, input: { ...d.input, bytes, truncated: true, notes: [...d.input.notes, note] } };
  };

  return {
    get busy() {
      return slots.filter((s) => s.job !== null).length;
    },
    get offloaded() {
      return offloaded;
    },
    diagnose(raw, opts = {}) {
      const windowed = windowPaste(raw);
      const originalBytes = opts.originalBytes ?? windowed.originalBytes;
      const jobOptions: DiagnoseOptions = { ...opts, ...(originalBytes !== undefined ? { originalBytes } : {}) };
      const text = windowed.text;
      if (text.length <= inlineMax || closed) return Promise.resolve(engine.diagnose(text, jobOptions));
      offloaded++;
      return new Promise<Diagnosis>((resolve) => {
        queue.push({
          id: ++seq,
          text,
          options: jobOptions,
          resolve: (d, reason) => resolve(d ?? fallback(text, jobOptions, originalBytes ?? text.length, reason ?? 'error')),
        });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.resolve(null, 'shutting down');
      for (const s of slots) if (s.job) finish(s, null, 'shutting down');
      await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
    },
  };
}
