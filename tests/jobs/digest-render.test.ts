import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { slackSizeProblems } from '../../bot/render/blocks.js';
import { computeDigest, type Digest } from '../../bot/jobs/digest.js';
import { digestCatalogue } from '../../bot/jobs/digest-catalogue.js';
import { loadKnowledge } from '../../bot/kb/load.js';
import { headline, renderDigestBlocks, renderDigestText } from '../../bot/jobs/digest-render.js';
import { openStore } from '../../bot/store/open-store.js';
import { useTempDir } from '../store/helpers.js';
import { A, FROM, seedDigest, TO } from './seed.js';

/** A digest far bigger than any real week: 60 faults with long titles, huge examples. */
function hugeDigest(base: Digest): Digest {
  const long = 'x'.repeat(5000);
  return {
    ...base,
    faults: Array.from({ length: 60 }, (_, i) => ({
      ...(base.faults[0] as Digest['faults'][number]),
      id: `lib.fault-${i}`,
      title: `A very long title ${long}`,
      fixItOnce: long,
      links: Array.from({ length: 20 }, (_, k) => `https://acme.slack.com/archives/C1/p17000000000${k}`),
    })),
    unmatched: Array.from({ length: 30 }, (_, i) => ({ fingerprint: `v1:${i}`, count: 1, previous: 0, example: `ValueError: ${long}`, links: [] })),
    ai: Array.from({ length: 30 }, (_, i) => ({ fingerprint: `v1:ai${i}`, count: 1, previous: 0, example: long, links: [] })),
  };
}

describe('rendering the digest', () => {
  const tempDir = useTempDir();
  const digest = async () => {
    const store = openStore({ path: join(tempDir(), 'r.db') });
    await seedDigest(store);
    const d = await computeDigest(store.stats, { from: FROM, to: TO, catalogue: digestCatalogue(loadKnowledge().faults) });
    await store.close();
    return d;
  };

  it('builds Block Kit Slack accepts, with the figures, links and suggestions', async () => {
    const d = await digest();
    const msg = renderDigestBlocks(d, { timeZone: 'Asia/Tokyo' });
    expect(slackSizeProblems(msg)).toEqual([]);
    const all = JSON.stringify(msg.blocks);
    expect(all).toContain('*16* errors');
    expect(all).toContain('63%');
    expect(all).toContain(A);
    expect(all).toContain('█▁█▁▁▁█');
    expect(all).toContain('lazy=\\"raise\\"');
    expect(all).toContain('<https://acme.slack.com/archives/C1/p1737320400000300|1>');
    expect(all).toContain('relation \\"widgets\\" does not exist');
    expect(all).not.toContain('hunter2');
    expect(msg.text).toContain('16');
  });

  it('stays inside Slack limits for an absurdly large digest', async () => {
    const msg = renderDigestBlocks(hugeDigest(await digest()), { lang: 'ja' });
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    expect(slackSizeProblems(msg)).toEqual([]);
  });

  it('renders plain text for the CLI, in English and Japanese', async () => {
    const d = await digest();
    const en = renderDigestText(d, { timeZone: 'UTC' });
    expect(en).toContain(`6×  █▁█▁▁▁█  ▲ rising (2)  Implicit database IO outside the async context (MissingGreenlet) [${A}]`);
    expect(en).toContain('v1:u1');
    expect(en).toContain('Fix it once: Set `lazy="raise"`');
    const ja = renderDigestText(d, { lang: 'ja', timeZone: 'Asia/Tokyo' });
    expect(ja).toContain('週次ダイジェスト');
    expect(ja).toContain('根本対策');
  });

  it('shows the exception line of an excerpt', async () => {
    expect(headline('Traceback (most recent call last):\n  File "x.py", line 1\nValueError: bad\n\nDuring handling...')).toBe('ValueError: bad');
    expect(headline(null)).toBeNull();
  });
});
