import { redact } from '../redact/redact.js';
import type { Diagnosis, MatchMethod } from '../triage/types.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { setBit } from './people-bits.js';
import type { StoreHealth } from './store-health.js';
import type { UserKeyFn } from './user-key.js';
import { createWriteQueue, type WriteQueueOptions } from './write-queue.js';

export const OCCURRENCE_SOURCES = ['message', 'mention', 'slash', 'shortcut', 'cli'] as const;
export type OccurrenceSource = (typeof OCCURRENCE_SOURCES)[number];
/** How the answer was found: the engine's methods, or `ai` for an LLM answer. */
export type OccurrenceMethod = MatchMethod | 'ai';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Excerpts keep the head and the tail of a paste (the exception line is usually last). */
export const MAX_EXCERPT_CHARS = 4000;

export interface NewOccurrence {
  source: OccurrenceSource;
  /** Milliseconds since the epoch or a Date; default now. */
  at?: number | Date;
  /** Slack team id; null for the CLI. */
  workspace?: string | null;
  channel?: string | null;
  /** The raw Slack user id; stored as a keyed hash unless raw ids are configured. */
  user?: string | null;
  faultId: string | null;
  variant?: string | null;
  confidence?: number | null;
  method?: OccurrenceMethod | null;
  fingerprint: string;
  /** The pasted text as received. It is redacted and shortened here: raw text is never stored. */
  text: string;
  permalink?: string | null;
  lang?: string | null;
}

export interface StoredOccurrence {
  id: number;
  at: number;
  source: OccurrenceSource;
  workspace: string | null;
  channel: string | null;
  userKey: string | null;
  faultId: string | null;
  variant: string | null;
  confidence: number | null;
  method: OccurrenceMethod | null;
  fingerprint: string;
  /** Redacted; null once purged by retention. */
  excerpt: string | null;
  permalink: string | null;
  lang: string | null;
}

export interface OccurrenceStore {
  /**
   * Records one diagnosis; resolves to its id once committed. Calls made while a write is
   * pending share one transaction (group commit), so a burst of Slack events costs one commit,
   * not one each. The text is validated and redacted before this returns. Rejects with
   * StoreUnavailableError when the store cannot take it in time (full, locked, unreachable) or
   * the write queue is full: the occurrence is then not recorded.
   */
  record(occurrence: NewOccurrence): Promise<number>;
  /** Records several in one transaction, committed when this resolves (imports, the CLI). */
  recordMany(occurrences: readonly NewOccurrence[]): Promise<number[]>;
  /** Waits for what `record` has queued (before closing the store). */
  flush(): Promise<void>;
  get(id: number): Promise<StoredOccurrence | null>;
  /** A user's latest diagnoses, newest first (App Home). */
  recentForUser(user: string, options?: { workspace?: string | null; limit?: number }): Promise<StoredOccurrence[]>;
  /** Clears excerpts recorded before `before` (ms); rows and counts stay. Returns how many. */
  purgeExcerpts(before: number): Promise<number>;
}

/**
 * Only errors are recorded: error output as a program prints it (a traceback, an exception line,
 * an error-level log record). Chat that mentions an error is answered when asked but is not an
 * occurrence, so the digest never lists it.
 */
export function isRecordable(diagnosis: Pick<Diagnosis, 'errorOutput'>): boolean {
  return diagnosis.errorOutput;
}

/** The diagnosis fields an occurrence keeps. */
export function occurrenceFromDiagnosis(
  diagnosis: Pick<Diagnosis, 'match' | 'fingerprint' | 'lang'>,
): Pick<NewOccurrence, 'faultId' | 'variant' | 'confidence' | 'method' | 'fingerprint' | 'lang'> {
  const m = diagnosis.match;
  return {
    faultId: m?.id ?? null,
    variant: m?.variant ?? null,
    confidence: m?.confidence ?? null,
    method: m?.method ?? null,
    fingerprint: diagnosis.fingerprint,
    lang: diagnosis.lang,
  };
}

/** Redacts, then keeps the head and tail of what is left within `max` characters. */
export function makeExcerpt(text: string, max = MAX_EXCERPT_CHARS): string | null {
  // Redact the whole text before cutting: a cut through a secret could leave a piece of it
  // that no longer looks like one.
  const redacted = redact(text).text.trim();
  if (!redacted) return null;
  if (redacted.length <= max) return redacted;
  const marker = `\n[… ${redacted.length - max} characters omitted …]\n`;
  const head = Math.floor((max - marker.length) / 4);
  const tail = max - marker.length - head;
  return redacted.slice(0, head) + marker + redacted.slice(redacted.length - tail);
}

