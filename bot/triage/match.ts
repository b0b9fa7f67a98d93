import { createRequire } from 'node:module';
import type FuseClass from 'fuse.js';
import type { CompiledSignature, Fault } from '../kb/compile.js';
import { isBroadSqlstate } from './sqlstate.js';
import type { Candidate, ErrorRecord, MatchMethod } from './types.js';

// fuse.js only scores the fuzzy stage and search, not an exact match: loaded on first use, it
// stays off the start of a `faultline diagnose` that an error's signature answers.
const load = createRequire(import.meta.url);
let fuse: typeof FuseClass | undefined;
const Fuse = (): typeof FuseClass => (fuse ??= load('fuse.js') as typeof FuseClass);

/** At or above this confidence the bot replies unasked (knowledge/README.md, "Matching"). */
export const REPLY_THRESHOLD = 0.8;
/**
 * Taken off the confidence when the fault is certain but the paste does not show which variant
 * it is (never below the reply threshold: the fault itself is no less certain).
 */
export const UNDECIDED_VARIANT_PENALTY = 0.1;
/** Candidates below this are noise and are not shown as alternatives. */
export const ALTERNATIVE_FLOOR = 0.15;

const CONFIDENCE = {
  typeAndMessage: 0.97,
  messageOnly: 0.92,
  typeOnly: 0.9,
  codeBoost: 0.02,
  corroboration: 0.03,
  uniqueCode: 0.95,
  sharedCodeTotal: 0.6,
  fuzzyMax: 0.86,
  foreignModule: 0.6,
  partialWord: 0.8,
} as const;

const FUZZY_QUERY_CHARS = 300;
const FUZZY_CANDIDATES = 12;
const FUZZY_MAX_SCORE = 0.3;
/** A token in more phrases than this says nothing (like "error"); it is not used to find candidates. */
const MAX_POSTING = 400;
/** A server message is one line; `sqlstate_unless` looks no further than this into a line. */
const MAX_UNLESS_CHARS = 2000;

interface Phrase {
  faultId: string;
  text: string;
  tokens: string[];
}

/** Lower-case words of 3+ characters; `greenlet_spawn` also yields `greenlet` and `spawn`. */
export function phraseTokens(text: string): string[] {
  const out = new Set<string>();
  for (const w of text.toLowerCase().match(/[a-z0-9_]{3,}/g) ?? []) {
    out.add(w);
    if (w.includes('_')) for (const part of w.split('_')) if (part.length >= 3) out.add(part);
  }
  return [...out];
}

/**
 * The catalogue indexed for matching: exception types, error codes and the literal anchors of
 * message regexes map straight to the few signatures worth running, so cost does not grow with
 * the number of faults. Fuzzy search runs fuse.js only over phrases that share a word with the
 * error.
 */
export class FaultIndex {
  readonly faults: Map<string, Fault>;
  readonly knownTypes: Set<string>;
  private readonly byType = new Map<string, CompiledSignature[]>();
  private readonly byAnchor = new Map<string, CompiledSignature[]>();
  private readonly byCode = new Map<string, string[]>();
  private readonly bySqlstate = new Map<string, string[]>();
  private readonly phrases: Phrase[] = [];
  private readonly byToken = new Map<string, number[]>();

  constructor(faults: readonly Fault[]) {
    this.faults = new Map(faults.map((f) => [f.id, f]));
    this.knownTypes = new Set();
    for (const fault of faults) {
      for (const sig of fault.signatures) {
        if (sig.typeShort) {
          this.knownTypes.add(sig.typeShort);
          push(this.byType, sig.typeShort, sig);
        } else if (sig.anchor) {
          push(this.byAnchor, sig.anchor, sig);
        }
        if (sig.code && !sig.typeShort && !sig.message) push(this.byCode, sig.code, fault.id);
      }
      for (const code of fault.codes) if (!this.byCode.get(code)?.includes(fault.id)) push(this.byCode, code, fault.id);
      for (const state of fault.sqlstates) if (!this.bySqlstate.get(state)?.includes(fault.id)) push(this.bySqlstate, state, fault.id);
      for (const text of fault.phrases) {
        const idx = this.phrases.length;
        const tokens = phraseTokens(text);
        this.phrases.push({ faultId: fault.id, text, tokens });
        for (const t of tokens) push(this.byToken, t, idx);
      }
    }
  }

  get size(): number {
    return this.faults.size;
  }

