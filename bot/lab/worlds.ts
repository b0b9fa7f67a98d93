import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { WorldName } from './results.js';

export const DEFAULT_CACHE = '/var/cache/faultline-lab';
export const DEFAULT_MIRROR = 'http://deb.debian.org/debian';

/** A world: where its files are, and how to run a command inside it. */
export interface World {
  name: WorldName;
  /** '/' for the machine itself, the chroot directory otherwise. */
  root: string;
  /** PostgreSQL's binaries, as seen inside the world. */
  pgBin: string | null;
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export type Log = (line: string) => void;

/** Runs a command to completion and collects its output (bounded). */
export function runCommand(argv: string[], options: { env?: NodeJS.ProcessEnv; input?: string; log?: Log; timeoutMs?: number } = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    const [cmd, ...args] = argv as [string, ...string[]];
    const child = spawn(cmd, args, { env: options.env ?? process.env, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const cap = 1_000_000;
    child.stdout?.on('data', (d: Buffer) => {
      if (stdout.length < cap) stdout += d.toString('utf8');
      if (options.log) for (const l of d.toString('utf8').split('\n')) if (l.trim()) options.log(l);
    });
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < cap) stderr += d.toString('utf8');
      if (options.log) for (const l of d.toString('utf8').split('\n')) if (l.trim()) options.log(l);
    });
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : null;
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: `${stderr}${err.message}` });
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
  });
}

/** `argv` as run inside the world, optionally as its `postgres` user. */
export function inWorld(world: World, argv: string[], asUser?: { uid: number; gid: number }): string[] {
  if (world.root === '/') return asUser ? ['setpriv', `--reuid=${asUser.uid}`, `--regid=${asUser.gid}`, '--clear-groups', ...argv] : argv;
  return ['chroot', ...(asUser ? [`--userspec=${asUser.uid}:${asUser.gid}`] : []), world.root, ...argv];
}

