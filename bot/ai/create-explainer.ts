import type { LlmSettings } from '../config.js';
import type { AiStore } from '../store/ai-cache.js';
import type { Engine } from '../triage/diagnose.js';
import { noopExplainer, type FallbackExplainer } from './explainer.js';
import { createOpenAiExplainer, type AiLog } from './openai-explainer.js';

export interface ExplainerDeps {
  store: AiStore;
  catalogue: Pick<Engine, 'fault' | 'index'>;
  log?: AiLog;
  now?: () => number;
  fetch?: typeof fetch;
}

/** The explainer the settings ask for: the OpenAI-compatible one, or the no-op without a key. */
export function createExplainer(settings: LlmSettings, deps: ExplainerDeps): FallbackExplainer {
  if (!settings.apiKey) return noopExplainer;
  return createOpenAiExplainer({
    apiKey: settings.apiKey,
    baseUrl: settings.baseUrl,
    model: settings.model,
    timeoutMs: settings.timeoutMs,
    dailyBudget: settings.dailyBudget,
    ratePerMinute: settings.ratePerMinute,
    ...deps,
  });
}
