import { createRedactingFetch } from '../redact/redacting-fetch.js';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import type { AiStore, AiCacheKey } from '../store/ai-cache.js';
import type { Engine } from '../triage/diagnose.js';
import type { Diagnosis } from '../triage/types.js';
import { ANSWER_JSON_SCHEMA, cachedAnswerSchema, parseModelAnswer, type CachedAnswerEntry, type ModelAnswer } from './answer-schema.js';
import type { AiAnswer, ExplainInput, ExplainOutcome, ExplainResult, FallbackExplainer } from './explainer.js';
import { buildPrompt, promptKey, type BuiltPrompt, type GroundingFault } from './prompt.js';

export const DEFAULT_MAX_RETRIES = 2;
/** Long enough that the weekly digest's answers can still be turned into drafts. */
export const DEFAULT_CACHE_TTL_MS = 14 * 86_400_000;
/** Nearest curated faults sent as grounding, at most. */
export const MAX_GROUNDING = 5;
/** The CLI has no workspace; its calls count against this budget key. */
export const CLI_WORKSPACE = 'cli';
/** The hard stop beyond the deadline, should a request ignore its abort signal. */
const DEADLINE_GRACE_MS = 1000;

/** Structured log lines: ids, fingerprints, statuses and timings, never text. Bolt's Logger fits. */
export interface AiLog {
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
}

export interface OpenAiExplainerOptions {
  apiKey: string;
  /** Any OpenAI-compatible server (`http://127.0.0.1:11434/v1` for Ollama); null for OpenAI. */
  baseUrl: string | null;
  model: string;
  /** The whole explanation, retries included, ends by then; the user gets the no-match answer. */
  timeoutMs: number;
  /** Calls per workspace per UTC day; 0 switches the calls off. */
  dailyBudget: number;
  /** Calls per workspace per minute. */
  ratePerMinute: number;
  /** Retries after 408/409/429/5xx or a dropped connection, while the deadline allows. */
  maxRetries?: number;
  cacheTtlMs?: number;
  store: AiStore;
  /** The curated faults, for grounding: the nearest ones go into the prompt. */
  catalogue: Pick<Engine, 'fault' | 'index'>;
  log?: AiLog;
  /** Clock for the cache and the budget buckets (tests); deadlines use real time. */
  now?: () => number;
  /** The HTTP client's fetch (tests, proxies). */
  fetch?: typeof fetch;
}

type ModelResult = { answer: ModelAnswer; outcome: 'answered' } | { answer: null; outcome: ExplainOutcome };

class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
}

const RETRYABLE_STATUS = new Set([408, 409, 429]);

/** How long to wait before retrying `err`, or null when it is not worth retrying. */
export function retryDelayMs(err: unknown, attempt: number): number | null {
  // Our own deadline or a timed-out attempt: the time is gone, retrying cannot help.
  if (err instanceof OpenAI.APIUserAbortError || err instanceof OpenAI.APIConnectionTimeoutError) return null;
  const backoff = Math.min(500 * 2 ** attempt, 4000) * (1 - Math.random() * 0.25);
  if (err instanceof OpenAI.APIConnectionError) return backoff;
  if (!(err instanceof OpenAI.APIError) || err.status === undefined) return null;
  if (!RETRYABLE_STATUS.has(err.status) && err.status < 500) return null;
  return retryAfterMs(err.headers) ?? backoff;
}

/** `retry-after-ms` (OpenAI), `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, nowMs = Date.now()): number | null {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers?.get('retry-after')?.trim();
  if (!raw) return null;
  if (/^\d+(?:\.\d+)?$/.test(raw)) return Number(raw) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

function outcomeOf(err: unknown): { outcome: ExplainOutcome; status: number | null; error: string } {
  const name = err instanceof Error ? err.name : typeof err;
  if (err instanceof DeadlineExceeded || err instanceof OpenAI.APIUserAbortError || err instanceof OpenAI.APIConnectionTimeoutError) return { outcome: 'timeout', status: null, error: name };
  if (err instanceof OpenAI.APIError) {
    const status = err.status ?? null;
    return { outcome: status === 429 ? 'rate-limited' : 'failed', status, error: name };
  }
  // A 200 whose body is not JSON: the client's parser throws.
  if (err instanceof SyntaxError) return { outcome: 'invalid', status: null, error: name };
  return { outcome: 'failed', status: null, error: name };
}

/** The model's text, with this paste's hosts and paths put back (never secrets). */
function toAnswer(a: ModelAnswer, restore: BuiltPrompt['restore'], model: string, cached: boolean): AiAnswer {
  return {
    title: restore(a.title),
    cause: restore(a.cause),
    fixes: a.fixes.map((f) => ({ title: restore(f.title), why: restore(f.why), tradeoff: restore(f.tradeoff), snippet: restore(f.snippet), lang: f.lang })),
    confidence: a.confidence,
    library: a.library,
    model,
    cached,
  };
}

