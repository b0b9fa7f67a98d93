import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// What `npx faultline` runs after `npm ci`: the built file itself, by its shebang and exec bit.
// `npm test` builds first; run `npm run build` before running this file alone.
const bin = join(import.meta.dirname, '..', '..', 'dist', 'bot', 'cli', 'main.js');

describe('the faultline executable', () => {
  it('is built, executable, and answers', () => {
    expect(existsSync(bin), `${bin} is missing: run npm run build`).toBe(true);
    const out = execFileSync(bin, ['show', 'xd2s'], { encoding: 'utf8', env: { ...process.env, FAULTLINE_LANG: 'en' } });
    expect(out).toMatch(/^Implicit database IO outside the async context \(MissingGreenlet\)  \[sqlalchemy\.missing-greenlet\]/);
  });
});
