import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { inWorld, runCommand, worldUser, type Log, type World } from './worlds.js';

/**
 * Where a world keeps the lab's files while it runs. For the chroot, the lab mounts a private
 * tmpfs on its /tmp, /proc and a read-only bind of knowledge/lab, inside the lab's own mount
 * namespace (see main.ts), so nothing is left in the cache or on the machine afterwards.
 */
export interface WorldPlace {
  world: World;
  /** knowledge/lab as programs in this world see it. */
  labDir: string;
  /** A directory for run folders and service state, as seen inside the world. */
  tmpDir: string;
  /** A path inside the world, seen from the machine. */
  host(inner: string): string;
  unmount(): Promise<void>;
}

async function mount(argv: string[]): Promise<void> {
  const r = await runCommand(['mount', ...argv]);
  if (r.code !== 0) throw new Error(`mount ${argv.join(' ')} failed: ${r.stderr.trim()}`);
}

export async function prepareWorld(world: World, labDir: string, cacheDir: string): Promise<WorldPlace> {
  const inNamespace = process.env.FAULTLINE_LAB_NAMESPACE === '1';
  if (world.root === '/') {
    if (!inNamespace) {
      const tmpDir = mkdtempSync('/tmp/faultline-lab-');
      chmodSync(tmpDir, 0o755);
      return { world, labDir, tmpDir, host: (p) => p, unmount: async () => rmSync(tmpDir, { recursive: true, force: true }) };
    }
    // A tmpfs that exists only in the lab's namespace: even a killed lab leaves nothing in /tmp.
    const tmpDir = join(cacheDir, 'bookworm-run');
    mkdirSync(tmpDir, { recursive: true, mode: 0o755 });
    await mount(['-t', 'tmpfs', '-o', 'mode=0755,size=4g', 'tmpfs', tmpDir]);
    return { world, labDir, tmpDir, host: (p) => p, unmount: async () => void (await runCommand(['umount', '-l', tmpDir])) };
  }
  if (!inNamespace) throw new Error('the trixie world runs only inside the lab\'s own mount namespace (npm run lab sets it up as root)');
  const root = world.root;
  const mounted: string[] = [];
  await mount(['-t', 'proc', 'proc', join(root, 'proc')]);
  mounted.push(join(root, 'proc'));
  await mount(['-t', 'tmpfs', '-o', 'mode=1777,size=4g', 'tmpfs', join(root, 'tmp')]);
  mounted.push(join(root, 'tmp'));
  await mount(['-t', 'tmpfs', '-o', 'mode=1777', 'tmpfs', join(root, 'dev/shm')]);
  mounted.push(join(root, 'dev/shm'));
  const innerLab = '/tmp/faultline-lab-src';
  mkdirSync(join(root, innerLab));
  await mount(['--bind', labDir, join(root, innerLab)]);
  await mount(['-o', 'remount,bind,ro', join(root, innerLab)]);
  mounted.push(join(root, innerLab));
  const tmpDir = '/tmp/faultline-lab';
  mkdirSync(join(root, tmpDir), { mode: 0o755 });
  return {
    world,
    labDir: innerLab,
    tmpDir,
    host: (p) => join(root, p),
    unmount: async () => {
      for (const m of mounted.reverse()) await runCommand(['umount', '-l', m]);
    },
  };
}

/** A free loopback port, asked of the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPort(port: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port }, () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * One long-lived psql session that creates and drops the runs' databases. Two psql processes per
 * run (each a chroot, a process start and a SCRAM handshake on both sides) cost about as much CPU
 * as the database itself; one session pays that once. Statements are answered in the order sent,
 * each followed by `\echo` of psql's ERROR variable, so a failure is seen per statement and the
 * session goes on. A session that died is started again on the next statement.
 */
function psqlSession(argv: string[], env: NodeJS.ProcessEnv): { exec(sql: string): Promise<void>; close(): void } {
  let child: ReturnType<typeof spawn> | null = null;
  let pending: { resolve: () => void; reject: (e: Error) => void; sql: string }[] = [];
  let out = '';
  let err = '';
  const start = (): ReturnType<typeof spawn> => {
    const [cmd, ...args] = argv as [string, ...string[]];
    const c = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    out = '';
    err = '';
    c.stdout?.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        const m = /^LAB-DONE (true|false)$/.exec(line);
        if (!m) continue;
        const p = pending.shift();
        if (!p) continue;
        if (m[1] === 'false') p.resolve();
        else p.reject(new Error(`psql: ${p.sql}: ${err.trim().split('\n').pop() ?? 'failed'}`));
        err = '';
      }
    });
    c.stderr?.on('data', (d: Buffer) => {
      if (err.length < 100_000) err += d.toString('utf8');
    });
    c.stdin?.on('error', () => undefined);
    const fail = (why: string): void => {
      if (child === c) child = null;
      const waiting = pending;
      pending = [];
      for (const p of waiting) p.reject(new Error(`psql ended (${why}) before: ${p.sql}; ${err.trim().split('\n').pop() ?? ''}`));
    };
    c.on('error', (e) => fail(e.message));
    c.on('close', (code) => fail(`exit ${code}`));
    return c;
  };
  return {
    exec(sql) {
      if (!child) child = start();
      const c = child;
      return new Promise<void>((resolve, reject) => {
        pending.push({ resolve, reject, sql });
        c.stdin?.write(`${sql};\n\\echo LAB-DONE :ERROR\n`);
      });
    },
    close() {
      child?.stdin?.end();
      child = null;
    },
  };
}