export interface OccurrenceRow {
  id: number;
  at: number;
  source: OccurrenceSource;
  workspace: string;
  channel: string | null;
  user_key: string | null;
  fault_id: string | null;
  variant: string | null;
  confidence: number | null;
  method: OccurrenceMethod | null;
  fingerprint: string;
  excerpt: string | null;
  permalink: string | null;
  lang: string | null;
}

export function fromRow(r: OccurrenceRow): StoredOccurrence {
  return {
    id: r.id,
    at: r.at,
    source: r.source,
    workspace: r.workspace || null,
    channel: r.channel,
    userKey: r.user_key,
    faultId: r.fault_id,
    variant: r.variant,
    confidence: r.confidence,
    method: r.method,
    fingerprint: r.fingerprint,
    excerpt: r.excerpt,
    permalink: r.permalink,
    lang: r.lang,
  };
}

const SOURCES = new Set<string>(OCCURRENCE_SOURCES);
const METHODS = new Set<string>(['code', 'signature', 'fuzzy', 'ai']);

function validate(o: NewOccurrence): void {
  if (!SOURCES.has(o.source)) throw new TypeError(`occurrence source must be one of ${OCCURRENCE_SOURCES.join(', ')}, got ${String(o.source)}`);
  if (!o.fingerprint) throw new TypeError('occurrence fingerprint is empty');
  if (o.method != null && !METHODS.has(o.method)) throw new TypeError(`unknown occurrence method ${String(o.method)}`);
  if (o.confidence != null && !(o.confidence >= 0 && o.confidence <= 1)) throw new TypeError(`confidence out of [0, 1]: ${o.confidence}`);
  if (typeof o.text !== 'string') throw new TypeError('occurrence text must be a string');
}

/** A validated, redacted occurrence as written (user id keyed, excerpt cut): a stored one before it has an id. */
export type OccurrenceWrite = Omit<StoredOccurrence, 'id' | 'workspace'> & { workspace: string };

/** Validates and redacts before any transaction, so a write lock is held for the inserts only. */
export function prepareOccurrence(o: NewOccurrence, userKey: UserKeyFn, now: () => number): OccurrenceWrite {
  validate(o);
  const at = o.at === undefined ? now() : typeof o.at === 'number' ? o.at : o.at.getTime();
  if (!Number.isFinite(at)) throw new TypeError('occurrence time is not a valid date');
  return {
    at: Math.floor(at),
    source: o.source,
    workspace: o.workspace ?? '',
    channel: o.channel ?? null,
    userKey: userKey(o.user),
    faultId: o.faultId ?? null,
    variant: o.variant ?? null,
    confidence: o.confidence ?? null,
    method: o.method ?? null,
    fingerprint: o.fingerprint,
    excerpt: makeExcerpt(o.text),
    permalink: o.permalink ?? null,
    lang: o.lang ?? null,
  };
}

/**
 * The number of a user key or channel in its bitmaps (people-bits.ts), assigned on first sight
 * inside the write transaction. A committed number never changes, so those are cached.
 */
interface PersonIds {
  (key: string): number;
  /** Drops the cache: after a rolled-back transaction it may hold numbers that were undone. */
  forget(): void;
}

function personIds(db: Db, table: 'user_ids' | 'channel_ids'): PersonIds {
  const find = db.prepare(`SELECT idx FROM ${table} WHERE key = ?`).pluck();
  const add = db.prepare(`INSERT INTO ${table} (key) VALUES (?)`);
  const cache = new Map<string, number>();
  const get = (key: string): number => {
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const found = find.get(key) as number | undefined;
    if (found === undefined) return Number(add.run(key).lastInsertRowid);
    if (cache.size > 100_000) cache.clear();
    cache.set(key, found);
    return found;
  };
  return Object.assign(get, { forget: () => cache.clear() });
}

