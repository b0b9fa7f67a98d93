#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { isEntryPoint } from '../entry-point.js';
import { defaultKnowledgeDir, loadKnowledge } from '../kb/load.js';
import { createEngine, type Engine } from '../triage/diagnose.js';
import { labFaults, programExists, recordedResults, tracePath, type LabFault } from './faults.js';
import { traceText } from './normalise.js';
import { mergeResults, writeLabResults } from './record.js';
import { compareResults, fixStatus, pointReleaseChanges, formatTable, parseMeasures, scenarioStatus, totals, WORLDS, type FaultReport, type FaultResults, type LabStatus, type RunOutcome, type WorldName, type WorldResult } from './results.js';
import { createResultCache, outcomeOf, runKey, runnerDigest, sharedLabDigest, worldPackagesDigest } from './result-cache.js';
import { killAllRuns, runProgram } from './run-program.js';
import { prepareWorld, startServices, type Services, type WorldPlace } from './services.js';
import { DEFAULT_CACHE, DEFAULT_MIRROR, ensureBookworm, ensureHostPackages, ensureTrixie, readPackageList, worldVersions, type Log, type World } from './worlds.js';

const USAGE = `npm run lab -- [--prepare] [--json] [--record] [--fresh] [--only FAULT-ID] [--world bookworm|trixie] [--jobs N] [--timeout SECONDS] [--dir KNOWLEDGE-DIR]

Reproduces every fault's scenarios and runs every listed fix in each world, prints a table, and exits 1
when a fresh result disagrees with what the fault files record. --record writes the results and traces.
--prepare only installs the bookworm packages and builds the trixie chroot, and prints their versions.
A run whose inputs (program, kits, labkit.py, the fault's lab section, the world's packages, the
runner) are unchanged reuses its cached output; the diagnosis is always made afresh. --fresh runs
everything again (and refreshes the cache).
Environment: FAULTLINE_LAB_CACHE (default ${DEFAULT_CACHE}) holds the trixie chroot and the result
cache; FAULTLINE_LAB_MIRROR.`;

export interface LabOptions {
  /** Only build/ensure the worlds and print their versions. */
  prepare: boolean;
  json: boolean;
  record: boolean;
  /** Execute every run even when the result cache has it (and store the new results). */
  fresh: boolean;
  only: string | null;
  worlds: WorldName[];
  jobs: number;
  timeout: number;
  dir: string;
}

export class LabUsageError extends Error {}

export function parseLabArgs(argv: string[]): LabOptions {
  const o: LabOptions = { prepare: false, json: false, record: false, fresh: false, only: null, worlds: [...WORLDS], jobs: Math.max(2, Math.min(16, cpus().length + 1)), timeout: 300, dir: defaultKnowledgeDir() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new LabUsageError(`${a} needs a value.\n\n${USAGE}`);
      return v;
    };
    if (a === '--json') o.json = true;
    else if (a === '--prepare') o.prepare = true;
    else if (a === '--record') o.record = true;
    else if (a === '--fresh') o.fresh = true;
    else if (a === '--only') o.only = value();
    else if (a === '--world') {
      const w = value();
      if (!(WORLDS as readonly string[]).includes(w)) throw new LabUsageError(`--world is bookworm or trixie, not '${w}'.`);
      o.worlds = [w as WorldName];
    } else if (a === '--jobs') {
      o.jobs = Number(value());
      if (!Number.isInteger(o.jobs) || o.jobs < 1 || o.jobs > 32) throw new LabUsageError('--jobs is a whole number from 1 to 32.');
    } else if (a === '--timeout') {
      o.timeout = Number(value());
      if (!Number.isFinite(o.timeout) || o.timeout < 1 || o.timeout > 3600) throw new LabUsageError('--timeout is seconds, from 1 to 3600.');
    } else if (a === '--dir') o.dir = resolve(value());
    else if (a === '--help' || a === '-h') throw new LabUsageError(USAGE);
    else throw new LabUsageError(`unknown option '${a}'.\n\n${USAGE}`);
  }
  return o;
}

