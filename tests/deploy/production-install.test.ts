import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandInSlack, type StandInSlack } from '../slack/stand-in-slack.js';

/*
 * What deploy/Dockerfile ships: package.json, the production node_modules, dist/ and knowledge/.
 * The image runs `npm ci`, the build and `npm prune --omit=dev`; here the copy gets this
 * checkout's node_modules as hard links (`cp -al`, a second) and the same `npm prune --omit=dev`,
 * rather than a fresh `npm ci` that compiles better-sqlite3 for about two minutes. npm prune only
 * unlinks, except node_modules/.package-lock.json, which it rewrites: that one is copied, so the
 * shared files are never written. `npm test` builds dist/ first.
 */
const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const SAMPLE = 'knowledge/samples/missing-greenlet-pytest.txt';

/**
 * Bare imports that may name a devDependency, each loaded only by the command that needs it and
 * answered clearly when absent. Anything else that names one fails the check.
 */
const OPTIONAL_DEV_IMPORTS: Record<string, string> = {
  recheck: 'dist/bot/kb/check.js: required on first use, only by `knowledge check --deep`',
};

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsFiles(join(dir, e.name)) : /\.c?js$/.test(e.name) ? [join(dir, e.name)] : []));
}

function packageName(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] as string)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

/** Every bare module a compiled file imports: static, re-export, side-effect, dynamic and require. */
export function importedPackages(source: string): { static: Set<string>; any: Set<string> } {
  const staticOnes = new Set<string>();
  const any = new Set<string>();
  for (const m of source.matchAll(/^\s*(?:import|export)\s(?:[^'";]{0,2000}?\sfrom\s)?['"]([^'"]{1,200})['"]/gm)) {
    const name = packageName(m[1] as string);
    if (name) staticOnes.add(name);
  }
  // `createRequire(url)('x')`, but not a bundled call (esbuild writes `(0, mod.fn)("sha256")`).
  for (const m of source.matchAll(/(?:import|require)\s*\(\s*['"]([^'"]{1,200})['"]\s*\)|(?<!\(0, [\w$.]{1,200})\)\(\s*['"]([^'"]{1,200})['"]\s*\)/g)) {
    const name = packageName((m[1] ?? m[2]) as string);
    if (name) any.add(name);
  }
  for (const s of staticOnes) any.add(s);
  return { static: staticOnes, any };
}

describe('dist/ imports only production dependencies', () => {
  it('at the top level of any module, and only the listed optional ones anywhere', () => {
    const dist = join(root, 'dist');
    expect(existsSync(dist), 'run npm run build first').toBe(true);
    const problems: string[] = [];
    for (const file of jsFiles(dist)) {
      const shown = relative(root, file);
      const { static: staticOnes, any } = importedPackages(readFileSync(file, 'utf8'));
      for (const name of any) {
        if (name in pkg.dependencies) continue;
        if (name in pkg.devDependencies) {
          if (staticOnes.has(name)) problems.push(`${shown} imports ${name}, a devDependency, at load time`);
          else if (!(name in OPTIONAL_DEV_IMPORTS)) problems.push(`${shown} loads ${name}, a devDependency, on demand: list it in OPTIONAL_DEV_IMPORTS with the command that needs it, or make it a dependency`);
          continue;
        }
        problems.push(`${shown} imports ${name}, which package.json does not declare`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the check sees every form of import', () => {
    const found = importedPackages(`import a from 'recheck';\nexport { b } from "@slack/bolt/x";\nimport 'zod';\nconst c = await import('openai');\nrequire('yaml');\ncreateRequire(import.meta.url)('fuse.js');\nconst f = require("croner");\n(0, import_node_crypto.createHash)("sha256");\nimport d from './local.js';\nimport e from 'node:fs';`);
    expect([...found.static].sort()).toEqual(['@slack/bolt', 'recheck', 'zod']);
    expect([...found.any].sort()).toEqual(['@slack/bolt', 'croner', 'fuse.js', 'openai', 'recheck', 'yaml', 'zod']);
  });
});

describe('the production install (deploy/Dockerfile: npm ci, build, npm prune --omit=dev)', () => {
  let app = '';
  let slack: StandInSlack | null = null;
  let server: ChildProcess | null = null;

  beforeAll(() => {
    app = mkdtempSync(join(tmpdir(), 'faultline-prod-'));
    for (const file of ['package.json', 'package-lock.json']) cpSync(join(root, file), join(app, file));
    const tracked = spawnSync('git', ['ls-files', '-z', 'knowledge'], { cwd: root, encoding: 'utf8' });
    expect(tracked.status).toBe(0);
    for (const file of tracked.stdout.split('\0').filter(Boolean)) {
      mkdirSync(dirname(join(app, file)), { recursive: true });
      cpSync(join(root, file), join(app, file));
    }
    cpSync(join(root, 'dist'), join(app, 'dist'), { recursive: true });
    expect(spawnSync('cp', ['-al', join(root, 'node_modules'), join(app, 'node_modules')]).status).toBe(0);
    rmSync(join(app, 'node_modules', '.package-lock.json'));
    cpSync(join(root, 'node_modules', '.package-lock.json'), join(app, 'node_modules', '.package-lock.json'));
    const prune = spawnSync('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund', '--offline'], { cwd: app, encoding: 'utf8' });
    expect(prune.status, prune.stderr).toBe(0);
    // Dev tools are gone (a devDependency that a production package also needs, like @types/node, stays).
    for (const dev of ['recheck', 'vitest', 'typescript', 'tsx', 'esbuild']) expect(existsSync(join(app, 'node_modules', dev)), `${dev} survived the prune`).toBe(false);
  }, 60_000);

  afterAll(async () => {
    server?.kill('SIGKILL');
    await slack?.close();
    if (app) rmSync(app, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, NODE_ENV: 'production', FAULTLINE_DB: join(app, 'data', 'faultline.db'), ...extra });

  // The executable (package.json bin: the bundled CLI) and the ES modules it is built from.
  const entries = [(pkg as unknown as { bin: { faultline: string } }).bin.faultline, 'dist/bot/cli/main.js'];

  it.each(entries)('%s diagnoses the sample', (entry) => {
    const r = spawnSync(process.execPath, [entry, 'diagnose', SAMPLE], { cwd: app, encoding: 'utf8', env: env() });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Implicit database IO outside the async context \(MissingGreenlet\)  \[sqlalchemy\.missing-greenlet\]/);
  });

  it.each(entries)('%s runs every command that needs no Slack, and knowledge check --deep says what it needs', (entry) => {
    const run = (...args: string[]) => spawnSync(process.execPath, [entry, ...args], { cwd: app, encoding: 'utf8', env: env() });
    expect(run('search', 'lazy', 'load').stdout).toContain('sqlalchemy.missing-greenlet');
    expect(JSON.parse(run('show', 'xd2s', '--json').stdout).faults[0].id).toBe('sqlalchemy.missing-greenlet');
    expect(run('knowledge', 'check', '--only', 'sqlalchemy.missing-greenlet').status).toBe(0);
    const deep = run('knowledge', 'check', '--deep', '--only', 'sqlalchemy.missing-greenlet');
    expect(deep.status).toBe(2);
    expect(deep.stderr).toMatch(/--deep needs recheck, a dev dependency/);
    expect(run('--version').stdout).toMatch(/^faultline \d+\.\d+\.\d+\n$/);
  });

  it('serves Slack (stand-in Web API on loopback) and /healthz answers 200', async () => {
    slack = await startStandInSlack({ botToken: 'xoxb-000000000-000000000000-faultlinetestfaketoken' });
    const child = spawn(process.execPath, ['dist/bot/cli/main.js', 'serve'], {
      cwd: app,
      env: env({ SLACK_BOT_TOKEN: 'xoxb-000000000-000000000000-faultlinetestfaketoken', SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef', SLACK_API_URL: slack.apiUrl, PORT: '0' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = child;
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no faultline.started line within 20 s; stderr: ${err}`)), 20_000);
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString('utf8');
        const started = out.split('\n').map((l) => (l.startsWith('{') ? (JSON.parse(l) as Record<string, unknown>) : null)).find((l) => l?.msg === 'faultline.started' || l?.message === 'faultline.started' || JSON.stringify(l ?? {}).includes('faultline.started'));
        if (started) {
          clearTimeout(timer);
          resolve(Number(JSON.stringify(started).match(/"port":(\d+)/)?.[1]));
        }
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    });
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(slack.callsTo('auth.test')).toHaveLength(1);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    server = null;
  }, 40_000);
});
