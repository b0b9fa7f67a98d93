/** What varies between two runs of the same program, and what it becomes in a recorded trace. */
export interface RunNames {
  /** knowledge/lab as the program saw it (the repo path, or the bind mount in the chroot). */
  labDir: string;
  /** The run's working directory. */
  workDir: string;
  /** The run's fresh database. */
  database?: string;
  pgPort?: number;
  bouncerPort?: number;
}

/** Where a recorded trace says the program lived: a plausible app layout, the same in both worlds. */
export const TRACE_LAB_DIR = '/srv/lab';
export const TRACE_WORK_DIR = '/srv/app';
export const TRACE_DATABASE = 'app';

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Rewrites a run's output so that re-runs give identical text: the lab's paths, the random
 * database name, the ports, object addresses and timings. The lab's own LAB-* lines are kept
 * (measures are read from them) and dropped by `traceText`.
 */
export function normaliseOutput(output: string, names: RunNames): string {
  let text = output.replace(/\r\n/g, '\n');
  const paths: [string, string][] = [
    [names.labDir.replace(/\/+$/, ''), TRACE_LAB_DIR],
    [names.workDir.replace(/\/+$/, ''), TRACE_WORK_DIR],
  ];
  for (const [from, to] of paths.sort((a, b) => b[0].length - a[0].length)) {
    if (from) text = text.split(from).join(to);
  }
  if (names.database) text = text.replace(new RegExp(`\\b${escape(names.database)}\\b`, 'g'), TRACE_DATABASE);
  // Real traces name the default ports; the lab's are chosen per machine.
  if (names.pgPort) text = text.replace(new RegExp(`\\b${names.pgPort}\\b`, 'g'), '5432');
  if (names.bouncerPort) text = text.replace(new RegExp(`\\b${names.bouncerPort}\\b`, 'g'), '6432');
  return text
    .replace(/\b0x[0-9a-f]{8,16}\b/g, '0x7f3a2c1d0e50')
    // pytest's "1 failed in 0.42s", timings in warnings and logs
    .replace(/\bin \d+\.\d+s\b/g, 'in 0.12s')
    .replace(/\b(Process|PID|pid|process) \d{2,7}\b/g, '$1 4242');
}

/** A recorded trace: the normalised output without the lab's own protocol lines. */
export function traceText(normalised: string): string {
  const kept = normalised.split('\n').filter((l) => !/^LAB-(?:MEASURE|NOT-APPLICABLE) /.test(l));
  return `${kept.join('\n').replace(/\s+$/, '')}\n`;
}