/** A world's package list: one Debian package per line, `#` comments. */
export function readPackageList(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

/** The chroot's cache key: what it is built from, so a changed list builds a new one. */
export function chrootKey(packages: string[], suite: string, mirror: string): string {
  const what = JSON.stringify({ suite, mirror, variant: 'apt', packages: [...packages].sort() });
  return createHash('sha256').update(what).digest('hex').slice(0, 16);
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

async function missingHostPackages(packages: string[]): Promise<string[]> {
  const r = await runCommand(['dpkg-query', '-W', '-f=${Package} ${db:Status-Status}\\n', ...packages]);
  const installed = new Set(
    r.stdout
      .split('\n')
      .filter((l) => l.endsWith(' installed'))
      .map((l) => l.split(' ')[0]),
  );
  return packages.filter((p) => !installed.has(p));
}

/** Installs the host's missing packages with apt-get (root only), after `apt-get update`. */
export async function ensureHostPackages(packages: string[], log: Log): Promise<void> {
  const missing = await missingHostPackages(packages);
  if (missing.length === 0) return;
  if (!isRoot()) throw new Error(`the bookworm world needs these Debian packages: ${missing.join(' ')}. Run as root so the lab can apt-get install them, or install them yourself.`);
  log(`installing ${missing.length} package(s) with apt-get: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = await runCommand(['apt-get', 'update'], { env });
  if (update.code !== 0) throw new Error(`apt-get update failed: ${update.stderr.trim().split('\n').slice(-3).join(' ')}`);
  const install = await runCommand(['apt-get', 'install', '-y', '--no-install-recommends', ...missing], { env });
  if (install.code !== 0) throw new Error(`apt-get install failed: ${install.stderr.trim().split('\n').slice(-3).join(' ')}`);
}

function newestPgBin(root: string): string | null {
  const dir = join(root, 'usr/lib/postgresql');
  if (!existsSync(dir)) return null;
  const majors = readdirSync(dir)
    .filter((d) => /^\d+$/.test(d) && existsSync(join(dir, d, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] ? `/usr/lib/postgresql/${majors[0]}/bin` : null;
}

export async function ensureBookworm(packageFile: string, log: Log): Promise<World> {
  await ensureHostPackages(readPackageList(packageFile), log);
  return { name: 'bookworm', root: '/', pgBin: newestPgBin('/') };
}

/**
 * The trixie chroot, built once with mmdebstrap into the cache and reused: built into a temporary
 * directory and renamed into place, so an interrupted build never leaves a half chroot behind.
 */
export async function ensureTrixie(packageFile: string, cacheDir: string, mirror: string, log: Log): Promise<World> {
  const packages = readPackageList(packageFile);
  const dir = join(cacheDir, `trixie-${chrootKey(packages, 'trixie', mirror)}`);
  if (!existsSync(join(dir, 'usr/bin/python3'))) {
    if (!isRoot()) throw new Error('building the trixie world needs root (mmdebstrap, chroot). Run the lab as root.');
    mkdirSync(cacheDir, { recursive: true });
    const tmp = join(cacheDir, `.building-trixie-${process.pid}-${Date.now()}`);
    log(`building the trixie world into ${dir} with mmdebstrap (about a minute)`);
    const started = Date.now();
    try {
      const r = await runCommand(['mmdebstrap', '--quiet', '--mode=root', '--variant=apt', `--include=${packages.join(',')}`, 'trixie', tmp, mirror]);
      if (r.code !== 0) throw new Error(`mmdebstrap failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-5).join(' | ')}`);
      try {
        renameSync(tmp, dir);
      } catch (err) {
        // Another lab run finished the same build first: keep theirs.
        if (!existsSync(join(dir, 'usr/bin/python3'))) throw err;
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    log(`built the trixie world in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  return { name: 'trixie', root: dir, pgBin: newestPgBin(dir) };
}

const VERSION_SCRIPT = `
import json, sys
from importlib import metadata
out = {"python": "%d.%d.%d" % sys.version_info[:3]}
for dist in ${JSON.stringify(['sqlalchemy', 'pydantic', 'asyncpg', 'psycopg', 'psycopg2', 'psycopg-pool', 'fastapi', 'starlette', 'alembic', 'pytest', 'pytest-asyncio', 'greenlet', 'httpx', 'aiohttp', 'requests', 'uvicorn', 'gunicorn', 'python-multipart', 'websockets', 'redis', 'celery', 'kombu', 'django'])}:
    try:
        out[dist] = metadata.version(dist)
    except metadata.PackageNotFoundError:
        pass
print(json.dumps(out))
`;

/** The versions a world has, keyed as fix `requires` name them (sqlalchemy, postgresql, ...). */
export async function worldVersions(world: World): Promise<Record<string, string>> {
  const py = await runCommand(inWorld(world, ['/usr/bin/python3', '-c', VERSION_SCRIPT]), { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' } });
  if (py.code !== 0) throw new Error(`cannot read the ${world.name} world's Python versions: ${py.stderr.trim().split('\n').pop()}`);
  const versions = JSON.parse(py.stdout) as Record<string, string>;
  if (world.pgBin) {
    const pg = await runCommand(inWorld(world, [`${world.pgBin}/postgres`, '--version']));
    const m = /(\d+\.\d+)/.exec(pg.stdout);
    if (m) versions.postgresql = m[1] as string;
  }
  const bouncer = await runCommand(inWorld(world, ['/usr/sbin/pgbouncer', '--version']));
  const b = /PgBouncer (\d+\.\d+(?:\.\d+)?)/.exec(bouncer.stdout);
  if (b) versions.pgbouncer = b[1] as string;
  const redis = await runCommand(inWorld(world, ['/usr/bin/redis-server', '--version']));
  const r = /v=(\d+\.\d+(?:\.\d+)?)/.exec(redis.stdout);
  if (r) versions['redis-server'] = r[1] as string;
  return versions;
}

/** uid/gid of a user in the world's /etc/passwd. */
export function worldUser(world: World, name: string): { uid: number; gid: number } | null {
  const passwd = readFileSync(join(world.root, 'etc/passwd'), 'utf8');
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid && gid) return { uid: Number(uid), gid: Number(gid) };
  }
  return null;
}
