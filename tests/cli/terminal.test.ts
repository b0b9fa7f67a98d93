import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { terminalStyle } from '../../bot/cli/terminal-style.js';
import { cli } from './run.js';

const root = join(import.meta.dirname, '..', '..');
const SAMPLE = join(root, 'knowledge', 'samples', 'missing-greenlet-pytest.txt');
// The `faultline` executable (package.json bin): the bundled CLI.
const bin = join(root, 'dist', 'bot', 'cli', 'faultline.cjs');
const ESC = '\x1b[';

/** The prose lines of a diagnosis (the Cause paragraph): what wraps. */
function causeLines(out: string): string[] {
  const lines = out.split('\n');
  const start = lines.indexOf('Cause') + 1;
  const end = lines.indexOf('', start);
  return lines.slice(start, end);
}

describe('terminal output', () => {
  it('wraps at COLUMNS when piped', async () => {
    const narrow = await cli(['diagnose', SAMPLE], undefined, { COLUMNS: '60' });
    const wide = await cli(['diagnose', SAMPLE], undefined, { COLUMNS: '140' });
    expect(Math.max(...causeLines(narrow.stdout).map((l) => l.length))).toBeLessThanOrEqual(60);
    expect(Math.max(...causeLines(wide.stdout).map((l) => l.length))).toBeGreaterThan(100);
    expect(causeLines(narrow.stdout).length).toBeGreaterThan(causeLines(wide.stdout).length);
  });

  it('wraps at 80 when piped without COLUMNS, and at the terminal width on a terminal', async () => {
    const piped = await cli(['diagnose', SAMPLE]);
    const lengths = causeLines(piped.stdout).map((l) => l.length);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(80);
    expect(Math.max(...lengths)).toBeGreaterThan(70);
    const tty = await cli(['diagnose', SAMPLE], undefined, { COLUMNS: '200', NO_COLOR: '1' }, root, { columns: 50 });
    expect(Math.max(...causeLines(tty.stdout).map((l) => l.length))).toBeLessThanOrEqual(50);
  });

  it('colours a terminal, but not with NO_COLOR, and not when piped', async () => {
    expect((await cli(['diagnose', SAMPLE], undefined, {}, root, { columns: 100 })).stdout).toContain(ESC);
    expect((await cli(['diagnose', SAMPLE], undefined, { NO_COLOR: '1' }, root, { columns: 100 })).stdout).not.toContain(ESC);
    expect((await cli(['diagnose', SAMPLE])).stdout).not.toContain(ESC);
  });

  it('FORCE_COLOR=1 colours piped output; FORCE_COLOR=0 turns colour off on a terminal', async () => {
    expect((await cli(['diagnose', SAMPLE], undefined, { FORCE_COLOR: '1' })).stdout).toContain(ESC);
    expect((await cli(['diagnose', SAMPLE], undefined, { FORCE_COLOR: '0' }, root, { columns: 100 })).stdout).not.toContain(ESC);
  });

  it('follows the settings in order (FORCE_COLOR, NO_COLOR, TTY; columns, COLUMNS, 80)', () => {
    const piped = { isTTY: false } as never;
    const tty = { isTTY: true, columns: 120 } as never;
    expect(terminalStyle(piped, {})).toEqual({ color: false, width: 80 });
    expect(terminalStyle(tty, {})).toEqual({ color: true, width: 120 });
    expect(terminalStyle(tty, { NO_COLOR: '' })).toEqual({ color: true, width: 120 });
    expect(terminalStyle(tty, { NO_COLOR: 'yes', COLUMNS: '70' })).toEqual({ color: false, width: 120 });
    expect(terminalStyle(piped, { COLUMNS: 'wide' })).toEqual({ color: false, width: 80 });
    expect(terminalStyle(piped, { FORCE_COLOR: 'true', NO_COLOR: '1' }).color).toBe(true);
  });

  it('the built executable, piped, honours COLUMNS, NO_COLOR and FORCE_COLOR', () => {
    const run = (env: NodeJS.ProcessEnv) => execFileSync(bin, ['diagnose', SAMPLE], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
    const narrow = run({ COLUMNS: '48' });
    expect(Math.max(...causeLines(narrow).map((l) => l.length))).toBeLessThanOrEqual(48);
    expect(narrow).not.toContain(ESC);
    expect(run({ FORCE_COLOR: '1' })).toContain(ESC);
    expect(run({ FORCE_COLOR: '', NO_COLOR: '1' })).not.toContain(ESC);
  });
});
