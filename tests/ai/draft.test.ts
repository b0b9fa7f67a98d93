import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { MISSING_DOCS, TODO, buildFaultDraft, literalPhrases } from '../../bot/ai/fault-draft.js';
import { createOpenAiExplainer } from '../../bot/ai/openai-explainer.js';
import { cli } from '../cli/run.js';
import { faultFileSchema } from '../../bot/kb/schema.js';
import { openStore } from '../../bot/store/open-store.js';
import { shippedEngine } from '../helpers.js';
import { useTempDir } from '../store/helpers.js';
import { HOST, UNKNOWN_ERROR, leakedSecrets } from './pastes.js';
import { startFakeOpenAi, useStandIns } from './stand-ins.js';

const engine = shippedEngine();

describe('faultline knowledge draft', () => {
  const tempDir = useTempDir();
  const standIn = useStandIns();

  const run = (args: string[], env: NodeJS.ProcessEnv, cwd: string) => cli(args, '', env, cwd);

  /** An unknown error answered once by the stand-in model, as the bot would have done. */
  const answered = async () => {
    const dir = tempDir();
    const db = join(dir, 'faultline.db');
    const server = standIn(await startFakeOpenAi());
    const store = openStore({ path: db });
    const explainer = createOpenAiExplainer({ apiKey: 'sk-test', baseUrl: `${server.url}/v1`, model: 'stand-in-model', timeoutMs: 1500, dailyBudget: 10, ratePerMinute: 10, store: store.ai, catalogue: engine });
    const diagnosis = engine.diagnose(UNKNOWN_ERROR);
    expect(await explainer.explain({ text: UNKNOWN_ERROR, diagnosis, lang: 'en', workspace: 'T001' })).not.toBeNull();
    await store.close();
    return { dir, env: { FAULTLINE_DB: db } as NodeJS.ProcessEnv, fingerprint: diagnosis.fingerprint };
  };

  it('writes a reviewable draft from the cached answer: schema-valid, marked, masked, and matching its example', async () => {
    const { dir, env, fingerprint } = await answered();
    const r = await run(['knowledge', 'draft', fingerprint], env, dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const file = join(dir, 'knowledge', 'drafts', 'sqlalchemy', 'trigger-rejected-the-order-total.yaml');
    expect(r.stdout).toContain('Wrote a DRAFT for review: knowledge/drafts/sqlalchemy/trigger-rejected-the-order-total.yaml');
    expect(r.stdout).toContain('Schema: valid. Its example matches the draft');

    const yaml = readFileSync(file, 'utf8');
    expect(yaml.startsWith('# DRAFT, NOT REVIEWED.')).toBe(true);
    expect(yaml).toContain('stand-in-model');
    expect(yaml).toContain(TODO);
    expect(leakedSecrets(yaml)).toEqual([]);
    expect(yaml).not.toContain(HOST);
    const data = faultFileSchema.parse(parseYaml(yaml));
    expect(data.match.signatures[0]).toEqual({ type: 'sqlalchemy.exc.InternalError', message: 'order total must not be negative' });
    expect(data.match.codes).toEqual(['2j85']);
    expect(data.fixes.map((f) => f.id)).toEqual(['validate-total-before-the-insert', 'map-integrityerror-to-a-422']);
    expect(data.fixes[0]!.docs).toEqual(['https://sqlalche.me/e/20/2j85']);
    expect(data.title.ja).toContain(TODO);
    expect(data.examples[0]!.input).toContain('(psycopg2.errors.RaiseException) order total must not be negative');

    // Never overwrites a draft someone may be editing.
    const again = await run(['knowledge', 'draft', fingerprint], env, dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('--force');
    expect((await run(['knowledge', 'draft', fingerprint, '--force'], env, dir)).code).toBe(0);
  });

  it('prints to standard output with --out -, and says when there is nothing to draft from', async () => {
    const { dir, env, fingerprint } = await answered();
    const r = await run(['knowledge', 'draft', fingerprint, '--out', '-'], env, dir);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('# DRAFT, NOT REVIEWED.')).toBe(true);
    expect(existsSync(join(dir, 'knowledge'))).toBe(false);

    const missing = await run(['knowledge', 'draft', 'v1:0000000000000000'], env, dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no cached AI answer for v1:0000000000000000');
    expect((await run(['knowledge', 'draft'], env, dir)).code).toBe(2);
  });

  it("falls back to the occurrence's redacted excerpt for an entry without its example", async () => {
    const { dir, env, fingerprint } = await answered();
    const store = openStore({ path: env.FAULTLINE_DB! });
    const cached = (await store.ai.latestFor(fingerprint))!;
    await store.ai.put({ fingerprint, model: cached.model, promptVersion: cached.promptVersion }, { ...(cached.value as object), example: '' }, 3_600_000);
    await store.occurrences.record({ source: 'message', workspace: 'T001', faultId: null, method: 'ai', fingerprint, text: UNKNOWN_ERROR });
    await store.close();
    const r = await run(['knowledge', 'draft', fingerprint, '--out', '-'], env, dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(psycopg2.errors.RaiseException) order total must not be negative');
    expect(leakedSecrets(r.stdout)).toEqual([]);
    expect(r.stdout).not.toContain(HOST);
  });

  it('builds signatures from the stable words of the message', async () => {
    expect(literalPhrases('(psycopg2.errors.CheckViolation) new row for relation "orders" violates check constraint "orders_total_check"')).toEqual(['violates check constraint', 'new row for relation']);
    const draft = buildFaultDraft({
      fingerprint: 'v1:00000000000000aa',
      model: 'm',
      promptVersion: '1:ja',
      createdAt: 0,
      example: 'RuntimeError: widget jammed\n',
      entry: {
        v: 1,
        lang: 'ja',
        answer: { title: 'ウィジェット詰まり', cause: '原因です。', library: null, confidence: 0.3, fixes: [{ title: '再起動', why: '理由', tradeoff: '', snippet: '', lang: 'text' }] },
        error: { type: 'RuntimeError', message: 'widget jammed' },
        names: { models: [], attributes: [], tables: [], fields: [] },
        nearest: [],
        example: '',
      },
    });
    const data = faultFileSchema.parse(parseYaml(draft.yaml));
    expect(draft.library).toBe('python');
    expect(draft.slug).toBe('runtimeerror');
    expect(data.title).toEqual({ en: `${TODO} translate: ウィジェット詰まり`, ja: 'ウィジェット詰まり' });
    expect(data.fixes[0]!.docs).toEqual([MISSING_DOCS]);
    expect(data.fixes[0]!.snippet).toContain(TODO);
  });
});
