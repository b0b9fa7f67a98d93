import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { NewOccurrence } from '../../bot/store/occurrences.js';

/** A fresh directory per test, removed afterwards. */
export function useTempDir(): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-store-'));
    dirs.push(dir);
    return dir;
  };
}

/** Runs a TypeScript file in a separate Node process (a real second process, not a worker). */
export function spawnTs(script: string, args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: 'pipe' });
}

/** Resolves with the complete lines a child printed and its exit code/signal. */
export function collect(child: ChildProcessWithoutNullStreams): Promise<{ lines: string[]; stderr: string; code: number | null; signal: NodeJS.Signals | null }> {
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      // A line cut by a kill has no newline: it was not acknowledged.
      const complete = out.slice(0, out.lastIndexOf('\n') + 1);
      resolve({ lines: complete.split('\n').filter(Boolean), stderr: err, code, signal });
    });
  });
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** An occurrence as the Slack flow records it; override what a test cares about. */
export function slackOccurrence(over: Partial<NewOccurrence> = {}): NewOccurrence {
  return {
    source: 'message',
    workspace: 'T0001',
    channel: 'C0001',
    user: 'U0001',
    faultId: 'sqlalchemy.missing-greenlet',
    variant: 'lazy-load',
    confidence: 0.98,
    method: 'code',
    fingerprint: 'v1:0000000000000001',
    text: 'sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called',
    permalink: 'https://acme.slack.com/archives/C0001/p1700000000000100',
    lang: 'en',
    ...over,
  };
}
