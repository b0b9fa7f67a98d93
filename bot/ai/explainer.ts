import type { Diagnosis, Lang } from '../triage/types.js';

/**
 * The seam the LLM fallback plugs into (issue 6). The Slack flow and the CLI call it only when
 * the curated engine has no confident match; everything behind it (masking, prompt, cache,
 * budget, timeout) is the implementation's business.
 */

export interface ExplainInput {
  /** The text as pasted. Implementations must redact/mask it before it leaves the process. */
  text: string;
  /** The engine's diagnosis without a match: nearest faults, extracted names, the error. */
  diagnosis: Diagnosis;
  lang: Lang;
  /** Slack team id (budgets and rate limits are per workspace); null from the CLI. */
  workspace: string | null;
}

export interface AiFix {
  title: string;
  why: string;
  tradeoff: string;
  snippet: string;
  /** Snippet language for the code block (`python`, `sql`, `text`). */
  lang: string;
}

export interface AiAnswer {
  cause: string;
  fixes: AiFix[];
  /** 0..1 as the model reports it; shown, never used to pass for curated. */
  confidence: number;
  library: string | null;
  model: string;
  /** A short name for the error, as a catalogue title would be (`knowledge draft` uses it). */
  title?: string;
  /** True when the answer came from the cache (no call was made). */
  cached?: boolean;
}

export interface Explainer {
  /** False when no model is configured: callers skip the "looking into it" step entirely. */
  readonly enabled: boolean;
  /** The model's answer, or null when it has none, failed, timed out or is over budget. Never throws. */
  explain(input: ExplainInput): Promise<AiAnswer | null>;
}

/**
 * Why there is (or is not) an answer. Callers that speak to a person (the CLI) say which bound
 * tripped; the Slack flow only needs "answer or not".
 */
export type ExplainOutcome =
  | 'answered'
  | 'cached'
  /** No model configured (OPENAI_API_KEY unset). */
  | 'disabled'
  /** A curated match, or text that is not an error: the model is never asked. */
  | 'skipped'
  /** The workspace's per-minute limit, or the server's own 429 outlasting the deadline. */
  | 'rate-limited'
  /** The workspace's daily budget of calls is used up. */
  | 'over-budget'
  | 'timeout'
  /** The server refused or failed (4xx/5xx after retries, connection refused). */
  | 'failed'
  /** The server answered, but not with a usable answer (malformed JSON, schema violation, empty, refusal). */
  | 'invalid';

export interface ExplainResult {
  answer: AiAnswer | null;
  outcome: ExplainOutcome;
}

/** What `createExplainer` returns: the Explainer plus the reason behind a missing answer. */
export interface FallbackExplainer extends Explainer {
  explainWithOutcome(input: ExplainInput): Promise<ExplainResult>;
}

/** No model configured: never answers. The CLI says how to switch the fallback on. */
export const noopExplainer: FallbackExplainer = {
  enabled: false,
  explain: async () => null,
  explainWithOutcome: async () => ({ answer: null, outcome: 'disabled' }),
};
