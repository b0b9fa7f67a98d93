import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { App, HTTPReceiver, LogLevel, type CustomRoute, type Logger } from '@slack/bolt';
import { createRequestGate } from './http/request-gate.js';
import type { SlackSettings } from './config.js';
import { registerListeners } from './listeners/index.js';
import { createRedactingFetch } from './redact/redacting-fetch.js';
import { redactDeep } from './redact/redact.js';
import type { Services } from './listeners/services.js';
import { errorFields } from './listeners/slack-errors.js';

export interface HealthReport {
  ok: boolean;
  /** Why not, for the operator: `shutting down`, `database unavailable`. */
  reason?: string;
  inFlight: number;
}

export interface SlackAppOptions {
  slack: SlackSettings;
  services: Services;
  logger: Logger;
  /** GET /healthz; 200 when ok, 503 otherwise. */
  health: () => HealthReport;
}

/**
 * The Bolt app: HTTP receiver on `/slack/events` (or Socket Mode when an app token is set),
 * `GET /healthz`, Slack's Web API at `slack.apiUrl`, the listeners, and one error backstop.
 */
export function createSlackApp(options: SlackAppOptions): App {
  const { slack, services, logger } = options;
  const customRoutes = [{ path: '/healthz', method: ['GET'], handler: (_req: IncomingMessage, res: ServerResponse) => writeHealth(res, options.health()) }];
  const app = new App({
    token: slack.botToken,
    ...(slack.socketMode
      ? { socketMode: true, appToken: slack.appToken ?? undefined, port: slack.port, customRoutes }
      : { receiver: createGatedReceiver(slack, customRoutes, logger) }),
    clientOptions: {
      ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
      // Slack's default is ten retries over about thirty minutes: far too long for a reply
      // someone is waiting for. Rate limits (429) are still honoured with Retry-After.
      retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2000 },
      timeout: 15_000,
      // Every Web API call, respond() and upload body passes the redactor on its way out.
      fetch: createRedactingFetch(),
    },
    logger,
    // The conversation store is an unbounded in-memory map nobody here uses.
    convoStore: false,
    // Otherwise the constructor fires auth.test itself and a rejected token becomes an
    // unhandled rejection; startBot awaits app.init() and explains the failure instead.
    deferInitialization: true,
    extendedErrorHandler: true,
  });

  // Tracks every listener run, so shutdown can wait for replies still being written.
  app.use(async ({ next }) => {
    await services.inFlight.track(next());
  });

  // Slack redelivers an event it thinks failed (X-Slack-Retry-Num) with the same event_id.
  // Bolt has already acknowledged it by now, so the retry is answered at once; the id, kept
  // in the database, makes sure it never produces a second reply, even across a restart.
  app.use(async ({ body, context, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && !(await services.store.slack.markEventSeen(eventId))) {
      logger.info('faultline.duplicate_event', { event: eventId, retry: context.retryNum ?? 0, reason: context.retryReason ?? null });
      return;
    }
    await next();
  });

  registerListeners(app, services);

  // The overloads' last signature is the extended one (extendedErrorHandler: true above).
  const backstop: Parameters<App['error']>[0] = async ({ error, body, context }) => {
    const b = (body ?? {}) as { type?: string; event_id?: string; event?: { type?: string } };
    const original = (error as { original?: unknown }).original ?? error;
    logger.error('faultline.unhandled', { code: error.code, type: b.type ?? null, event: b.event?.type ?? null, eventId: b.event_id ?? null, team: context?.teamId ?? null, ...errorFields(original) });
  };
  app.error(backstop);

  return app;
}

/** Bolt's HTTP receiver behind the request gate (bot/http/request-gate.ts). */
function createGatedReceiver(slack: SlackSettings, customRoutes: CustomRoute[], logger: Logger): HTTPReceiver {
  const endpoints = ['/slack/events'];
  const receiver = new HTTPReceiver({ signingSecret: slack.signingSecret, endpoints, port: slack.port, customRoutes, logger });
  receiver.requestListener = createRequestGate(receiver.requestListener, {
    signingSecret: slack.signingSecret,
    endpoints,
    maxBodyBytes: MAX_SLACK_BODY_BYTES,
    windowSeconds: 300,
    onReject: (reason, req) => logger.warn('faultline.request_refused', { reason, bytes: Number(req.headers['content-length'] ?? 0) || null, retry: req.headers['x-slack-retry-num'] ?? null }),
  });
  return receiver;
}

// A Slack message holds at most 40,000 characters; its event, with blocks and escaping, stays
// well under this. Anything larger is not from Slack.
const MAX_SLACK_BODY_BYTES = 1024 * 1024;

function writeHealth(res: ServerResponse, report: HealthReport): void {
  res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(report));
}

const SEVERITY: Record<LogLevel, number> = { [LogLevel.DEBUG]: 10, [LogLevel.INFO]: 20, [LogLevel.WARN]: 30, [LogLevel.ERROR]: 40 };

/**
 * One JSON object per line: `{"t":..., "level":"info", "msg":"faultline.replied", ...fields}`.
 * Bolt and the Web API client log through it too. Callers pass ids, fingerprints and timings.
 */
export function createJsonLogger(out: Writable, level: LogLevel = LogLevel.INFO): Logger {
  let current = level;
  let name = 'faultline';
  const write = (lvl: LogLevel, args: unknown[]) => {
    if (SEVERITY[lvl] < SEVERITY[current]) return;
    const entry: Record<string, unknown> = { t: new Date().toISOString(), level: lvl, name };
    const words: string[] = [];
    for (const a of args) {
      if (a instanceof Error) Object.assign(entry, errorFields(a));
      else if (a && typeof a === 'object') Object.assign(entry, a);
      else words.push(String(a));
    }
    entry.msg = words.join(' ');
    // Callers log ids, but Bolt and the Web API client log what they are given (an error's
    // message can echo a request): every line passes the redactor before it is written.
    out.write(`${JSON.stringify(redactDeep(entry))}\n`);
  };
  return {
    debug: (...a) => write(LogLevel.DEBUG, a),
    info: (...a) => write(LogLevel.INFO, a),
    warn: (...a) => write(LogLevel.WARN, a),
    error: (...a) => write(LogLevel.ERROR, a),
    setLevel: (l) => {
      current = l;
    },
    getLevel: () => current,
    setName: (n) => {
      name = n;
    },
  };
}
