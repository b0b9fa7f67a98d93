import { performance } from 'node:perf_hooks';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

export interface Timing {
  n: number;
  median: number;
  p99: number;
  max: number;
}

/** `FAULTLINE_BENCH_QUICK=1` shortens every bench (for a smoke run, not for figures). */
export function quick(): boolean {
  return process.env.FAULTLINE_BENCH_QUICK === '1';
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, idx)] as number;
}

export function summarise(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, median: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
}

/**
 * Times `fn` n times after a warm-up (default: up to 200 calls, or `warmup`); milliseconds. Time
 * each call of a fresh process instead with `measure(fn, n, { warmup: 0 })`.
 */
export function measure(fn: () => unknown, n: number, options: { warmup?: number } = {}): Timing {
  // Warm-up: the figures are the steady state a long-running bot sees (start-up is its own bench).
  for (let i = 0; i < (options.warmup ?? Math.min(200, n)); i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return summarise(samples);
}
