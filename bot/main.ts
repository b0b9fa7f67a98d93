#!/usr/bin/env node
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { App, Logger } from '@slack/bolt';
import { createExplainer } from './ai/create-explainer.js';
import type { Explainer } from './ai/explainer.js';
import { createJsonLogger, createSlackApp, type HealthReport } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { digestCatalogue } from './jobs/digest-catalogue.js';
import { createDigestScheduler, type DigestScheduler } from './jobs/digest-scheduler.js';
import { startRetentionJob } from './jobs/retention.js';
import { describeProblems } from './kb/files.js';
import { createDiagnoser } from './kb/diagnose-pool.js';
import { loadEngineQuick } from './kb/snapshot.js';
import { readWarmUpPastes, warmUp } from './kb/warm-up.js';
import { createInFlight } from './listeners/in-flight.js';
import { createLocaleResolver } from './listeners/locale.js';
import { createRecentDiagnoses } from './listeners/recent-diagnoses.js';
import type { Services } from './listeners/services.js';
import { errorFields, platformError } from './listeners/slack-errors.js';
import { createSnippetReader } from './listeners/snippet-files.js';
import { defaultRedactor } from './redact/redact.js';
import { RedactionRulesError } from './redact/rule-files.js';
import { connectStore } from './store/connect-store.js';
import { StoreUnavailableError } from './store/store-health.js';
import { UserKeyError } from './store/user-key.js';
import { isEntryPoint } from './entry-point.js';

export interface StartOptions {
  /** Interface to listen on in HTTP mode (tests: 127.0.0.1); default all. */
  host?: string;
  logger?: Logger;
  /** The LLM fallback (issue 6); default: none. */
  explainer?: Explainer;
  knowledgeDir?: string;
  /** Digest and retention schedules; tests and benches turn them off. */
  jobs?: boolean;
  /**
   * Diagnoses one example of each fault a few thousand times after the start (kb/warm-up.ts), so
   * the first real pastes are answered at the engine's steady-state speed; default on. Tests that
   * start many bots turn it off.
   */
  warmUp?: boolean;
  now?: () => number;
}

export interface RunningBot {
  app: App;
  services: Services;
  /** The HTTP port actually bound (PORT=0 picks a free one); null in Socket Mode. */
  port: number | null;
  /** Stops taking requests, lets in-flight work finish (up to `graceMs`), then closes the database. */
  stop(graceMs?: number): Promise<void>;
}

