import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createExplainer } from '../../bot/ai/create-explainer.js';
import type { ExplainInput } from '../../bot/ai/explainer.js';
import { createOpenAiExplainer, type OpenAiExplainerOptions } from '../../bot/ai/openai-explainer.js';
import { promptKey } from '../../bot/ai/prompt.js';
import { DEFAULTS } from '../../bot/config.js';
import { openStore, type Store } from '../../bot/store/open-store.js';
import type { Lang } from '../../bot/triage/types.js';
import { faultExample, shippedEngine } from '../helpers.js';
import { DAY, useTempDir } from '../store/helpers.js';
import { HOST, OTHER_UNKNOWN_ERROR, SECRETS, UNKNOWN_ERROR, leakedSecrets } from './pastes.js';
import { captureLog, startFakeOpenAi, useStandIns } from './stand-ins.js';

const engine = shippedEngine();
const TIMEOUT_MS = 1500;
/** "Within the timeout plus a margin": the whole call, retries included, is bounded by this. */
const BOUND_MS = TIMEOUT_MS + 2000;

function input(text: string, workspace: string | null = 'T001', lang: Lang = 'en'): ExplainInput {
  return { text, diagnosis: engine.diagnose(text, { lang }), lang, workspace };
}

async function within<T>(work: Promise<T>, ms = BOUND_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not resolved within ${ms} ms`)), ms)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('the LLM fallback against an OpenAI-compatible stand-in', () => {
  const tempDir = useTempDir();
  const standIn = useStandIns();
  const setup = async (over: Partial<OpenAiExplainerOptions> = {}) => {
    const server = standIn(await startFakeOpenAi());
    const store: Store = openStore({ path: join(tempDir(), 'ai.db') });
    const log = captureLog();
    const explainer = createOpenAiExplainer({
      apiKey: 'sk-test-standin-key',
      baseUrl: `${server.url}/v1`,
      model: 'stand-in-model',
      timeoutMs: TIMEOUT_MS,
      dailyBudget: 100,
      ratePerMinute: 100,
      store: store.ai,
      catalogue: engine,
      log,
      ...over,
    });
    return { server, store, log, explainer };
  };

  it('sends the unknown error masked, with the nearest curated faults, and puts the hosts back in the answer', async () => {
    const { server, store, log, explainer } = await setup();
    const result = await explainer.explainWithOutcome(input(UNKNOWN_ERROR));
    expect(result.outcome).toBe('answered');
    expect(server.requests).toHaveLength(1);

    const request = server.requests[0]!;
    expect(leakedSecrets(request.body)).toEqual([]);
    expect(leakedSecrets(JSON.stringify(request.headers))).toEqual([]);
    expect(request.body).not.toContain(HOST);
    expect(request.body).not.toContain('/srv/acme');
    const body = server.bodies()[0]!;
    expect(body.model).toBe('stand-in-model');
    expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'faultline_diagnosis', strict: true } });
    const user = (body.messages as { role: string; content: string }[]).find((m) => m.role === 'user')!.content;
    // What a fix needs is still there: the exception, the constraint, the table and the model.
    expect(user).toContain('sqlalchemy.exc.InternalError: (psycopg2.errors.RaiseException)');
    expect(user).toContain('orders_check_total');
    expect(user).toMatch(/models: Order/);
    expect(user).toContain('<HOST_1>');
    // Grounding: the nearest curated faults with their titles and summaries (no signature is near
    // a trigger's RAISE, so they come from the catalogue's keyword search).
    const near = engine.index.search('InternalError (psycopg2.errors.RaiseException) order total must not be negative', 3).map((h) => h.fault);
    expect(near.length).toBeGreaterThan(0);
    for (const f of near) expect(user).toContain(f.id);
    expect(user).toContain(near[0]!.title.en);
    expect(user).toContain(near[0]!.summary.en.trim().replace(/\s+/g, ' ').slice(0, 60));

    const answer = result.answer!;
    expect(answer.model).toBe('stand-in-model');
    expect(answer.cause).toContain(`The database at ${HOST} refused the row`);
    expect(answer.fixes.map((f) => f.title)).toEqual(['Validate total before the insert', 'Map IntegrityError to a 422']);
    expect(answer.cached).toBe(false);
    expect(leakedSecrets(JSON.stringify(answer))).toEqual([]);

    // Nothing secret or pasted is logged or cached either.
    expect(leakedSecrets(log.lines.join('\n'))).toEqual([]);
    const cached = await store.ai.latestFor(engine.diagnose(UNKNOWN_ERROR).fingerprint);
    expect(cached?.promptVersion).toBe(promptKey('en'));
    expect(leakedSecrets(JSON.stringify(cached))).toEqual([]);
    expect(JSON.stringify(cached)).not.toContain(HOST);
    await store.close();
  });

  it('serves a second identical error from the cache: the server sees one request', async () => {
    const { server, store, explainer } = await setup();
    const first = await explainer.explainWithOutcome(input(UNKNOWN_ERROR, 'T001'));
    const second = await explainer.explainWithOutcome(input(UNKNOWN_ERROR, 'T002'));
    expect(first.outcome).toBe('answered');
    expect(second.outcome).toBe('cached');
    expect(second.answer).toMatchObject({ cached: true, cause: first.answer!.cause });
    expect(server.requests).toHaveLength(1);
    // A cache hit costs no budget.
    expect((await store.ai.used('T002', 'day'))).toBe(0);
    // The prompt version and the model are part of the key: another model asks again.
    const other = createOpenAiExplainer({ apiKey: 'sk-test-standin-key', baseUrl: `${server.url}/v1`, model: 'other-model', timeoutMs: TIMEOUT_MS, dailyBudget: 100, ratePerMinute: 100, store: store.ai, catalogue: engine });
    expect((await other.explainWithOutcome(input(UNKNOWN_ERROR))).outcome).toBe('answered');
    expect(server.requests).toHaveLength(2);
    await store.close();
  });

  it('makes one call for the same error pasted twice at once', async () => {
    const { server, store, explainer } = await setup();
    const [a, b] = await Promise.all([explainer.explain(input(UNKNOWN_ERROR, 'T001')), explainer.explain(input(UNKNOWN_ERROR, 'T002'))]);
    expect(a?.cause).toBeTruthy();
    expect(b?.cause).toBe(a?.cause);
    expect(server.requests).toHaveLength(1);
    await store.close();
  });

  it('never calls the model for a confident curated match or for text that is not an error', async () => {
    const { server, store, explainer } = await setup();
    const known = input(faultExample('sqlalchemy/missing-greenlet.yaml', 'pytest failure, the seed case (result resolved through select(User))'));
    expect(known.diagnosis.match?.id).toBe('sqlalchemy.missing-greenlet');
    expect(await explainer.explainWithOutcome(known)).toEqual({ answer: null, outcome: 'skipped' });
    expect(await explainer.explainWithOutcome(input('lunch at 12?'))).toEqual({ answer: null, outcome: 'skipped' });
    expect(server.requests).toHaveLength(0);
    expect((await store.ai.used('T001', 'day'))).toBe(0);
    await store.close();
  });

  it('retries a 500 and answers; gives up after the retries, within the bound', async () => {
    // A deadline roomy enough for three attempts with backoff on a loaded machine: this test
    // is about retrying, not about timing out (the never-answering test covers that).
    const { server, store, explainer } = await setup({ timeoutMs: 8000 });
    server.script({ kind: 'status', status: 500 });
    expect((await within(explainer.explainWithOutcome(input(UNKNOWN_ERROR)), 8000 + 2000)).outcome).toBe('answered');
    expect(server.requests).toHaveLength(2);

    server.script({ kind: 'status', status: 503 }, { kind: 'status', status: 500 }, { kind: 'status', status: 502 });
    const failed = await within(explainer.explainWithOutcome(input(OTHER_UNKNOWN_ERROR)), 8000 + 2000);
    expect(failed).toEqual({ answer: null, outcome: 'failed' });
    // One call and the default two retries.
    expect(server.requests).toHaveLength(5);
    await store.close();
  });

  it("honours a 429's retry-after, and gives up at once when it outlasts the deadline", async () => {
    const { server, store, explainer } = await setup();
    server.script({ kind: 'status', status: 429, headers: { 'retry-after': '1' } });
    expect((await within(explainer.explainWithOutcome(input(UNKNOWN_ERROR)))).outcome).toBe('answered');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(900);

    server.script({ kind: 'status', status: 429, headers: { 'retry-after': '3600' } });
    expect(await within(explainer.explainWithOutcome(input(OTHER_UNKNOWN_ERROR)))).toEqual({ answer: null, outcome: 'rate-limited' });
    expect(server.requests).toHaveLength(3);
    await store.close();
  });

  it('treats malformed, empty, refused or off-schema output as no answer, and caches none of it', async () => {
    const { server, store, explainer } = await setup();
    const cases = [
      { kind: 'garbage' as const },
      { kind: 'content' as const, content: 'The cause is probably the CHECK constraint.' },
      { kind: 'content' as const, content: '' },
      { kind: 'content' as const, content: null, refusal: 'I cannot help with that.' },
      { kind: 'content' as const, content: JSON.stringify({ title: 'x', cause: 'y', library: null, confidence: 0.5, fixes: [] }) },
      { kind: 'content' as const, content: JSON.stringify({ title: 'x', cause: '   ', library: null, confidence: 7, fixes: [{ title: 'a' }] }) },
      { kind: 'answer' as const, body: { cause: 'no fixes, no title' } },
    ];
    for (const reply of cases) {
      server.script(reply);
      const r = await within(explainer.explainWithOutcome(input(UNKNOWN_ERROR)));
      expect(r, JSON.stringify(reply)).toEqual({ answer: null, outcome: 'invalid' });
    }
    expect(server.requests).toHaveLength(cases.length);
    expect((await store.ai.latestFor(engine.diagnose(UNKNOWN_ERROR).fingerprint))).toBeNull();
    // A model that wraps its JSON in a code fence is still understood.
    server.script({ kind: 'content', content: `\`\`\`json\n${JSON.stringify({ title: 'T', cause: 'C', library: 'sqlalchemy', confidence: 0.4, fixes: [{ title: 'F', why: 'W', tradeoff: '', snippet: '', lang: 'Python' }] })}\n\`\`\`` });
    const fenced = await explainer.explainWithOutcome(input(UNKNOWN_ERROR));
    expect(fenced.answer).toMatchObject({ cause: 'C', fixes: [{ title: 'F', lang: 'python' }] });
    await store.close();
  });

  it('gives up on a server that never answers within the timeout, and stays healthy', async () => {
    const { server, store, explainer } = await setup();
    server.script({ kind: 'hang' });
    expect(await within(explainer.explainWithOutcome(input(UNKNOWN_ERROR)))).toEqual({ answer: null, outcome: 'timeout' });
    // The attempt had the whole deadline: there is no time left to retry.
    expect(server.requests).toHaveLength(1);
    // The next paste is answered as usual, and the database is fine.
    const next = await within(explainer.explainWithOutcome(input(OTHER_UNKNOWN_ERROR)));
    expect(next.outcome).toBe('answered');
    expect((await store.ai.used('T001', 'day'))).toBe(2);
    expect(server.requests).toHaveLength(2);
    await store.close();
  });

  it('keeps to the per-workspace rate limit and the daily budget', async () => {
    let now = 10 * DAY + 3_600_000;
    const { server, store, explainer } = await setup({ ratePerMinute: 1, dailyBudget: 2, now: () => now });
    const a = 'T0AAA';
    expect((await explainer.explainWithOutcome(input(UNKNOWN_ERROR, a))).outcome).toBe('answered');
    expect(await explainer.explainWithOutcome(input(OTHER_UNKNOWN_ERROR, a))).toEqual({ answer: null, outcome: 'rate-limited' });
    // Another workspace has its own limits, and a cached answer is free.
    expect((await explainer.explainWithOutcome(input(OTHER_UNKNOWN_ERROR, 'T0BBB'))).outcome).toBe('answered');
    expect((await explainer.explainWithOutcome(input(UNKNOWN_ERROR, a))).outcome).toBe('cached');
    expect(server.requests).toHaveLength(2);

    now += 61_000;
    const third = 'sqlalchemy.exc.InvalidRequestError: Can\'t operate on closed transaction inside context manager.\n';
    const fourth = 'sqlalchemy.exc.ArgumentError: Pool class QueuePool cannot be used with asyncio engine\n';
    expect((await explainer.explainWithOutcome(input(third, a))).outcome).toBe('answered');
    now += 61_000;
    expect(await explainer.explainWithOutcome(input(fourth, a))).toEqual({ answer: null, outcome: 'over-budget' });
    expect(server.requests).toHaveLength(3);
    // The next UTC day starts afresh.
    now += DAY;
    expect((await explainer.explainWithOutcome(input(fourth, a))).outcome).toBe('answered');
    await store.close();
  });

  it('answers in the asker\'s language, cached per language', async () => {
    const { server, store, explainer } = await setup();
    await explainer.explain(input(UNKNOWN_ERROR, 'T001', 'en'));
    await explainer.explain(input(UNKNOWN_ERROR, 'T001', 'ja'));
    expect(server.requests).toHaveLength(2);
    const system = (server.bodies()[1]!.messages as { role: string; content: string }[])[0]!.content;
    expect(system).toContain('Japanese');
    await store.close();
  });

  it('ignores a cache entry it cannot read, and survives a closed database', async () => {
    const { server, store, explainer } = await setup();
    const d = engine.diagnose(UNKNOWN_ERROR);
    await store.ai.put({ fingerprint: d.fingerprint, model: 'stand-in-model', promptVersion: promptKey('en') }, { not: 'an answer' }, DAY);
    expect((await explainer.explainWithOutcome(input(UNKNOWN_ERROR))).outcome).toBe('answered');
    expect(server.requests).toHaveLength(1);
    await store.close();
    expect(await explainer.explainWithOutcome(input(OTHER_UNKNOWN_ERROR))).toEqual({ answer: null, outcome: 'failed' });
  });

  it('is the no-op without OPENAI_API_KEY', async () => {
    const store = openStore({ path: join(tempDir(), 'noop.db') });
    const explainer = createExplainer({ apiKey: null, baseUrl: null, model: DEFAULTS.llmModel, timeoutMs: 20_000, dailyBudget: 10, ratePerMinute: 10 }, { store: store.ai, catalogue: engine });
    expect(explainer.enabled).toBe(false);
    expect(await explainer.explainWithOutcome(input(UNKNOWN_ERROR))).toEqual({ answer: null, outcome: 'disabled' });
    await store.close();
  });
});
