import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFault } from '../../bot/kb/compile.js';
import { faultFileSchema } from '../../bot/kb/schema.js';
import { buildAllFixes, buildFaultReply } from '../../bot/render/blocks.js';
import { diagnosisToJson } from '../../bot/render/json.js';
import { renderTerminal } from '../../bot/render/terminal.js';
import { createEngine } from '../../bot/triage/diagnose.js';
import { readablePattern } from '../../bot/triage/look-for.js';
import { REPLY_THRESHOLD, UNDECIDED_VARIANT_PENALTY } from '../../bot/triage/match.js';
import { shippedEngine } from '../helpers.js';

const engine = shippedEngine();
const BARE = "sqlalchemy.exc.MissingGreenlet: greenlet_spawn has not been called; can't call await_only() here. Was IO attempted in an unexpected place?";
const SEED = readFileSync(join(import.meta.dirname, '..', '..', 'knowledge', 'samples', 'missing-greenlet-pytest.txt'), 'utf8');
const VARIANTS = ['lazy-load', 'expired-attribute', 'sync-io'];

describe('a bare MissingGreenlet line: no evidence for any variant', () => {
  const d = engine.diagnose(BARE);
  const m = d.match;

  it('is the fault, but asserts no variant and lists every possible one with what to look for', () => {
    expect(m?.id).toBe('sqlalchemy.missing-greenlet');
    expect(m?.variant).toBeNull();
    expect(m?.variantTitle).toBeNull();
    expect(m?.variants.map((v) => v.id)).toEqual(VARIANTS);
    const lazy = m?.variants.find((v) => v.id === 'lazy-load');
    expect(lazy?.lookFor.join(' ')).toContain('_emit_lazyload');
    expect(m?.variants.find((v) => v.id === 'expired-attribute')?.lookFor.join(' ')).toContain('_load_expired');
    expect(m?.cause).toMatch(/does not show which of 3 variants/);
  });

  it('is less confident than the same fault with a variant shown, by the documented amount', () => {
    const withClue = engine.diagnose(`Traceback (most recent call last):\n  File "/app/app/api.py", line 9, in read\n    return user.organization.name\n  File "/app/.venv/lib/python3.12/site-packages/sqlalchemy/orm/strategies.py", line 862, in _load_for_state\n    return self._emit_lazyload(\n${BARE}`);
    expect(withClue.match?.variant).toBe('lazy-load');
    expect(m?.confidence).toBeCloseTo(Math.max(REPLY_THRESHOLD, (withClue.match?.confidence ?? 0) - UNDECIDED_VARIANT_PENALTY), 2);
    expect(m?.confidence).toBeLessThan(withClue.match?.confidence ?? 0);
  });

  it('offers the fixes of every possible variant, each labelled, the best of each variant first', () => {
    const addressed = new Set(d.fixes.flatMap((f) => f.variants ?? VARIANTS));
    expect([...addressed].sort()).toEqual([...VARIANTS].sort());
    const firstThree = d.fixes.slice(0, 3).map((f) => f.variants);
    for (const v of VARIANTS) expect(firstThree.some((ids) => ids === null || ids.includes(v)), v).toBe(true);
  });

  it('says so in the terminal, in Slack blocks and in JSON', () => {
    const text = renderTerminal(d, { color: false });
    expect(text).toContain('variant: not shown by the paste');
    expect(text).toContain('Possible variants');
    for (const v of m?.variants ?? []) expect(text).toContain(v.title);
    expect(text).toMatch(/\[for: An attribute expired by commit\(\) or refresh was reloaded\]/);

    const blocks = JSON.stringify(buildFaultReply(d).blocks);
    for (const v of m?.variants ?? []) expect(blocks).toContain(v.title.replace(/"/g, '\\"'));
    expect(blocks).toContain('look for');
    expect(JSON.stringify(buildAllFixes(d).blocks)).toContain('for: ');

    const json = diagnosisToJson(d) as { match: { variant: unknown; variants: { id: string; lookFor: string[] }[] }; fixes: { variants: unknown }[] };
    expect(json.match.variant).toBeNull();
    expect(json.match.variants.map((v) => v.id)).toEqual(VARIANTS);
    expect(json.match.variants.every((v) => v.lookFor.length > 0)).toBe(true);
    expect(json.fixes.some((f) => Array.isArray(f.variants))).toBe(true);
  });

  it('speaks Japanese too', () => {
    const ja = engine.diagnose(BARE, { lang: 'ja' });
    expect(renderTerminal(ja, { color: false })).toContain('考えられるパターン');
    expect(ja.match?.variants.find((v) => v.id === 'lazy-load')?.lookFor.join('')).toContain('フレーム');
  });
});

describe('the seed traceback still shows its variant', () => {
  const d = engine.diagnose(SEED);
  it('is the lazy-load variant, asserted, at full confidence, with only its fixes', () => {
    expect(d.match).toMatchObject({ id: 'sqlalchemy.missing-greenlet', variant: 'lazy-load' });
    expect(d.match?.variants.map((v) => v.id)).toEqual(['lazy-load']);
    expect(d.match?.confidence).toBeGreaterThanOrEqual(0.95);
    expect(d.fixes.every((f) => f.variants === null || f.variants.includes('lazy-load'))).toBe(true);
    expect(renderTerminal(d, { color: false })).not.toContain('Possible variants');
  });
});

function faultWith(causes: { id: string; clues: Record<string, unknown>[] }[]) {
  const spec = faultFileSchema.parse({
    library: 'demo',
    stack: ['python'],
    title: { en: 'Demo', ja: 'デモ' },
    summary: { en: 'demo', ja: 'デモ' },
    match: { signatures: [{ type: 'DemoError' }], phrases: ['demo error happened'] },
    causes: causes.map((c) => ({ ...c, title: { en: c.id, ja: c.id }, explanation: { en: c.id, ja: c.id } })),
    fixes: causes.map((c) => ({ id: `fix-${c.id}`, title: { en: c.id, ja: c.id }, causes: [c.id], score: 50, why: { en: 'w', ja: 'w' }, tradeoffs: { queries: { en: 'q', ja: 'q' }, scope: 'code', risk: 'low', effort: 'low' }, snippet: 'x', docs: ['https://example.com'] })),
    examples: [{ name: 'x', input: 'DemoError: x' }],
  });
  const { fault, problems } = compileFault('demo.fault', 'demo/fault.yaml', spec);
  expect(problems).toEqual([]);
  return createEngine([fault]);
}

describe('which variants evidence leaves open', () => {
  it('a fault with one variant is trivially that variant', () => {
    const d = faultWith([{ id: 'only', clues: [] }]).diagnose('DemoError: something broke');
    expect(d.match?.variant).toBe('only');
    expect(d.match?.confidence).toBe(0.9);
  });

  it('a clue decides; a tie leaves the tied variants open; no clue leaves all open', () => {
    const e = faultWith([
      { id: 'a', clues: [{ message: 'alpha' }] },
      { id: 'b', clues: [{ message: 'beta' }] },
      { id: 'c', clues: [{ message: 'gamma', weight: 2 }] },
    ]);
    expect(e.diagnose('DemoError: alpha failed').match?.variant).toBe('a');
    const tie = e.diagnose('DemoError: alpha and beta failed').match;
    expect(tie?.variant).toBeNull();
    expect(tie?.variants.map((v) => v.id)).toEqual(['a', 'b']);
    expect(e.diagnose('DemoError: alpha and gamma').match?.variant).toBe('c');
    expect(e.diagnose('DemoError: nothing to go by').match?.variants.map((v) => v.id)).toEqual(['a', 'b', 'c']);
  });

  it('shows a clue regex as a person reads it when the cause has no look_for text', () => {
    expect(readablePattern('orm/strategies\\.py:(?:_load_for_state|_emit_lazyload)')).toBe('orm/strategies.py:(_load_for_state|_emit_lazyload)');
    expect(readablePattern('(?i)await \\w+\\.commit\\(\\)')).toBe('await ….commit()');
    expect(readablePattern('orm/strategies\\.py:\\w*[Ll]azy')).toBe('orm/strategies.py:…Lazy');
  });
});
