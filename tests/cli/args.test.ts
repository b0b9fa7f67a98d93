import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../bot/cli/args.js';
import { commands } from '../../bot/cli/commands/index.js';
import { fileProblem } from '../../bot/cli/main.js';
import { cli } from './run.js';

const root = join(import.meta.dirname, '..', '..');
const SAMPLE = join(root, 'knowledge', 'samples', 'missing-greenlet-pytest.txt');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

describe('the argument parser', () => {
  it.each([
    [['diagnose', '--jsn', SAMPLE], "unknown option '--jsn'; did you mean --json?"],
    [['diagnose', '--no-a', SAMPLE], "unknown option '--no-a'; did you mean --no-ai?"],
    [['search', '--lagn', 'ja', 'greenlet'], "unknown option '--lagn'; did you mean --lang?"],
    [['digest', '--snice', '7d'], "unknown option '--snice'; did you mean --since?"],
    [['knowledge', 'check', '--dep'], "unknown option '--dep'; did you mean --deep?"],
    [['backup', 'x.db', '--froce'], "unknown option '--froce'; did you mean --force?"],
  ])('refuses an unknown flag with a hint: %j', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });

  it('gives no hint when nothing is close, and still names the flag', async () => {
    const r = await cli(['show', '--frobnicate', 'xd2s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--frobnicate' (faultline show");
    expect(r.stderr).not.toContain('did you mean');
  });

  it.each([
    [['diagnose', '--json=yes', SAMPLE], /--json takes no value/],
    [['diagnose', '-', '--lang'], /--lang needs a value \(en\|ja\)/],
    [['diagnose', '--lang', '--json'], /--lang needs a value/],
    [['diagnose', '-x', SAMPLE], /unknown option '-x'/],
    [['diagnos', SAMPLE], /unknown command 'diagnos'; did you mean diagnose\?/],
    [['--verison'], /unknown option '--verison'; did you mean --version\?/],
  ])('explains the mistake and exits 2: %j', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('takes values inline or separately, and -- ends the options', async () => {
    const a = await cli(['diagnose', '--lang=ja', '--json', SAMPLE]);
    const b = await cli(['diagnose', '--lang', 'ja', '--json', '--', SAMPLE]);
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout).lang).toBe('ja');
    expect(JSON.parse(b.stdout).lang).toBe('ja');
  });

  it('prints the version from package.json with -V and --version', async () => {
    for (const flag of ['-V', '--version']) {
      const r = await cli([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`faultline ${pkg.version}\n`);
    }
  });

  it.each(commands.map((c) => c.name))('%s --help and -h list every option of the command', async (name) => {
    const spec = commands.find((c) => c.name === name)!;
    for (const flag of ['--help', '-h']) {
      const r = await cli([name, flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: ${spec.usage}`);
      for (const option of Object.keys(spec.options)) expect(r.stdout).toMatch(new RegExp(`--${option}\\b`));
      expect(r.stdout).toContain('-h, --help');
    }
  });

  it('suggests only near misses', () => {
    expect(editDistance('jsn', 'json')).toBe(1);
    expect(closest('jsn', ['json', 'lang'])).toBe('json');
    expect(closest('xyz', ['json', 'lang'])).toBeNull();
    expect(closest('recrod', ['record', 'json'])).toBe('record');
  });
});

describe('user mistakes are about the input, not a bug in Faultline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-args-'));

  it.each([
    [['diagnose', '/no/such/trace.txt'], /cannot read \/no\/such\/trace\.txt: ENOENT/],
    [['diagnose', dir], /is a directory; give a file/],
    // Unreadable: a path through a file (EACCES cannot be shown here: the tests may run as root).
    [['diagnose', join(SAMPLE, 'trace.txt')], /cannot read .*trace\.txt: ENOTDIR/],
    [['backup', dir], /faultline-args-.* is a directory; give a file name/],
    [['eval', '--corpus', join(dir, 'nope')], /--corpus .*nope is not a folder/],
    [['knowledge', 'check', '--dir', join(dir, 'nope')], /--dir .*nope is not a folder/],
    [['knowledge', 'check', 'extra'], /unexpected argument 'extra'/],
  ])('%j exits 2 with a message about the input', async (args, message) => {
    const r = await cli(args, undefined, { FAULTLINE_DB: join(dir, 'f.db') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('bug in Faultline');
  });

  it('maps filesystem errors with a path to a message, and leaves other errors to the bug report', () => {
    const enoent = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', path: '/data/x.db' });
    expect(fileProblem(enoent)).toBe('/data/x.db does not exist (ENOENT). Check the path and its permissions.');
    expect(fileProblem(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBeNull();
    expect(fileProblem(Object.assign(new Error('x'), { code: 'ERR_INVALID_ARG_TYPE' }))).toBeNull();
  });
});
