import { Cron } from 'croner';
import { readStoreSettings, type StoreSettings } from './store/settings.js';
import type { Lang } from './triage/types.js';

/**
 * The only reader of the environment. Every setting is parsed and checked here, and every
 * problem is reported at once with the setting's name and where to get the value, so a
 * first start-up fails once with the whole list instead of once per missing variable.
 */

export interface SlackSettings {
  /** SLACK_BOT_TOKEN, `xoxb-...`. */
  botToken: string;
  /** SLACK_SIGNING_SECRET: verifies that HTTP requests come from Slack ('' in Socket Mode without one). */
  signingSecret: string;
  /** SLACK_APP_TOKEN, `xapp-...`: when set, the app connects over Socket Mode instead of HTTP. */
  appToken: string | null;
  socketMode: boolean;
  /** SLACK_API_URL: the Web API base URL, ending in `/` (tests, non-standard Slack hosts). */
  apiUrl: string | null;
  /** PORT: HTTP mode's listener (and `/healthz` in Socket Mode). */
  port: number;
}

export interface LlmSettings {
  /** OPENAI_API_KEY; null turns the LLM fallback off. */
  apiKey: string | null;
  /** OPENAI_BASE_URL: any OpenAI-compatible server. */
  baseUrl: string | null;
  model: string;
  timeoutMs: number;
  /** Calls per workspace per day. */
  dailyBudget: number;
  /** Calls per workspace per minute. */
  ratePerMinute: number;
}

export interface DigestSettings {
  /** FAULTLINE_DIGEST_CHANNEL: a channel id (`C0123ABCD`); null means no weekly post. */
  channel: string | null;
  /** FAULTLINE_DIGEST_CRON, read in `timeZone`. */
  cron: string;
}

export interface CoreConfig {
  store: StoreSettings;
  /** FAULTLINE_LANG: replies for users whose Slack locale is not Japanese or not known. */
  lang: Lang;
  /** FAULTLINE_TZ: IANA zone for the digest schedule and its week boundaries. */
  timeZone: string;
  digest: DigestSettings;
  /** FAULTLINE_MAX_FILE_BYTES: text-snippet files larger than this are not downloaded. */
  maxFileBytes: number;
  llm: LlmSettings;
  /** Not fatal, shown at start-up: unknown FAULTLINE_* variables (typos) and similar. */
  warnings: string[];
}

export interface Config extends CoreConfig {
  slack: SlackSettings;
}

export const DEFAULTS = {
  port: 3000,
  lang: 'en' as Lang,
  timeZone: 'UTC',
  digestCron: '0 9 * * 1',
  maxFileBytes: 1024 * 1024,
  llmModel: 'gpt-4o-mini',
  llmTimeoutMs: 20_000,
  llmDailyBudget: 200,
  llmRatePerMinute: 10,
} as const;

/** Every variable Faultline reads; anything else starting with FAULTLINE_ is probably a typo. */
export const KNOWN_SETTINGS = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SLACK_API_URL',
  'PORT',
  'FAULTLINE_DB',
  'DATABASE_URL',
  'FAULTLINE_LANG',
  'FAULTLINE_TZ',
  'FAULTLINE_DIGEST_CHANNEL',
  'FAULTLINE_DIGEST_CRON',
  'FAULTLINE_RETENTION_DAYS',
  'FAULTLINE_MAX_FILE_BYTES',
  'FAULTLINE_USER_KEY',
  'FAULTLINE_USER_KEY_FILE',
  'FAULTLINE_USER_SALT',
  'FAULTLINE_STORE_USER_IDS',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'FAULTLINE_LLM_MODEL',
  'FAULTLINE_LLM_TIMEOUT_MS',
  'FAULTLINE_LLM_DAILY_BUDGET',
  'FAULTLINE_LLM_RATE_PER_MINUTE',
  // Read by the benchmark runner, not by the app.
  'FAULTLINE_BENCH_QUICK',
] as const;

/** Thrown when settings are missing or malformed; `problems` has one line per setting. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Faultline cannot start: ${problems.length} setting problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export interface LoadConfigOptions {
  /** Require the Slack settings (`serve`); CLI commands pass false and work without them. */
  slack?: boolean;
  /** Base for a relative FAULTLINE_DB. */
  cwd?: string;
}