interface Job {
  fault: LabFault;
  world: WorldName;
  scenario: string;
  cause: string | null;
  fix: string | null;
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export interface LabRun {
  worlds: Partial<Record<WorldName, { versions: Record<string, string>; root: string }>>;
  faults: FaultReport[];
  totals: ReturnType<typeof totals>;
  recorded: boolean;
  /** How many runs were executed and how many reused from the result cache. */
  runs: { executed: number; reused: number };
  seconds: number;
}

/** Builds the fault's results for one world from the runs' outcomes. */
function worldResult(fault: LabFault, versions: Record<string, string>, outcomes: Map<string, LabStatus>, world: WorldName): WorldResult {
  const scenarios: WorldResult['scenarios'] = {};
  for (const s of fault.lab?.scenarios ?? []) {
    const status = outcomes.get(`${world}|${s.id}|`) as LabStatus;
    const fixes: Record<string, LabStatus> = {};
    for (const fix of s.fixes) fixes[fix] = outcomes.get(`${world}|${s.id}|${fix}`) as LabStatus;
    scenarios[s.id] = { ...status, fixes };
  }
  return { versions, scenarios };
}

async function ensureWorlds(options: LabOptions, log: Log): Promise<World[]> {
  const worldsDir = join(options.dir, 'lab', 'worlds');
  const cache = process.env.FAULTLINE_LAB_CACHE || DEFAULT_CACHE;
  const mirror = process.env.FAULTLINE_LAB_MIRROR || DEFAULT_MIRROR;
  const out: World[] = [];
  if (options.worlds.includes('bookworm')) out.push(await ensureBookworm(join(worldsDir, 'bookworm.txt'), log));
  if (options.worlds.includes('trixie')) {
    if (!options.worlds.includes('bookworm')) await ensureHostPackages(readPackageList(join(worldsDir, 'bookworm.txt')).filter((p) => p === 'mmdebstrap'), log);
    out.push(await ensureTrixie(join(worldsDir, 'trixie.txt'), cache, mirror, log));
  }
  return out;
}

const cleanups: (() => Promise<void>)[] = [];

async function cleanUp(): Promise<void> {
  killAllRuns();
  while (cleanups.length) {
    const c = cleanups.pop() as () => Promise<void>;
    await c().catch(() => undefined);
  }
}

/** The whole lab: worlds, services, every run, results compared (or recorded). */
export async function runLab(options: LabOptions, log: Log): Promise<LabRun> {
  const started = Date.now();
  const knowledge = loadKnowledge(options.dir);
  for (const p of knowledge.problems) log(`skipping a broken fault file: ${p.file}: ${p.message}`);
  const engine: Engine = createEngine(knowledge.faults);
  let faults = labFaults(options.dir, knowledge.faults);
  if (options.only) {
    faults = faults.filter((f) => f.id === options.only);
    if (!faults.length) throw new LabUsageError(`no fault '${options.only}'. Ids look like sqlalchemy.missing-greenlet.`);
  }
  const labDir = join(options.dir, 'lab');
  const worlds = await ensureWorlds(options, log);
  const versions = new Map<WorldName, Record<string, string>>();
  const packages = new Map<WorldName, string>();
  for (const w of worlds) {
    versions.set(w.name, await worldVersions(w));
    packages.set(w.name, await worldPackagesDigest(w));
  }
  const cache = createResultCache(join(process.env.FAULTLINE_LAB_CACHE || DEFAULT_CACHE, 'results'));
  const runner = runnerDigest();
  const programs = new Map<string, string>();
  // labkit.py and the kits a program imports, read once per program rather than once per run.
  const kitDigests = new Map<string, string>();
  const runs = { executed: 0, reused: 0 };

  const outcomes = new Map<string, Map<string, LabStatus>>();
  const traces = new Map<string, string>();
  const notes = new Map<string, string[]>();
  const jobs: Job[] = [];
  for (const fault of faults) {
    outcomes.set(fault.id, new Map());
    notes.set(fault.id, []);
    const scenarios = fault.lab?.scenarios ?? [];
    if (!scenarios.length) continue;
    const missing = !programExists(options.dir, fault);
    for (const w of worlds) {
      for (const s of scenarios) {
        if (missing) {
          const detail = `no program at knowledge/lab/${fault.program}`;
          outcomes.get(fault.id)?.set(`${w.name}|${s.id}|`, { status: 'not-reproduced', detail });
          for (const fix of s.fixes) outcomes.get(fault.id)?.set(`${w.name}|${s.id}|${fix}`, { status: 'fails', detail });
          continue;
        }
        jobs.push({ fault, world: w.name, scenario: s.id, cause: s.cause, fix: null });
        for (const fix of s.fixes) jobs.push({ fault, world: w.name, scenario: s.id, cause: s.cause, fix });
      }
    }
  }
  // Interleave the worlds so both PostgreSQL servers work at once.
  jobs.sort((a, b) => WORLDS.indexOf(a.world) - WORLDS.indexOf(b.world));
  const byWorld = WORLDS.map((w) => jobs.filter((j) => j.world === w));
  const ordered: Job[] = [];
  for (let i = 0; i < Math.max(...byWorld.map((b) => b.length), 0); i++) for (const b of byWorld) if (b[i]) ordered.push(b[i] as Job);

  const places = new Map<WorldName, WorldPlace>();
  const services = new Map<WorldName, Services>();
  // A world (its mounts and services) starts when its first run misses the result cache: a warm
  // run that reuses everything starts no PostgreSQL at all. Concurrent misses share one start.
  const starting = new Map<WorldName, Promise<void>>();
  const startWorld = (name: WorldName): Promise<void> => {
    let p = starting.get(name);
    if (!p) {
      p = (async () => {
        const w = worlds.find((x) => x.name === name) as World;
        const place = await prepareWorld(w, labDir, process.env.FAULTLINE_LAB_CACHE || DEFAULT_CACHE);
        cleanups.push(() => place.unmount());
        const needs = new Set(ordered.filter((j) => j.world === name).flatMap((j) => j.fault.lab?.services ?? []));
        if (needs.size) {
          const s = await startServices(place, needs.has('pgbouncer'), log);
          cleanups.push(() => s.stop());
          services.set(name, s);
        }
        places.set(name, place);
      })();
      starting.set(name, p);
    }
    return p;
  };
  try {
    let done = 0;
    let lastShown = 0;
    const runJob = async (job: Job): Promise<void> => {
      const place = places.get(job.world) as WorldPlace;
      const wants = job.fault.lab?.services ?? [];
      const args = job.fix ? [job.scenario, '--fix', job.fix] : [job.scenario];
      const withBouncer = wants.includes('pgbouncer');
      if (!programs.has(job.fault.program)) programs.set(job.fault.program, readFileSync(join(labDir, job.fault.program), 'utf8'));
      const program = programs.get(job.fault.program) as string;
      if (!kitDigests.has(job.fault.program)) kitDigests.set(job.fault.program, sharedLabDigest(labDir, program));
      const key = runKey({ world: job.world, worldPackages: packages.get(job.world) as string, runner, shared: kitDigests.get(job.fault.program) as string, program, lab: job.fault.lab, args, withBouncer, timeoutSeconds: options.timeout });
      let raw = options.fresh ? null : cache.get(key);
      if (raw) runs.reused++;
      else {
        if (!places.has(job.world)) await startWorld(job.world);
        raw = await runProgram({
          place: places.get(job.world) as WorldPlace,
          program: job.fault.program,
          args,
          services: wants.length ? (services.get(job.world) ?? null) : null,
          withBouncer,
          timeoutSeconds: options.timeout,
        });
        runs.executed++;
        cache.put(key, raw);
      }
      const run: RunOutcome = outcomeOf(raw);
      const problems = parseMeasures(run.output).problems;
      for (const p of problems) notes.get(job.fault.id)?.push(`${job.world} ${job.scenario}${job.fix ? ` --fix ${job.fix}` : ''}: ${p}`);
      let status: LabStatus;
      if (job.fix) status = fixStatus(run, options.timeout);
      else {
        const text = traceText(run.output);
        const diagnosis = run.code !== 0 && run.code !== 77 ? engine.diagnose(text) : null;
        status = scenarioStatus(run, diagnosis, job.fault.id, job.cause, options.timeout);
        if (status.status === 'reproduced') traces.set(`${job.fault.id}|${job.scenario}|${job.world}`, text);
      }
      outcomes.get(job.fault.id)?.set(`${job.world}|${job.scenario}|${job.fix ?? ''}`, status);
      done++;
      if (done === ordered.length || done - lastShown >= Math.max(25, Math.round(ordered.length / 10))) {
        lastShown = done;
        log(`${done}/${ordered.length} runs (${runs.reused} reused from the result cache)`);
      }
    };
    // A fault that exhausts a server-wide limit (max_connections) would fail the runs beside it,
    // and they it: its runs go one at a time, after the others.
    await pool(ordered.filter((j) => !j.fault.lab?.exclusive), options.jobs, runJob);
    await pool(ordered.filter((j) => j.fault.lab?.exclusive), 1, runJob);
  } finally {
    await cleanUp();
  }

  const reports: FaultReport[] = faults.map((fault) => {
    const lab = fault.lab?.scenarios.length ? 'ran' : fault.lab?.unreproducible ? 'unreproducible' : 'none';
    const fresh: FaultResults = {};
    if (lab === 'ran') for (const w of worlds) fresh[w.name] = worldResult(fault, versions.get(w.name) ?? {}, outcomes.get(fault.id) as Map<string, LabStatus>, w.name);
    const disagreements = lab === 'ran' && !options.record ? compareResults(recordedResults(fault), fresh) : [];
    const moved = lab === 'ran' && !options.record ? pointReleaseChanges(recordedResults(fault), fresh) : [];
    const faultNotes = [...(notes.get(fault.id) ?? []), ...moved.map((m) => `point release since recording (${m}); --record refreshes it`)];
    return { id: fault.id, file: fault.shownFile, lab, ...(fault.lab?.unreproducible ? { unreproducible: fault.lab.unreproducible.en } : {}), results: fresh, disagreements, notes: faultNotes };
  });

  if (options.record) {
    for (const fault of faults) {
      const report = reports.find((r) => r.id === fault.id) as FaultReport;
      if (report.lab !== 'ran') continue;
      const merged = mergeResults(recordedResults(fault), report.results);
      writeFileSync(fault.file, writeLabResults(readFileSync(fault.file, 'utf8'), merged));
      writeTraces(options.dir, fault, worlds.map((w) => w.name), traces);
    }
  }
  const worldInfo: LabRun['worlds'] = {};
  for (const w of worlds) worldInfo[w.name] = { versions: versions.get(w.name) ?? {}, root: w.root };
  return { worlds: worldInfo, faults: reports, totals: totals(reports, worlds.map((w) => w.name)), recorded: options.record, runs, seconds: Math.round((Date.now() - started) / 100) / 10 };
}

/** Writes this run's reproduced traces for the fault and removes its stale ones, for the worlds run. */
function writeTraces(knowledgeDir: string, fault: LabFault, worlds: WorldName[], traces: Map<string, string>): void {
  const dir = dirname(tracePath(knowledgeDir, fault, 'x', 'x'));
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) {
      const m = /^(.+)\.(bookworm|trixie)\.txt$/.exec(name);
      if (m && worlds.includes(m[2] as WorldName) && !traces.has(`${fault.id}|${m[1]}|${m[2]}`)) rmSync(join(dir, name));
    }
  }
  for (const s of fault.lab?.scenarios ?? []) {
    for (const w of worlds) {
      const text = traces.get(`${fault.id}|${s.id}|${w}`);
      if (text === undefined) continue;
      mkdirSync(dir, { recursive: true });
      writeFileSync(tracePath(knowledgeDir, fault, s.id, w), text);
    }
  }
}