/** Thrown when Slack rejects the bot token at start-up; the message says what to do. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** config -> services -> app -> start. */
export async function startBot(config: Config, options: StartOptions = {}): Promise<RunningBot> {
  const log = options.logger ?? createJsonLogger(process.stdout);
  for (const w of config.warnings) log.warn('faultline.config_warning', { warning: w });

  // The redaction rules load now: a broken rule file stops the start with its problems listed,
  // instead of failing the first paste.
  defaultRedactor();
  const { engine, problems } = await loadEngineQuick(options.knowledgeDir);
  if (problems.length) log.warn('faultline.knowledge_problems', { count: problems.length, detail: describeProblems(problems) });

  const store = await connectStore(config.store, { nonBlocking: true, now: options.now, log: (event, fields) => log.warn(`faultline.${event}`, fields) });
  let shuttingDown = false;
  const services: Services = {
    engine,
    diagnoser: createDiagnoser({ engine, knowledgeDir: options.knowledgeDir, log: (event, fields) => log.warn(event, fields) }),
    store,
    // Without OPENAI_API_KEY this is the no-op explainer: unknown errors get the honest no-match answer.
    explainer: options.explainer ?? createExplainer(config.llm, { store: store.ai, catalogue: engine, log, now: options.now }),
    locale: createLocaleResolver({ defaultLang: config.lang, now: options.now, onError: (_user, err) => log.warn('faultline.locale_failed', errorFields(err)) }),
    files: createSnippetReader({ botToken: config.slack.botToken, maxBytes: config.maxFileBytes, apiUrl: config.slack.apiUrl, onError: (file, reason) => log.warn('faultline.file_failed', { file, reason }) }),
    recent: createRecentDiagnoses(),
    inFlight: createInFlight(),
    settings: { defaultLang: config.lang, defaultMode: 'auto', timeZone: config.timeZone, digestCron: config.digest.cron },
    log,
    now: options.now ?? Date.now,
  };
  const health = (): HealthReport => {
    if (shuttingDown) return { ok: false, reason: 'shutting down', inFlight: services.inFlight.size };
    // The store's own probe and every write keep this current (a disk that fills shows here
    // within a probe interval); the bot keeps answering meanwhile.
    const report = store.health();
    return report.ok ? { ok: true, inFlight: services.inFlight.size } : { ok: false, reason: `store: ${report.reason}`, inFlight: services.inFlight.size };
  };

  const app = createSlackApp({ slack: config.slack, services, logger: log, health });
  const stopJobs: (() => void)[] = [];
  try {
    // Verifies the token (auth.test) and learns the bot's ids: fail at start-up with a clear
    // message rather than on the first event.
    await app.init().catch((err: unknown) => {
      const code = platformError(err);
      throw new StartupError(
        code === 'invalid_auth' || code === 'not_authed' || code === 'account_inactive' || code === 'token_revoked'
          ? `Slack rejected SLACK_BOT_TOKEN (${code}): copy the Bot User OAuth Token again under OAuth & Permissions, and reinstall the app if it was uninstalled.`
          : `Cannot reach Slack's Web API${config.slack.apiUrl ? ` at ${config.slack.apiUrl}` : ''} to check the bot token (${code ?? errorFields(err).error}). Check the network (and SLACK_API_URL).`,
      );
    });

    const server = config.slack.socketMode ? null : await app.start({ port: config.slack.port, ...(options.host ? { host: options.host } : {}) });
    if (config.slack.socketMode) await app.start();
    if (server) keepConnectionsLongerThanClients(server as Server);
    const port = server ? (server.address() as AddressInfo).port : null;

    if (options.jobs !== false) {
      const retention = startRetentionJob({ store, retentionDays: config.store.retentionDays, timeZone: config.timeZone, log: (event, fields) => log.info(`faultline.${event}`, fields) });
      stopJobs.push(retention.stop);
      if (config.digest.channel) {
        const digest: DigestScheduler = createDigestScheduler({
          store,
          channel: config.digest.channel,
          cron: config.digest.cron,
          timeZone: config.timeZone,
          lang: config.lang,
          catalogue: digestCatalogue([...engine.index.faults.values()]),
          post: async (channel, blocks, text) => {
            const res = await app.client.chat.postMessage({ channel, blocks, text, unfurl_links: false });
            return { ts: res.ts ?? null };
          },
          log: (event, fields) => log.info(`faultline.${event}`, fields),
        });
        stopJobs.push(() => digest.stop());
        await digest.start();
      }
    }
    log.info('faultline.started', { mode: config.slack.socketMode ? 'socket' : 'http', port, store: store.backend, db: store.location });
    const warming = new AbortController();
    stopJobs.push(() => warming.abort());
    if (options.warmUp !== false) {
      const pastes = readWarmUpPastes([...engine.index.faults.values()]);
      if (pastes.length === 0) {
        log.warn('faultline.warm_up_skipped', { reason: 'no example pastes (run npm run build to write dist/warm-up-pastes.json)' });
      } else {
        void warmUp(engine, pastes, { signal: warming.signal }).then((r) => log.info('faultline.warmed_up', { calls: r.calls, ms: Math.round(r.ms), busyMs: Math.round(r.busyMs), stopped: r.stopped }));
      }
    }

    let stopping: Promise<void> | null = null;
    return {
      app,
      services,
      port,
      stop(graceMs = 10_000) {
        stopping ??= (async () => {
          shuttingDown = true;
          for (const stop of stopJobs) stop();
          await app.stop().catch((err: unknown) => log.warn('faultline.stop_failed', errorFields(err)));
          const drained = await services.inFlight.drain(graceMs);
          if (!drained) log.warn('faultline.shutdown_unfinished', { inFlight: services.inFlight.size });
          await services.diagnoser.close();
          await store.close();
          log.info('faultline.stopped', { drained });
        })();
        return stopping;
      },
    };
  } catch (err) {
    for (const stop of stopJobs) stop();
    await store.close();
    throw err;
  }
}

/**
 * Loads the configuration, starts the bot and runs until SIGTERM or SIGINT, then shuts down
 * cleanly. Resolves to an exit code; a second signal exits at once.
 */
export async function runBot(env: NodeJS.ProcessEnv, io: { stderr: NodeJS.WritableStream }): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`${err.message}\nSee deploy/.env.example for every setting.\n`);
      return 2;
    }
    throw err;
  }
  let bot: RunningBot;
  try {
    bot = await startBot(config);
  } catch (err) {
    if (err instanceof StartupError || err instanceof UserKeyError || err instanceof RedactionRulesError || err instanceof StoreUnavailableError) {
      io.stderr.write(`Faultline cannot start: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  // A bug that escapes every handler is logged and ends the process with 1, after the replies
  // in flight are given a moment, so the supervisor restarts it rather than it limping on.
  const onFatal = (kind: string) => (err: unknown): void => {
    bot.services.log.error('faultline.fatal', { kind, ...errorFields(err) });
    process.exitCode = 1;
    void bot.stop(5_000).finally(() => process.exit(1));
  };
  process.once('unhandledRejection', onFatal('unhandledRejection'));
  process.once('uncaughtException', onFatal('uncaughtException'));
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      bot.services.log.info('faultline.signal', { signal });
      // Someone pressing Ctrl-C twice means now.
      process.once('SIGTERM', () => process.exit(143));
      process.once('SIGINT', () => process.exit(130));
      void bot.stop().then(resolve, resolve);
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
  return 0;
}


if (isEntryPoint(import.meta.url)) {
  runBot(process.env, process).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`faultline: ${(err as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}

/**
 * Node closes an idle keep-alive connection after 5 s. A client (Slack's edge, a load balancer, a
 * test's fetch) that reuses a pooled connection just as the server closes it gets a reset instead
 * of a response: a lost event, and under load this race is common. Keeping idle connections
 * longer than the usual client and balancer idle timeouts (60 s) leaves the closing to the client.
 * Headers must still arrive within a bounded time (slow-header attacks), a little longer than that.
 */
function keepConnectionsLongerThanClients(server: Server): void {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}

