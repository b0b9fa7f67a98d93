import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// What `npx faultline` runs after `npm ci`: the built file itself, by its shebang and exec bit.
// `npm test` builds first; run `npm run build` before running this file alone.
const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: { faultline: string } };
const bin = join(root, pkg.bin.faultline);
const SAMPLE = join(root, 'knowledge', 'samples', 'missing-greenlet-pytest.txt');
const env = { ...process.env, FAULTLINE_LANG: 'en', NO_COLOR: '1' };

describe('the faultline executable', () => {
  it('is built, executable, and answers', () => {
    expect(existsSync(bin), `${bin} is missing: run npm run build`).toBe(true);
    const out = execFileSync(bin, ['show', 'xd2s'], { encoding: 'utf8', env });
    expect(out).toMatch(/^Implicit database IO outside the async context \(MissingGreenlet\)  \[sqlalchemy\.missing-greenlet\]/);
  });

  it('answers as the ES modules do (the bundled diagnose path)', () => {
    const bundled = execFileSync(bin, ['diagnose', SAMPLE, '--json'], { encoding: 'utf8', env });
    const modules = execFileSync(process.execPath, [join(root, 'dist', 'bot', 'cli', 'main.js'), 'diagnose', SAMPLE, '--json'], { encoding: 'utf8', env });
    expect(JSON.parse(bundled)).toEqual(JSON.parse(modules));
  });

  it('reads non-ASCII text as the ES modules do (the bundle escapes every non-ASCII character of its code)', () => {
    // Real pastes whose reading rests on regexes with non-ASCII characters: PostgreSQL in German
    // and French (»...«, «...»), Chinese and Japanese punctuation, curly quotes, a masked address.
    const kinds = [/»[^«]+«/, /« [^»]+ »/, /[：，。「]/, /[“”]/, /…/];
    const positives = ['blind-postgres-a.jsonl', 'blind-postgres-b.jsonl', 'blind-drivers-sqlalchemy.jsonl', 'blind-alembic-pytest-asgi.jsonl', 'blind-http-queues-containers-django.jsonl']
      .flatMap((file) => readFileSync(join(root, 'tests', 'corpus', file), 'utf8').split('\n'))
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as { text: string; expect: string | null })
      .filter((c) => c.expect !== null);
    const pastes = kinds.map((re) => positives.find((c) => re.test(c.text))?.text);
    expect(pastes.filter((t) => t === undefined), 'a corpus paste for each kind of non-ASCII text').toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'faultline-ascii-'));
    try {
      (pastes as string[]).forEach((text, i) => {
        const file = join(dir, `paste-${i}.txt`);
        writeFileSync(file, text);
        const bundled = JSON.parse(execFileSync(bin, ['diagnose', file, '--json'], { encoding: 'utf8', env }));
        const modules = JSON.parse(execFileSync(process.execPath, [join(root, 'dist', 'bot', 'cli', 'main.js'), 'diagnose', file, '--json'], { encoding: 'utf8', env }));
        expect(bundled.match?.id, text.slice(0, 80)).toBeTruthy();
        expect(bundled).toEqual(modules);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers when the bundle file is run on its own, the LLM path included', () => {
    // `node dist/bot/cli/faultline-bundle.cjs` skips faultline.cjs, which hands the bundle its
    // import function; an unknown error loads the LLM fallback through a dynamic import.
    const bundle = join(root, 'dist', 'bot', 'cli', 'faultline-bundle.cjs');
    const unknown = join(mkdtempSync(join(tmpdir(), 'faultline-unknown-')), 'paste.txt');
    writeFileSync(unknown, 'Traceback (most recent call last):\n  File "app.py", line 3, in <module>\nacme.LedgerImbalance: ledger 7 is off by 3 cents\n');
    const direct = execFileSync(process.execPath, [bundle, 'diagnose', unknown], { encoding: 'utf8', env: { ...env, OPENAI_API_KEY: '' } });
    expect(direct).toContain('The LLM fallback is off.');
    const known = execFileSync(process.execPath, [bundle, 'diagnose', SAMPLE, '--json'], { encoding: 'utf8', env });
    expect(JSON.parse(known).match.id).toBe('sqlalchemy.missing-greenlet');
  });

  describe('in a copy whose compiled files changed after the bundle was built', () => {
    const copy = mkdtempSync(join(tmpdir(), 'faultline-bin-'));
    afterAll(() => rmSync(copy, { recursive: true, force: true }));
    // A copy resets mtimes: the bundle is still used while the content is the same.
    for (const part of ['package.json', 'dist', 'knowledge']) cpSync(join(root, part), join(copy, part), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
    const copyBin = join(copy, pkg.bin.faultline);

    it('runs what changed, not the bundle', () => {
      expect(execFileSync(copyBin, ['diagnose', SAMPLE], { encoding: 'utf8', env }).split('\n')).toContain('Cause');
      const strings = join(copy, 'dist', 'bot', 'render', 'strings.js');
      writeFileSync(strings, readFileSync(strings, 'utf8').replace("cause: 'Cause',", "cause: 'Root cause',"));
      const lines = execFileSync(copyBin, ['diagnose', SAMPLE], { encoding: 'utf8', env }).split('\n');
      expect(lines).toContain('Root cause');
      expect(lines).not.toContain('Cause');
    });
  });
});