/**
 * As root, the lab re-runs itself in a new mount and PID namespace: the chroot's mounts are
 * private to it, and when the lab exits (or is killed) the kernel ends every process it started
 * (PostgreSQL, PgBouncer, programs), so nothing leaks.
 */
function reexecInNamespace(argv: string[]): Promise<number> {
  return new Promise((resolveCode) => {
    const child = spawn('unshare', ['--mount', '--pid', '--fork', '--kill-child', '--mount-proc', process.execPath, ...process.execArgv, ...argv], {
      stdio: 'inherit',
      env: { ...process.env, FAULTLINE_LAB_NAMESPACE: '1' },
    });
    const forward = (sig: NodeJS.Signals): void => {
      child.kill(sig);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (err) => {
      process.stderr.write(`lab: cannot create the lab's namespace with unshare: ${err.message}\n`);
      resolveCode(3);
    });
    child.on('close', (code, signal) => resolveCode(code ?? (signal ? 130 : 1)));
  });
}

export async function main(argv: string[]): Promise<number> {
  let options: LabOptions;
  try {
    options = parseLabArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && process.env.FAULTLINE_LAB_NAMESPACE !== '1') return reexecInNamespace(process.argv.slice(1));
  const log: Log = (l) => process.stderr.write(`lab: ${l}\n`);
  const onSignal = (sig: NodeJS.Signals): void => {
    log(`${sig}: stopping the runs and services`);
    void cleanUp().then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('uncaughtException', (err) => {
    log(`internal error: ${err.message}; stopping the runs and services`);
    void cleanUp().then(() => process.exit(3));
  });
  try {
    if (options.prepare) {
      for (const w of await ensureWorlds(options, log)) {
        process.stdout.write(`${w.name} (${w.root}): ${Object.entries(await worldVersions(w)).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
      }
      return 0;
    }
    const result = await runLab(options, log);
    const worlds = Object.keys(result.worlds) as WorldName[];
    const disagreements = result.totals.disagreements;
    if (options.json) process.stdout.write(`${JSON.stringify({ ...result, ok: disagreements === 0 }, null, 2)}\n`);
    else {
      const versions = worlds.map((w) => `${w}: ${Object.entries(result.worlds[w]?.versions ?? {}).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      process.stdout.write(`${versions.join('\n')}\n\n${formatTable(result.faults, worlds)}\n\n${result.recorded ? 'Recorded the results in the fault files and the traces under knowledge/lab/traces.' : disagreements ? `${disagreements} disagreement(s) with the fault files: fix the program or the fault file, or run 'npm run lab -- --record' when the new result is right.` : 'Every result agrees with the fault files.'}\n${result.runs.executed} run(s) executed, ${result.runs.reused} reused from the result cache (--fresh runs them all), ${result.seconds} s.\n`);
    }
    return disagreements ? 1 : 0;
  } catch (err) {
    await cleanUp();
    if (err instanceof LabUsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    process.stderr.write(`lab: ${(err as Error).message}\n`);
    return 3;
  }
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