export function createOccurrenceStore(db: Db, userKey: UserKeyFn, now: () => number, health: StoreHealth, queueOptions: Partial<WriteQueueOptions<OccurrenceWrite>> = {}): OccurrenceStore {
  const insert = db.prepare(`
    INSERT INTO occurrences (at, source, workspace, channel, user_key, fault_id, variant, confidence, method, fingerprint, excerpt, permalink, lang)
    VALUES (@at, @source, @workspace, @channel, @userKey, @faultId, @variant, @confidence, @method, @fingerprint, @excerpt, @permalink, @lang)`);
  const bumpFault = db.prepare(`
    INSERT INTO fault_hours (hour, workspace, fault_key, n, last_link_id) VALUES (?, ?, ?, 1, ?)
    ON CONFLICT DO UPDATE SET n = n + 1, last_link_id = coalesce(excluded.last_link_id, last_link_id)`);
  const bumpUnmatched = db.prepare(`
    INSERT INTO unmatched_days (day, workspace, fingerprint, method_key, n, last_id, last_link_id) VALUES (?, ?, ?, ?, 1, ?, ?)
    ON CONFLICT DO UPDATE SET n = n + 1, last_id = excluded.last_id, last_link_id = coalesce(excluded.last_link_id, last_link_id)`);
  const [addHourPeople, addDayPeople] = (['hour', 'day'] as const).map((unit) =>
    db.prepare(`
      INSERT INTO ${unit}_people (${unit}, workspace, fault_key, users, channels) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET users = faultline_bits_or(users, excluded.users), channels = faultline_bits_or(channels, excluded.channels)`),
  ) as [Statement, Statement];
  const ids = { user: personIds(db, 'user_ids'), channel: personIds(db, 'channel_ids') };
  const byId = db.prepare(`SELECT * FROM occurrences WHERE id = ?`);
  const byUser = db.prepare(`SELECT * FROM occurrences WHERE user_key = ? AND (? IS NULL OR workspace = ?) ORDER BY at DESC LIMIT ?`);
  const purge = db.prepare(`UPDATE occurrences SET excerpt = NULL WHERE at < ? AND excerpt IS NOT NULL`);

  const prepare = (o: NewOccurrence) => prepareOccurrence(o, userKey, now);
  type Row = OccurrenceWrite;

  // A rollup row remembers the occurrence written last (ids only grow): for live recording the
  // newest, whose excerpt is the example and whose permalink the link of the digest.
  const write = (r: Row): number => {
    const id = Number(insert.run(r).lastInsertRowid);
    const faultKey = r.faultId ?? '';
    const day = Math.floor(r.at / DAY_MS);
    const linkId = r.permalink ? id : null;
    bumpFault.run(Math.floor(r.at / HOUR_MS), r.workspace, faultKey, linkId);
    if (r.faultId === null) bumpUnmatched.run(day, r.workspace, r.fingerprint, r.method ?? '', id, linkId);
    if (r.userKey || r.channel) {
      const user = r.userKey ? setBit(null, ids.user(r.userKey)) : null;
      const channel = r.channel ? setBit(null, ids.channel(r.channel)) : null;
      addHourPeople.run(Math.floor(r.at / HOUR_MS), r.workspace, faultKey, user, channel);
      addDayPeople.run(day, r.workspace, faultKey, user, channel);
    }
    return id;
  };
  const transaction = db.transaction((rows: Row[]) => rows.map(write));
  const writeMany = {
    immediate(rows: Row[]): number[] {
      try {
        return transaction.immediate(rows);
      } catch (err) {
        ids.user.forget();
        ids.channel.forget();
        throw err;
      }
    },
  };

  const queue = createWriteQueue<Row>({ commit: async (rows) => writeMany.immediate(rows), health, ...queueOptions });

  return {
    record(o) {
      let row: Row;
      try {
        row = prepare(o);
      } catch (err) {
        return Promise.reject(err);
      }
      return queue.push(row);
    },
    recordMany: async (list) => {
      const rows = list.map(prepare);
      try {
        return writeMany.immediate(rows);
      } catch (err) {
        health.failed(err);
        throw err;
      }
    },
    flush: () => queue.drain(),
    get: async (id) => {
      const row = byId.get(id) as OccurrenceRow | undefined;
      return row ? fromRow(row) : null;
    },
    recentForUser: async (user, options = {}) => {
      const key = userKey(user);
      if (!key) return [];
      const ws = options.workspace ?? null;
      return (byUser.all(key, ws, ws, Math.max(1, Math.min(options.limit ?? 10, 100))) as OccurrenceRow[]).map(fromRow);
    },
    purgeExcerpts: async (before) => purge.run(before).changes,
  };
}