/** The message content of a chat completion, whatever the server sent back. */
function contentOf(completion: unknown): { content: string | null; refusal: boolean } {
  const choice = (completion as { choices?: { message?: { content?: unknown; refusal?: unknown } }[] } | null)?.choices?.[0];
  const content = choice?.message?.content;
  return { content: typeof content === 'string' ? content : null, refusal: Boolean(choice?.message?.refusal) };
}

/**
 * The LLM fallback over any OpenAI-compatible chat completions API: grounded in the nearest
 * curated faults, fed masked text only, answered in a validated JSON shape, cached by
 * fingerprint + model + prompt version, and bounded by a deadline, retries within it, a
 * per-workspace rate limit and a daily budget. Every path ends in an answer or null.
 */
export function createOpenAiExplainer(options: OpenAiExplainerOptions): FallbackExplainer {
  const { model, store, catalogue, log } = options;
  const now = options.now ?? Date.now;
  const maxRetries = Math.max(0, options.maxRetries ?? DEFAULT_MAX_RETRIES);
  const ttl = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseUrl ?? undefined,
    timeout: options.timeoutMs,
    // Retries are ours: the client's sleep ignores the abort signal and its retry-after has no
    // upper bound, so a `retry-after: 3600` would hold a reply (and the CLI's exit) for an hour.
    maxRetries: 0,
    // The client's debug log prints request bodies.
    logLevel: 'off',
    // The prompt is built from redacted, masked text; the request body is redacted once more
    // on its way out, whatever a future prompt change puts into it.
    fetch: createRedactingFetch(options.fetch ?? globalThis.fetch),
  });
  // Concurrent pastes of the same error share one call.
  const inFlight = new Map<string, Promise<ModelResult>>();

  const grounding = (d: Diagnosis): GroundingFault[] => {
    const out: GroundingFault[] = [];
    const add = (id: string, confidence: number | null) => {
      const f = catalogue.fault(id);
      if (f && !out.some((g) => g.id === id)) out.push({ id, title: f.title.en, summary: f.summary.en, library: f.library, confidence });
    };
    for (const a of d.alternatives) if (out.length < MAX_GROUNDING) add(a.id, a.confidence);
    // Nothing near enough by signature or phrase: the catalogue's keyword search still tells
    // the model what the neighbourhood looks like.
    if (out.length < 3 && d.error) {
      const words = `${d.error.type.split('.').pop() ?? ''} ${d.error.message}`.trim();
      for (const hit of catalogue.index.search(words, 3)) if (out.length < 3) add(hit.fault.id, null);
    }
    return out;
  };

  const readCache = async (key: AiCacheKey): Promise<CachedAnswerEntry | null> => {
    const hit = await store.get(key, now());
    if (!hit) return null;
    const parsed = cachedAnswerSchema.safeParse(hit.value);
    return parsed.success ? parsed.data : null;
  };

  /** Null when the workspace may call now (and the call is counted), else the bound that tripped. */
  const takeBudget = async (workspace: string): Promise<ExplainOutcome | null> => {
    const at = now();
    if ((await store.used(workspace, 'day', at)) >= options.dailyBudget) return 'over-budget';
    if (!(await store.consume(workspace, 'minute', options.ratePerMinute, at)).allowed) return 'rate-limited';
    if (!(await store.consume(workspace, 'day', options.dailyBudget, at)).allowed) return 'over-budget';
    return null;
  };

  const callModel = async (prompt: BuiltPrompt, key: AiCacheKey, input: ExplainInput, nearest: string[]): Promise<ModelResult> => {
    const started = Date.now();
    const deadlineAt = started + options.timeoutMs;
    const deadline = AbortSignal.timeout(options.timeoutMs);
    let attempts = 0;
    const fields = () => ({ fp: key.fingerprint, model, prompt: key.promptVersion, attempts, ms: Date.now() - started });
    try {
      let completion: unknown;
      for (let attempt = 0; ; attempt++) {
        attempts = attempt + 1;
        try {
          completion = await client.chat.completions.create(
            {
              model,
              messages: prompt.messages,
              response_format: { type: 'json_schema', json_schema: { name: 'faultline_diagnosis', strict: true, schema: ANSWER_JSON_SCHEMA as unknown as Record<string, unknown> } },
            },
            { signal: deadline, timeout: Math.max(1, deadlineAt - Date.now()), maxRetries: 0 },
          );
          break;
        } catch (err) {
          if (deadline.aborted) throw new DeadlineExceeded('deadline');
          const delay = attempt < maxRetries ? retryDelayMs(err, attempt) : null;
          // Waiting longer than the time left only delays the no-match answer.
          if (delay === null || delay >= deadlineAt - Date.now() - 50) throw err;
          log?.info('faultline.ai_retry', { ...fields(), status: err instanceof OpenAI.APIError ? (err.status ?? null) : null, waitMs: Math.round(delay) });
          await sleep(delay, undefined, { signal: deadline }).catch(() => {
            throw new DeadlineExceeded('deadline');
          });
        }
      }
      const { content, refusal } = contentOf(completion);
      const answer = refusal ? null : parseModelAnswer(content);
      if (!answer) {
        log?.warn('faultline.ai_invalid_answer', { ...fields(), refusal, chars: content?.length ?? 0 });
        return { answer: null, outcome: 'invalid' };
      }
      const entry: CachedAnswerEntry = {
        v: 1,
        answer,
        lang: input.lang,
        error: prompt.error,
        names: { models: input.diagnosis.entities.models, attributes: input.diagnosis.entities.attributes, tables: input.diagnosis.entities.tables, fields: input.diagnosis.entities.fields },
        nearest,
        example: prompt.example,
      };
      await store.put(key, entry, ttl, now());
      log?.info('faultline.ai_answered', { ...fields(), confidence: answer.confidence, fixes: answer.fixes.length });
      return { answer, outcome: 'answered' };
    } catch (err) {
      const o = outcomeOf(err);
      log?.warn('faultline.ai_failed', { ...fields(), outcome: o.outcome, status: o.status, error: o.error });
      return { answer: null, outcome: o.outcome };
    }
  };

  /** callModel with a hard stop, for a request that somehow ignores its abort signal. */
  const callWithin = (prompt: BuiltPrompt, key: AiCacheKey, input: ExplainInput, nearest: string[]): Promise<ModelResult> => {
    let timer: NodeJS.Timeout | undefined;
    const stop = new Promise<ModelResult>((resolve) => {
      timer = setTimeout(() => resolve({ answer: null, outcome: 'timeout' }), options.timeoutMs + DEADLINE_GRACE_MS);
      timer.unref();
    });
    return Promise.race([callModel(prompt, key, input, nearest), stop]).finally(() => clearTimeout(timer));
  };

  const explainWithOutcome = async (input: ExplainInput): Promise<ExplainResult> => {
    const d = input.diagnosis;
    try {
      // A confident curated answer, or chat that is not an error, never reaches the model.
      if (d.match || !d.looksLikeError) return { answer: null, outcome: 'skipped' };
      const key: AiCacheKey = { fingerprint: d.fingerprint, model, promptVersion: promptKey(input.lang) };
      const nearest = grounding(d);
      const prompt = buildPrompt(input, nearest);

      const hit = await readCache(key);
      if (hit) {
        log?.info('faultline.ai_cached', { fp: key.fingerprint, model, prompt: key.promptVersion });
        return { answer: toAnswer(hit.answer, prompt.restore, model, true), outcome: 'cached' };
      }
      if (prompt.unsafe) {
        log?.warn('faultline.ai_refused_unmasked', { fp: key.fingerprint });
        return { answer: null, outcome: 'failed' };
      }

      const flightKey = `${key.fingerprint}\n${key.model}\n${key.promptVersion}`;
      let flight = inFlight.get(flightKey);
      if (!flight) {
        const workspace = input.workspace || CLI_WORKSPACE;
        // The flight is registered before the budget is read (an await), so a second paste of
        // the same error arriving meanwhile joins it instead of paying for its own call.
        const started = (async (): Promise<ModelResult | ExplainOutcome> => {
          const bound = await takeBudget(workspace);
          if (bound) return bound;
          return callWithin(prompt, key, input, nearest.map((g) => g.id));
        })();
        flight = started.then((r) => (typeof r === 'string' ? { answer: null, outcome: r } : r));
        inFlight.set(flightKey, flight);
        void flight.finally(() => inFlight.delete(flightKey));
        const first = await started;
        if (typeof first === 'string') {
          log?.info('faultline.ai_bound', { fp: key.fingerprint, workspace, outcome: first });
          return { answer: null, outcome: first };
        }
      }
      const result = await flight;
      return result.answer ? { answer: toAnswer(result.answer, prompt.restore, model, false), outcome: 'answered' } : { answer: null, outcome: result.outcome };
    } catch (err) {
      // A broken store or a bug here must not cost the user their answer.
      log?.warn('faultline.ai_error', { fp: d.fingerprint, error: err instanceof Error ? err.name : typeof err });
      return { answer: null, outcome: 'failed' };
    }
  };

  return {
    enabled: true,
    explainWithOutcome,
    explain: async (input) => (await explainWithOutcome(input)).answer,
  };
}
