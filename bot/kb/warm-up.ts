import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../triage/diagnose.js';
import type { Fault } from './compile.js';

/*
 * V8 compiles a function to fast code only after it has run a while: measured with
 * `npm run bench` (the first 1,000 diagnoses of a process), a new process answers a 60-line
 * trace with p99 4.4-5.2 ms, and from about the 2,000th call on with p99 1.3-1.7 ms. A bot sees
 * a few hundred pastes a day, so without help most of its answers would come from the slow
 * start. So the bot diagnoses real pastes (one example of each fault) a few thousand times right
 * after it starts, in slices of a few milliseconds between Slack's requests, before the first
 * paste most likely arrives. Nothing is recorded, redacted or sent: this is the pure engine.
 */

/** One example of each fault, at most this long: enough to take every reading path warm. */
const MAX_PASTE_CHARS = 4096;
/** Calls after which a measured process is in its steady state (see above). */
export const WARM_UP_CALLS = 2000;
/** A slice of work between two turns of the event loop, so requests are not held up. */
const SLICE_MS = 4;

/** Next to the compiled code, written by the build (`dist/warm-up-pastes.json`). */
export function defaultWarmUpPath(): string {
  return fileURLToPath(new URL('../../warm-up-pastes.json', import.meta.url));
}

/** One example paste per fault (the first), capped in length. */
export function warmUpPastes(faults: readonly Fault[]): string[] {
  return faults.flatMap((f) => {
    const input = f.examples[0]?.input;
    return input ? [input.slice(0, MAX_PASTE_CHARS)] : [];
  });
}

/** The build step: the pastes, for processes that load the catalogue from the snapshot (which has no examples). */
export function writeWarmUpPastes(faults: readonly Fault[], path: string = defaultWarmUpPath()): number {
  const pastes = warmUpPastes(faults);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(pastes));
  renameSync(tmp, path);
  return pastes.length;
}

/**
 * The pastes to warm up with: the faults' own examples when they were loaded from the files,
 * else the build's file; none when neither is there (then the bot starts cold, and says so).
 */
export function readWarmUpPastes(faults: readonly Fault[], path: string = defaultWarmUpPath()): string[] {
  const own = warmUpPastes(faults);
  if (own.length) return own;
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string' && p.length > 0) : [];
  } catch {
    return [];
  }
}

export interface WarmUpResult {
  calls: number;
  /** Wall time from the first slice to the last. */
  ms: number;
  /** Time spent diagnosing. */
  busyMs: number;
  stopped: boolean;
}

/**
 * Diagnoses `pastes` round-robin `calls` times in slices of about SLICE_MS, yielding to the event
 * loop (setImmediate) after each slice. Resolves when done, or early when `signal` aborts.
 */
export function warmUp(engine: Engine, pastes: readonly string[], options: { calls?: number; signal?: AbortSignal; sliceMs?: number } = {}): Promise<WarmUpResult> {
  const total = pastes.length ? (options.calls ?? WARM_UP_CALLS) : 0;
  const sliceMs = options.sliceMs ?? SLICE_MS;
  const started = performance.now();
  let calls = 0;
  let busyMs = 0;
  return new Promise((resolve) => {
    const slice = (): void => {
      if (options.signal?.aborted || calls >= total) {
        resolve({ calls, ms: performance.now() - started, busyMs, stopped: Boolean(options.signal?.aborted) });
        return;
      }
      const t = performance.now();
      do {
        engine.diagnose(pastes[calls % pastes.length] as string);
        calls++;
      } while (calls < total && performance.now() - t < sliceMs);
      busyMs += performance.now() - t;
      setImmediate(slice);
    };
    setImmediate(slice);
  });
}
