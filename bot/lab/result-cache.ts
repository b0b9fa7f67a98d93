import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { LabSpec } from '../kb/schema.js';
import { normaliseOutput, type RunNames } from './normalise.js';
import type { RunOutcome, WorldName } from './results.js';
import { inWorld, runCommand, type World } from './worlds.js';

/**
 * What a program sees of the runner (its environment, working folder, services' settings, how
 * its output is captured). Bump it when run-program.ts or services.ts change any of that: every
 * cached run is then executed again. The runner's source is hashed into the key as well (see
 * `runnerDigest`), so a forgotten bump costs only speed, never a stale result.
 */
export const RUN_PROTOCOL = 1;

/** A run as executed: its output before normalisation and the names normalisation replaces. */
export interface RawRun {
  code: number | null;
  timedOut: boolean;
  raw: string;
  names: RunNames;
  seconds: number;
}

/** Everything that can change what one run prints, exits with and measures. */
export interface RunKeyInputs {
  world: WorldName;
  /** Digest of the world's exact installed package versions (`worldPackagesDigest`). */
  worldPackages: string;
  /** Digest of the runner's own files and RUN_PROTOCOL (`runnerDigest`). */
  runner: string;
  /** Digest of labkit.py and the kits the program imports (`sharedLabDigest`). */
  shared: string;
  /** The program's text. */
  program: string;
  /** The fault's `lab` section without its recorded `results`. */
  lab: LabSpec | null;
  args: string[];
  withBouncer: boolean;
  timeoutSeconds: number;
}

function sha256(...parts: (string | Buffer)[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    h.update(typeof p === 'string' ? Buffer.from(p, 'utf8') : p);
    h.update('\0');
  }
  return h.digest('hex');
}

/** Files under `dir`, sorted, skipping Python's bytecode caches. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === '__pycache__' || name.endsWith('.pyc')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** Kit modules a Python source imports (`from kits import a, b as c`, `import kits.a`, `from kits.a import x`). */
export function importedKits(source: string): string[] {
  const kits = new Set<string>();
  for (const m of source.matchAll(/^\s*from\s+kits\s+import\s+\(?([^)\n]+)\)?/gm)) {
    for (const part of (m[1] ?? '').split(',')) {
      const name = part.trim().split(/\s+/)[0];
      if (name && /^\w+$/.test(name)) kits.add(name);
    }
  }
  for (const m of source.matchAll(/^\s*(?:from|import)\s+kits\.(\w+)/gm)) if (m[1]) kits.add(m[1]);
  return [...kits].sort();
}

/**
 * labkit.py and the kits a program imports, transitively (a kit may import another), names and
 * contents. A kit's change re-runs only the programs that use it. Anything else under kits/
 * (data files a kit reads) is hashed for every program: what a kit reads is not tracked.
 */
export function sharedLabDigest(labDir: string, program = ''): string {
  const kitsDir = join(labDir, 'kits');
  const seen = new Set<string>();
  const queue = importedKits(program);
  while (queue.length) {
    const k = queue.shift() as string;
    if (seen.has(k)) continue;
    seen.add(k);
    const f = join(kitsDir, `${k}.py`);
    if (existsSync(f)) queue.push(...importedKits(readFileSync(f, 'utf8')));
  }
  const data = filesUnder(kitsDir).filter((f) => !f.endsWith('.py'));
  const files = [join(labDir, 'labkit.py'), ...[...seen].sort().map((k) => join(kitsDir, `${k}.py`)), ...data];
  const parts: (string | Buffer)[] = [];
  for (const f of files) parts.push(relative(labDir, f), existsSync(f) ? readFileSync(f) : '<missing>');
  return sha256(...parts);
}

/** The runner's protocol version and the source of the files that decide what a program sees. */
export function runnerDigest(): string {
  const here = new URL('.', import.meta.url);
  const parts: (string | Buffer)[] = [`protocol ${RUN_PROTOCOL}`];
  for (const f of ['run-program.ts', 'services.ts']) {
    const path = new URL(f, here);
    parts.push(f, existsSync(path) ? readFileSync(path) : '<missing>');
  }
  return sha256(...parts);
}

/** Every package installed in the world with its exact version, as dpkg lists them. */
export async function worldPackagesDigest(world: World): Promise<string> {
  const r = await runCommand(inWorld(world, ['dpkg-query', '-W', '-f=${Package}:${Architecture}=${Version} ${db:Status-Status}\\n']), { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' } });
  if (r.code !== 0) throw new Error(`cannot list the ${world.name} world's packages: ${r.stderr.trim().split('\n').pop()}`);
  const installed = r.stdout
    .split('\n')
    .filter((l) => l.endsWith(' installed'))
    .sort();
  return sha256(world.name, ...installed);
}

/** The fault's lab section as it affects runs: everything but the results it records. */
function labWithoutResults(lab: LabSpec | null): unknown {
  if (!lab) return null;
  const { results: _results, ...rest } = lab as LabSpec & { results?: unknown };
  return rest;
}

/** Canonical JSON (sorted keys), so the key does not depend on YAML key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function runKey(k: RunKeyInputs): string {
  return sha256(
    canonical({
      world: k.world,
      worldPackages: k.worldPackages,
      runner: k.runner,
      shared: k.shared,
      program: sha256(k.program),
      lab: labWithoutResults(k.lab),
      args: k.args,
      withBouncer: k.withBouncer,
      timeoutSeconds: k.timeoutSeconds,
    }),
  );
}

/** A cached run, normalised now: normalisation changes apply to cached runs too. */
export function outcomeOf(run: RawRun): RunOutcome {
  return { code: run.code, timedOut: run.timedOut, output: normaliseOutput(run.raw, run.names), seconds: run.seconds };
}

export interface ResultCache {
  get(key: string): RawRun | null;
  /** Stores a run; killed or timed-out runs are not stored (they say more about the machine's load than the program). */
  put(key: string, run: RawRun): void;
}

function isRawRun(v: unknown): v is RawRun {
  const r = v as RawRun;
  return !!r && typeof r === 'object' && (typeof r.code === 'number' || r.code === null) && typeof r.timedOut === 'boolean' && typeof r.raw === 'string' && !!r.names && typeof r.names.labDir === 'string' && typeof r.names.workDir === 'string' && typeof r.seconds === 'number';
}

/**
 * Runs stored as one JSON file per key under `dir` (`<dir>/<2 hex>/<key>.json`), written to a
 * temporary name and renamed, so concurrent labs and interrupted writes never leave a torn entry.
 * An unreadable entry is a miss.
 */
export function createResultCache(dir: string): ResultCache {
  const path = (key: string): string => join(dir, key.slice(0, 2), `${key}.json`);
  return {
    get(key) {
      try {
        const v = JSON.parse(readFileSync(path(key), 'utf8')) as unknown;
        return isRawRun(v) ? v : null;
      } catch {
        return null;
      }
    },
    put(key, run) {
      if (run.timedOut || run.code === null) return;
      const file = path(key);
      mkdirSync(join(dir, key.slice(0, 2)), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(run));
      renameSync(tmp, file);
    },
  };
}