type Env = NodeJS.ProcessEnv;

export function loadConfig(env?: Env, options?: LoadConfigOptions & { slack?: true }): Config;
export function loadConfig(env: Env, options: LoadConfigOptions & { slack: false }): CoreConfig;
export function loadConfig(env: Env = process.env, options: LoadConfigOptions = {}): Config | CoreConfig {
  const problems: string[] = [];
  // `FOO=` in an .env file means "not set", not "set to nothing".
  const get = (name: string): string | null => {
    const v = env[name]?.trim();
    return v ? v : null;
  };

  const store = readStoreSettings(env, options.cwd ?? process.cwd());
  problems.push(...store.problems);

  const rawLang = get('FAULTLINE_LANG');
  let lang: Lang = DEFAULTS.lang;
  if (rawLang) {
    const l = rawLang.toLowerCase().replace('_', '-');
    if (l === 'en' || l.startsWith('en-')) lang = 'en';
    else if (l === 'ja' || l.startsWith('ja-')) lang = 'ja';
    else problems.push(`FAULTLINE_LANG must be 'en' or 'ja' (got '${rawLang}').`);
  }

  const timeZone = get('FAULTLINE_TZ') ?? DEFAULTS.timeZone;
  if (!isTimeZone(timeZone)) problems.push(`FAULTLINE_TZ must be an IANA time zone such as 'Asia/Tokyo' or 'Europe/Berlin' (got '${timeZone}').`);

  const digestChannel = get('FAULTLINE_DIGEST_CHANNEL');
  if (digestChannel && !/^[CG][A-Z0-9]{6,20}$/.test(digestChannel)) {
    problems.push(`FAULTLINE_DIGEST_CHANNEL must be a channel id such as C0123ABCD (got '${digestChannel}'): open the channel's details in Slack, the id is at the bottom of the About tab. Invite the bot to that channel.`);
  }
  const cron = get('FAULTLINE_DIGEST_CRON') ?? DEFAULTS.digestCron;
  const cronProblem = checkCron(cron, isTimeZone(timeZone) ? timeZone : 'UTC');
  if (cronProblem) problems.push(`FAULTLINE_DIGEST_CRON is not a valid cron expression ('${cron}': ${cronProblem}); the default '${DEFAULTS.digestCron}' is Monday 09:00.`);

  const int = (name: string, fallback: number, min: number, max: number, hint: string): number => {
    const raw = get(name);
    if (raw === null) return fallback;
    if (!/^\d{1,10}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got '${raw}'); ${hint}.`);
      return fallback;
    }
    return Number(raw);
  };
  const maxFileBytes = int('FAULTLINE_MAX_FILE_BYTES', DEFAULTS.maxFileBytes, 1024, 50 * 1024 * 1024, `the largest text-snippet file to download, default ${DEFAULTS.maxFileBytes}`);

  const llmBaseUrl = get('OPENAI_BASE_URL');
  if (llmBaseUrl && !isHttpUrl(llmBaseUrl)) problems.push(`OPENAI_BASE_URL must be an http(s) URL such as https://api.openai.com/v1 (got '${llmBaseUrl}').`);
  const llmKey = get('OPENAI_API_KEY');
  if (llmKey && /\s/.test(llmKey)) problems.push('OPENAI_API_KEY contains whitespace; copy the key again from your provider (https://platform.openai.com/api-keys for OpenAI).');
  const llm: LlmSettings = {
    apiKey: llmKey,
    baseUrl: llmBaseUrl,
    model: get('FAULTLINE_LLM_MODEL') ?? DEFAULTS.llmModel,
    timeoutMs: int('FAULTLINE_LLM_TIMEOUT_MS', DEFAULTS.llmTimeoutMs, 1000, 600_000, `milliseconds, default ${DEFAULTS.llmTimeoutMs}`),
    dailyBudget: int('FAULTLINE_LLM_DAILY_BUDGET', DEFAULTS.llmDailyBudget, 0, 1_000_000, `LLM calls per workspace per day, default ${DEFAULTS.llmDailyBudget}`),
    ratePerMinute: int('FAULTLINE_LLM_RATE_PER_MINUTE', DEFAULTS.llmRatePerMinute, 0, 10_000, `LLM calls per workspace per minute, default ${DEFAULTS.llmRatePerMinute}`),
  };

  let slack: SlackSettings | null = null;
  if (options.slack !== false) {
    const botToken = get('SLACK_BOT_TOKEN');
    if (!botToken) problems.push('SLACK_BOT_TOKEN is missing: install the app to your workspace, then copy the Bot User OAuth Token (xoxb-...) under OAuth & Permissions.');
    else if (!botToken.startsWith('xoxb-')) problems.push(`SLACK_BOT_TOKEN must be a bot token starting with xoxb- (this one starts with '${tokenPrefix(botToken)}'): copy the Bot User OAuth Token under OAuth & Permissions, not a user or app-level token.`);

    const appToken = get('SLACK_APP_TOKEN');
    if (appToken && !appToken.startsWith('xapp-')) problems.push(`SLACK_APP_TOKEN must be an app-level token starting with xapp- (this one starts with '${tokenPrefix(appToken)}'): create one under Basic Information > App-Level Tokens with the connections:write scope, or unset it to use HTTP mode.`);

    const signingSecret = get('SLACK_SIGNING_SECRET');
    // Socket Mode receives over a websocket opened with the app token: nothing to verify.
    if (!signingSecret) {
      if (!appToken) problems.push('SLACK_SIGNING_SECRET is missing: find it under Basic Information > App Credentials > Signing Secret.');
    } else if (/^xox|^xapp-/.test(signingSecret)) problems.push('SLACK_SIGNING_SECRET holds a token, not the signing secret: copy Basic Information > App Credentials > Signing Secret.');
    else if (!/^[A-Za-z0-9]{16,128}$/.test(signingSecret)) problems.push('SLACK_SIGNING_SECRET does not look like a signing secret (letters and digits, usually 32): copy it again from Basic Information > App Credentials.');

    let apiUrl = get('SLACK_API_URL');
    if (apiUrl && !isHttpUrl(apiUrl)) {
      problems.push(`SLACK_API_URL must be an http(s) URL such as https://slack.com/api/ (got '${apiUrl}'); unset it to use Slack's.`);
      apiUrl = null;
    } else if (apiUrl && !apiUrl.endsWith('/')) {
      apiUrl = `${apiUrl}/`;
    }

    slack = {
      botToken: botToken ?? '',
      signingSecret: signingSecret ?? '',
      appToken,
      socketMode: appToken !== null,
      apiUrl,
      port: int('PORT', DEFAULTS.port, 0, 65_535, `the HTTP port, default ${DEFAULTS.port}`),
    };
  }

  if (problems.length) throw new ConfigError(problems);

  const core: CoreConfig = {
    store: store.settings,
    lang,
    timeZone,
    digest: { channel: digestChannel, cron },
    maxFileBytes,
    llm,
    warnings: unknownSettings(env),
  };
  return slack ? { ...core, slack } : core;
}

function tokenPrefix(token: string): string {
  // Enough to tell the kind of token apart, never enough to leak it.
  return `${token.slice(0, Math.min(5, token.indexOf('-') + 1 || 4))}...`;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function checkCron(pattern: string, timezone: string): string | null {
  try {
    const job = new Cron(pattern, { paused: true, timezone });
    const next = job.nextRun();
    job.stop();
    return next ? null : 'it never fires';
  } catch (err) {
    return (err as Error).message.replace(/^CronPattern:\s*/, '');
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function unknownSettings(env: Env): string[] {
  const known = new Set<string>(KNOWN_SETTINGS);
  return Object.keys(env)
    .filter((name) => name.startsWith('FAULTLINE_') && !known.has(name))
    .sort()
    .map((name) => {
      const near = closest(name, KNOWN_SETTINGS);
      return `${name} is not a Faultline setting and is ignored${near ? `; did you mean ${near}?` : ''}`;
    });
}

function closest(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(3, Math.floor(name.length / 4)) ? best : null;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
