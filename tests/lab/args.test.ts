import { describe, expect, it } from 'vitest';
import { LabUsageError, parseLabArgs } from '../../bot/lab/main.js';

describe('npm run lab options', () => {
  it('defaults to both worlds, comparing, at least two runs at a time', () => {
    const o = parseLabArgs([]);
    expect(o).toMatchObject({ json: false, record: false, fresh: false, prepare: false, only: null, worlds: ['bookworm', 'trixie'], timeout: 300 });
    expect(o.jobs).toBeGreaterThanOrEqual(2);
  });

  it('reads every option', () => {
    expect(parseLabArgs(['--json', '--record', '--fresh', '--only', 'sqlalchemy.missing-greenlet', '--world', 'trixie', '--jobs', '3', '--timeout', '20'])).toMatchObject({
      json: true,
      record: true,
      fresh: true,
      only: 'sqlalchemy.missing-greenlet',
      worlds: ['trixie'],
      jobs: 3,
      timeout: 20,
    });
  });

  it('rejects bad input with a message saying what is allowed', () => {
    expect(() => parseLabArgs(['--world', 'sid'])).toThrow(new LabUsageError("--world is bookworm or trixie, not 'sid'."));
    expect(() => parseLabArgs(['--jobs', '0'])).toThrow(/--jobs is a whole number from 1 to 32/);
    expect(() => parseLabArgs(['--only'])).toThrow(/--only needs a value/);
    expect(() => parseLabArgs(['--fast'])).toThrow(/unknown option '--fast'/);
  });
});
