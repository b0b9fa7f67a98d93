import type { Logger } from '@slack/bolt';
import type { Explainer } from '../ai/explainer.js';
import type { Store } from '../store/store.js';
import type { ChannelMode } from '../store/slack-state.js';
import type { Diagnoser } from '../kb/diagnose-pool.js';
import type { Engine } from '../triage/diagnose.js';
import type { Lang } from '../triage/types.js';
import type { InFlight } from './in-flight.js';
import type { LocaleResolver } from './locale.js';
import type { RecentDiagnoses } from './recent-diagnoses.js';
import type { SnippetReader } from './snippet-files.js';

/** What every listener is created with. Built once in main.ts; tests build their own. */
export interface Services {
  engine: Engine;
  /** Every paste is diagnosed through this: large ones off the event loop. */
  diagnoser: Diagnoser;
  store: Store;
  explainer: Explainer;
  locale: LocaleResolver;
  files: SnippetReader;
  recent: RecentDiagnoses;
  /** Work in progress, so SIGTERM can wait for it before closing the database. */
  inFlight: InFlight;
  settings: BotSettings;
  /** Ids, fingerprints and timings only: never pasted text or payloads. */
  log: Logger;
  now: () => number;
}

export interface BotSettings {
  /** FAULTLINE_LANG: for users whose Slack locale is unknown. */
  defaultLang: Lang;
  /** The mode of a channel nobody has set one for. */
  defaultMode: ChannelMode;
  /** FAULTLINE_TZ, for dates shown in the digest preview. */
  timeZone: string;
  /** FAULTLINE_DIGEST_CRON: the digest preview covers the period since its last run. */
  digestCron: string;
}
