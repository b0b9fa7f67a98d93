import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsCrash } from '../../bot/triage/js-stack.js';
import { shippedEngine } from '../helpers.js';

// Real output of `node` 20 on uncaught errors (tests/fixtures/node-crashes/), each ending with the
// `Node.js v20.x.y` banner that v1 fingerprinted every one of them by.
const engine = shippedEngine();
const dir = join(import.meta.dirname, '..', 'fixtures', 'node-crashes');
const crashes = Object.fromEntries(readdirSync(dir).sort().map((f) => [f.replace(/\.txt$/, ''), readFileSync(join(dir, f), 'utf8')]));
const fp = (text: string): string => engine.diagnose(text).fingerprint;

describe('Node.js crash fingerprints', () => {
  it('has several real crashes to group', () => {
    expect(Object.keys(crashes).length).toBeGreaterThanOrEqual(8);
    for (const text of Object.values(crashes)) expect(text).toMatch(/^Node\.js v20\.\d+\.\d+$/m);
  });

  it('gives every different crash its own fingerprint', () => {
    const prints = Object.values(crashes).map(fp);
    expect(new Set(prints).size).toBe(prints.length);
  });

  it('does not depend on the Node version banner, line and column numbers or the checkout path', () => {
    const base = crashes['cannot-read-properties'] as string;
    const moved = base
      .replace(/Node\.js v20\.\d+\.\d+/, 'Node.js v22.3.0')
      .replace(/:1:46\)/, ':7:12)')
      .replaceAll('/tmp/nodecrash/', '/srv/checkout/tmp/nodecrash/');
    expect(fp(moved)).toBe(fp(base));
  });

  it('tells the same error apart by the first frame of the user code', () => {
    expect(fp(crashes['cannot-read-properties-other-frame'] as string)).not.toBe(fp(crashes['cannot-read-properties'] as string));
  });

  it('reads the error line and the first user frame, skipping node: internals', () => {
    expect(readJsCrash((crashes['invalid-arg-type'] as string).split('\n'))).toEqual({
      type: 'TypeError [ERR_INVALID_ARG_TYPE]',
      message: 'The "path" argument must be of type string. Received undefined',
      userFrame: { func: 'resolveConfig', file: 'tmp/nodecrash/f.js' },
    });
    expect(readJsCrash((crashes['assertion'] as string).split('\n'))?.type).toBe('AssertionError [ERR_ASSERTION]');
    expect(readJsCrash((crashes['unhandled-rejection'] as string).split('\n'))?.userFrame).toBeNull();
  });

  it('shows the error line as the error, not the banner, and counts the crash as error output', () => {
    for (const [name, text] of Object.entries(crashes)) {
      const d = engine.diagnose(text);
      expect(d.error?.message, name).not.toMatch(/^Node\.js v/);
      expect(d.errorOutput, name).toBe(true);
      expect(d.match, name).toBeNull();
    }
  });

  it('leaves Python fingerprints alone', () => {
    const py = 'Traceback (most recent call last):\n  File "/app/app/api.py", line 3, in handler\n    return user.name\nAttributeError: \'NoneType\' object has no attribute \'name\'';
    expect(fp(py)).toBe(fp(py.replace('line 3', 'line 9')));
    expect(readJsCrash(py.split('\n'))).toBeNull();
  });
});
