import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RunNames } from './normalise.js';
import type { RawRun } from './result-cache.js';
import { LAB_PASSWORD, LAB_USER, type Services } from './services.js';
import { inWorld } from './worlds.js';
import type { WorldPlace } from './services.js';

export interface ProgramRun {
  place: WorldPlace;
  /** The program, relative to knowledge/lab (programs/<library>/<slug>.py). */
  program: string;
  args: string[];
  /** The world's services when the fault lists any; each run gets its own database. */
  services: Services | null;
  /** Whether the fault lists pgbouncer (LAB_PGBOUNCER_URL is set only then). */
  withBouncer: boolean;
  timeoutSeconds: number;
}

const OUTPUT_CAP = 512 * 1024;

/** Process groups of the runs in flight, so an interrupted lab can end them. */
const running = new Set<number>();

export function killAllRuns(): void {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  running.clear();
}

/**
 * Runs `python3 <program> <args>` in its world with a fresh database and an empty working
 * directory, stdout and stderr merged in the order written, killed (with its children) at the
 * timeout. Returns the output as written, with the names that vary between runs (the result
 * cache stores it so; `outcomeOf` normalises it).
 */
export async function runProgram(run: ProgramRun): Promise<RawRun> {
  const { place, services } = run;
  const work = mkdtempSync(join(place.host(place.tmpDir), 'run-'));
  chmodSync(work, 0o777);
  const workInner = join(place.tmpDir, work.slice(work.lastIndexOf('/') + 1));
  const database = services ? `lab_${randomBytes(6).toString('hex')}` : undefined;
  const env: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: workInner,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    TZ: 'UTC',
    PYTHONPATH: place.labDir,
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONHASHSEED: '0',
    LAB_WORLD: place.world.name,
  };
  const started = Date.now();
  try {
    if (services && database) {
      await services.createDatabase(database);
      env.LAB_PG_URL = `postgresql://${LAB_USER}:${LAB_PASSWORD}@127.0.0.1:${services.pgPort}/${database}`;
      if (services.bouncerPort && run.withBouncer) env.LAB_PGBOUNCER_URL = `postgresql://${LAB_USER}:${LAB_PASSWORD}@127.0.0.1:${services.bouncerPort}/${database}`;
    }
    const python = ['/usr/bin/env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), '/usr/bin/python3', join(place.labDir, run.program), ...run.args];
    // One pipe for both streams keeps the order a user would see in a terminal.
    const argv = inWorld(place.world, ['/bin/sh', '-c', 'cd "$1" || exit 125; shift; exec "$@" 2>&1', 'sh', workInner, ...python]);
    const { code, timedOut, output } = await new Promise<{ code: number | null; timedOut: boolean; output: string }>((resolve) => {
      const [cmd, ...args] = argv as [string, ...string[]];
      const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
      if (child.pid) running.add(child.pid);
      let out = '';
      const take = (d: Buffer): void => {
        if (out.length < OUTPUT_CAP) out += d.toString('utf8');
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      let killed = false;
      const timer = setTimeout(() => {
        killed = true;
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, run.timeoutSeconds * 1000);
      child.on('error', (err) => {
        clearTimeout(timer);
        resolve({ code: 127, timedOut: false, output: `${out}${err.message}` });
      });
      child.on('close', (c) => {
        clearTimeout(timer);
        if (child.pid) running.delete(child.pid);
        resolve({ code: killed ? null : c, timedOut: killed, output: out });
      });
    });
    const names: RunNames = { labDir: place.labDir, workDir: workInner, database, pgPort: services?.pgPort, bouncerPort: services?.bouncerPort ?? undefined };
    return { code, timedOut, raw: output, names, seconds: (Date.now() - started) / 1000 };
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (services && database) await services.dropDatabase(database).catch(() => undefined);
  }
}