  /** Exact evidence on one record: signatures (by type and by anchor word) and error codes. */
  matchRecord(record: ErrorRecord, recordIndex: number, context: () => readonly string[] = () => []): Candidate[] {
    const best = new Map<string, Candidate>();
    const offer = (faultId: string, confidence: number, method: MatchMethod, captures: Record<string, string>, position: number): void => {
      const prev = best.get(faultId);
      if (!prev) {
        best.set(faultId, { faultId, confidence, method, recordIndex, position, captures });
        return;
      }
      prev.position = Math.min(prev.position, position);
      // Independent evidence for the same fault (type and message signatures) adds up.
      const hi = Math.max(prev.confidence, confidence);
      prev.confidence = Math.min(0.99, hi + CONFIDENCE.corroboration);
      if (confidence >= hi) prev.method = method;
      prev.captures = { ...captures, ...prev.captures };
    };
    const trySignature = (sig: CompiledSignature): void => {
      if (sig.type && sig.type.includes('.') && record.type !== sig.type && !record.type.endsWith(`.${sig.type}`)) return;
      if (sig.code && !record.codes.includes(sig.code)) return;
      // `socket.gaierror` is PostgreSQL's only when the paste shows a PostgreSQL driver.
      if (sig.context && !context().some((line) => (sig.context as RegExp).test(line))) return;
      // Alembic's `Detected removed table` is the models missing from target_metadata, unless the
      // same run also found tables or columns to add (a rename, a model changed on purpose).
      if (sig.contextUnless && context().some((line) => (sig.contextUnless as RegExp).test(line))) return;
      let captures: Record<string, string> = {};
      let position = 0;
      if (sig.message) {
        sig.message.lastIndex = 0;
        let m = sig.message.exec(record.message);
        // A message wrapped over lines (`must appear\nin the GROUP BY clause`) read as one line.
        if (!m && record.unwrapped) {
          sig.message.lastIndex = 0;
          m = sig.message.exec(record.unwrapped);
        }
        if (!m) return;
        position = m.index;
        captures = Object.fromEntries(Object.entries(m.groups ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
      }
      const base = sig.typeShort && sig.message ? CONFIDENCE.typeAndMessage : sig.message ? CONFIDENCE.messageOnly : CONFIDENCE.typeOnly;
      const fault = this.faults.get(sig.faultId);
      const hasCode = (fault?.codes ?? []).some((c) => record.codes.includes(c)) || (fault?.sqlstates ?? []).some((s) => record.sqlstates.includes(s)) || Boolean(sig.code);
      offer(sig.faultId, Math.min(0.99, base + (hasCode ? CONFIDENCE.codeBoost : 0)), hasCode ? 'code' : 'signature', captures, position);
    };

    if (record.shortType) for (const sig of this.byType.get(record.shortType) ?? []) trySignature(sig);
    if (record.message) {
      const tokens = new Set(record.message.toLowerCase().match(/[a-z0-9_]{4,}/g) ?? []);
      for (const t of tokens) for (const sig of this.byAnchor.get(t) ?? []) trySignature(sig);
    }
    for (const code of record.codes) {
      const ids = this.byCode.get(code) ?? [];
      for (const id of ids) {
        if (best.has(id)) continue;
        offer(id, ids.length === 1 ? CONFIDENCE.uniqueCode : CONFIDENCE.sharedCodeTotal / ids.length, 'code', {}, record.message.length);
      }
    }
    // A SQLSTATE is a code too: deterministic where one fault carries it, whatever the message's
    // language or wording. A broad one (28000) only corroborates a signature, above.
    for (const state of record.sqlstates) {
      if (isBroadSqlstate(state)) continue;
      const ids = this.bySqlstate.get(state) ?? [];
      for (const id of ids) {
        if (best.has(id)) continue;
        if (this.saysOtherMistake(id, record, context)) continue;
        offer(id, ids.length === 1 ? CONFIDENCE.uniqueCode : CONFIDENCE.sharedCodeTotal / ids.length, 'code', {}, record.message.length);
      }
    }
    return [...best.values()];
  }

  /**
   * Fuzzy evidence for a retyped or truncated message: phrases sharing words with the record
   * are scored by fuse.js against a short window of the message, never against the whole paste.
   */
  fuzzyRecord(record: ErrorRecord, recordIndex: number): Candidate[] {
    const query = `${record.shortType ? `${record.shortType}: ` : ''}${record.message}`.slice(0, FUZZY_QUERY_CHARS);
    const votes = new Map<number, number>();
    for (const t of phraseTokens(query)) {
      const posting = this.byToken.get(t);
      if (!posting || posting.length > MAX_POSTING) continue;
      const weight = 1 / Math.log2(2 + posting.length);
      for (const idx of posting) votes.set(idx, (votes.get(idx) ?? 0) + weight);
    }
    if (votes.size === 0) return [];
    const shortlisted = [...votes.entries()]
      .filter(([idx, v]) => {
        const p = this.phrases[idx];
        // Most of the phrase's words must be present before it is worth scoring.
        return p !== undefined && v > 0 && sharedShare(p.tokens, query) >= 0.5;
      })
      .sort((a, b) => b[1] - a[1])
      .slice(0, FUZZY_CANDIDATES);
    const fuse = new (Fuse())([query.toLowerCase()], { includeScore: true, ignoreLocation: true, ignoreFieldNorm: true, threshold: FUZZY_MAX_SCORE, minMatchCharLength: 4 });
    const best = new Map<string, Candidate>();
    for (const [idx] of shortlisted) {
      const phrase = this.phrases[idx];
      if (!phrase) continue;
      const hit = fuse.search(phrase.text.toLowerCase())[0];
      if (!hit || hit.score === undefined) continue;
      const lengthFactor = Math.min(1, phrase.text.length / 24);
      let confidence = (CONFIDENCE.fuzzyMax - hit.score) * lengthFactor;
      // `vertexai....ResponseValidationError` is not FastAPI's, however alike the words.
      if (!this.inStack(record.type, phrase.faultId)) confidence *= CONFIDENCE.foreignModule;
      // `dialects:postgres` inside `dialects:postgresql.psycopg` is another error's word.
      if (endsMidWord(query.toLowerCase(), phrase.text.toLowerCase())) confidence *= CONFIDENCE.partialWord;
      const prev = best.get(phrase.faultId);
      if (!prev) best.set(phrase.faultId, { faultId: phrase.faultId, confidence, method: 'fuzzy', recordIndex, position: Math.max(0, query.toLowerCase().indexOf(phrase.text.toLowerCase())), captures: {} });
      // A second phrase of the same fault in the message corroborates the first.
      else prev.confidence = Math.min(CONFIDENCE.fuzzyMax, Math.max(prev.confidence, confidence) + CONFIDENCE.corroboration);
    }
    return [...best.values()];
  }

  /**
   * The record, or a line of the paste, is one of the SQLSTATE's messages for another mistake
   * (`sqlstate_unless`). The paste's lines count because a structured error puts the code and the
   * message on lines of their own (node-postgres: `"code": "42P01",` above `"message": ...`).
   */
  private saysOtherMistake(faultId: string, record: ErrorRecord, context: () => readonly string[]): boolean {
    const unless = this.faults.get(faultId)?.sqlstateUnless ?? [];
    if (unless.length === 0) return false;
    const said = (line: string): boolean => unless.some((re) => re.test(line.slice(0, MAX_UNLESS_CHARS)));
    return said(record.message) || context().some(said);
  }

  /**
   * False when the record's exception is not one the fault knows and comes from a package
   * outside its stack: `PrismaClientKnownRequestError: Foreign key constraint failed` is not
   * SQLite's, however alike the words. An intact type the fault does list never counts against it.
   */
  private inStack(type: string, faultId: string): boolean {
    if (!type) return true;
    const short = type.slice(type.lastIndexOf('.') + 1);
    const dot = type.indexOf('.');
    if (dot < 0) {
      return this.faults.get(faultId)?.signatures.some((s) => s.typeShort === short) === true || this.knownTypes.has(short) || /^(?:Exception|RuntimeError|TypeError|ValueError|AttributeError|OSError|KeyError)$/.test(short);
    }
    // A dotted type is judged by its package: vertexai's ResponseValidationError is not FastAPI's.
    const top = type.slice(0, dot).toLowerCase().replace(/_core$/, '');
    const fault = this.faults.get(faultId);
    if (!fault) return true;
    return top === fault.library || fault.stack.some((s) => s.toLowerCase() === top) || fault.signatures.some((s) => s.type?.toLowerCase().startsWith(`${top}.`));
  }

  /** Keyword search over titles and phrases, for `search` and the "nearest faults" list. */
  search(words: string, limit = 5): { fault: Fault; score: number }[] {
    const items = [...this.faults.values()].map((f) => ({ id: f.id, text: [f.id, f.title.en, f.title.ja, ...f.phrases, ...f.signatures.map((s) => s.type ?? '')].join(' \n ') }));
    const fuse = new (Fuse())(items, { keys: ['text'], includeScore: true, ignoreLocation: true, threshold: 0.4 });
    return fuse
      .search(words.slice(0, 64))
      .slice(0, limit)
      .flatMap((r) => {
        const fault = this.faults.get(r.item.id);
        return fault ? [{ fault, score: 1 - (r.score ?? 1) }] : [];
      });
  }

  faultsForCode(code: string): Fault[] {
    return (this.byCode.get(code) ?? this.bySqlstate.get(code.toUpperCase()) ?? []).flatMap((id) => this.faults.get(id) ?? []);
  }
}

function endsMidWord(query: string, phrase: string): boolean {
  const at = query.indexOf(phrase);
  if (at < 0 || !/\w$/.test(phrase)) return false;
  return /\w/.test(query[at + phrase.length] ?? '');
}

function sharedShare(tokens: string[], query: string): number {
  if (tokens.length === 0) return 0;
  const q = new Set(phraseTokens(query));
  return tokens.filter((t) => q.has(t)).length / tokens.length;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