export const LAB_USER = 'lab';
export const LAB_PASSWORD = 'lab';

/** PostgreSQL (and PgBouncer in transaction mode) for one world, on loopback. */
export interface Services {
  pgPort: number;
  bouncerPort: number | null;
  createDatabase(name: string): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL as the world's `postgres` user (scram-sha-256, user lab/lab,
 * max_connections=100) and, when asked, PgBouncer in transaction mode in front of it.
 */
export async function startServices(place: WorldPlace, withBouncer: boolean, log: Log): Promise<Services> {
  const { world } = place;
  if (!world.pgBin) throw new Error(`the ${world.name} world has no PostgreSQL server (is postgresql in its package list?)`);
  const pgUser = worldUser(world, 'postgres');
  if (!pgUser) throw new Error(`the ${world.name} world has no postgres user`);
  const state = join(place.tmpDir, 'services');
  mkdirSync(place.host(state), { mode: 0o700 });
  chownSync(place.host(state), pgUser.uid, pgUser.gid);
  const pw = join(state, 'pw');
  writeFileSync(place.host(pw), `${LAB_PASSWORD}\n`);
  chownSync(place.host(pw), pgUser.uid, pgUser.gid);
  const data = join(state, 'data');
  const asPg = (argv: string[]): string[] => inWorld(world, argv, pgUser);
  const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
  const init = await runCommand(asPg([`${world.pgBin}/initdb`, '-D', data, '-U', LAB_USER, '-A', 'scram-sha-256', `--pwfile=${pw}`, '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']), { env });
  if (init.code !== 0) throw new Error(`initdb failed in ${world.name}: ${init.stderr.trim().split('\n').slice(-3).join(' ')}`);
  const pgPort = await freePort();
  // fsync off: each run's database is thrown away, and durability is no part of any fault.
  const opts = `-p ${pgPort} -k ${state} -c listen_addresses=127.0.0.1 -c max_connections=100 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c dynamic_shared_memory_type=mmap`;
  const start = await runCommand(asPg([`${world.pgBin}/pg_ctl`, '-D', data, '-l', join(state, 'postgres.log'), '-w', '-t', '60', '-o', opts, 'start']), { env });
  if (start.code !== 0) throw new Error(`PostgreSQL did not start in ${world.name}: ${start.stdout.trim().split('\n').pop()} (log: ${place.host(join(state, 'postgres.log'))})`);
  let bouncerPort: number | null = null;
  const bouncerPid = join(state, 'pgbouncer.pid');
  if (withBouncer) {
    bouncerPort = await freePort();
    writeFileSync(place.host(join(state, 'users.txt')), `"${LAB_USER}" "${LAB_PASSWORD}"\n`);
    writeFileSync(
      place.host(join(state, 'pgbouncer.ini')),
      [
        '[databases]',
        `* = host=127.0.0.1 port=${pgPort}`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${bouncerPort}`,
        'unix_socket_dir =',
        'auth_type = scram-sha-256',
        `auth_file = ${join(state, 'users.txt')}`,
        'pool_mode = transaction',
        `logfile = ${join(state, 'pgbouncer.log')}`,
        `pidfile = ${bouncerPid}`,
        'max_client_conn = 200',
        'default_pool_size = 20',
        // PgBouncer 1.21 learned to track prepared statements, and trixie's 1.24 turns it on by
        // default (200); bookworm's 1.18 has no such key. The lab pins the behaviour most
        // deployments still run, and the one the prepared-statement fault is about: off.
        ...(world.name === 'trixie' ? ['max_prepared_statements = 0'] : []),
        '',
      ].join('\n'),
    );
    for (const f of ['users.txt', 'pgbouncer.ini']) chownSync(place.host(join(state, f)), pgUser.uid, pgUser.gid);
    const b = await runCommand(asPg(['/usr/sbin/pgbouncer', '-d', '-q', join(state, 'pgbouncer.ini')]), { env });
    if (b.code !== 0 || !(await waitForPort(bouncerPort, 10_000))) throw new Error(`PgBouncer did not start in ${world.name}: ${b.stderr.trim()} (log: ${place.host(join(state, 'pgbouncer.log'))})`);
  }
  log(`${world.name}: PostgreSQL on 127.0.0.1:${pgPort}${bouncerPort ? `, PgBouncer (transaction mode) on ${bouncerPort}` : ''}`);
  const admin = psqlSession(inWorld(world, [`${world.pgBin}/psql`, '-X', '-q', '-h', '127.0.0.1', '-p', String(pgPort), '-U', LAB_USER, '-d', 'postgres']), { ...env, PGPASSWORD: LAB_PASSWORD });
  const psql = (sql: string): Promise<void> => admin.exec(sql).catch((e: Error) => {
    throw new Error(`${world.name}: ${e.message}`);
  });
  let stopped = false;
  return {
    pgPort,
    bouncerPort,
    createDatabase: (name) => psql(`CREATE DATABASE ${name} STRATEGY FILE_COPY`),
    dropDatabase: (name) => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    async stop() {
      if (stopped) return;
      stopped = true;
      admin.close();
      if (withBouncer) {
        await runCommand(['sh', '-c', 'test -f "$1" && kill "$(cat "$1")"', 'sh', place.host(bouncerPid)]);
      }
      await runCommand(asPg([`${world.pgBin}/pg_ctl`, '-D', data, '-m', 'immediate', '-w', 'stop']), { env });
    },
  };
}
