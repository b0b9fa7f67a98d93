import type { Fault } from '../kb/compile.js';
import { extractEntities, extractFacts } from './extract.js';
import { computeFingerprint, normaliseVariableParts } from './fingerprint.js';
import { ALTERNATIVE_FLOOR, FaultIndex, REPLY_THRESHOLD, UNDECIDED_VARIANT_PENALTY } from './match.js';
import { normaliseInput } from './normalise.js';
import { readTranslatedServerLines } from './translated-server.js';
import { parsePaste } from './parse.js';
import { isBareErrorMessage, isFencedMessage, looksLikeErrorOutput, showsMatchedOutput } from './error-output.js';
import { readJsCrash } from './js-stack.js';
import { lookForCause } from './look-for.js';
import { chooseCauses, createFiller, rankFixes } from './rank.js';
import type { Candidate, Diagnosis, ErrorRecord, Lang, NormalisedInput, ParsedPaste } from './types.js';

/** Records matched at most: a 2,000-line log can hold hundreds; the last ones explain the crash. */
const MAX_RECORDS_MATCHED = 60;
const MAX_RECORDS_FUZZY = 12;
/** Fuzzy confidence that only a long catalogue phrase present almost verbatim reaches. */
const LITERAL_PHRASE = 0.83;
const KIND_RANK: Record<ErrorRecord['kind'], number> = { exception: 2, line: 1, warning: 0 };

export interface DiagnoseOptions {
  lang?: Lang;
  /** The size of the original input when the caller already cut it down (large files). */
  originalBytes?: number;
  /**
   * false: leave `fingerprint` empty. It costs the secret scanner and a hash (about 5 ms of a
   * CLI start), and an answer printed on the command line does not show it; what records or
   * prints it diagnoses with it.
   */
  fingerprint?: boolean;
}

export interface Engine {
  readonly index: FaultIndex;
  diagnose(input: string | Buffer, options?: DiagnoseOptions): Diagnosis;
  fault(id: string): Fault | undefined;
}

/** Is this text an error at all? Plain chat must never get a diagnosis. */
export function looksLikeError(parsed: ParsedPaste, errorLevel: readonly boolean[] = []): boolean {
  // A line a logger or server marked FATAL / ERROR is an error whatever its words; so is an
  // exception class a sentence says the writer got (a typed record read from prose).
  return parsed.records.some((r) => r.kind !== 'line' || r.type !== '' || r.codes.length > 0 || r.sqlstates.length > 0 || errorLevel[r.lineIndex] === true || /\b(?:error|exception|fail(?:s|ed|ing|ure)?|fatal|refused|violates|timed out|traceback|cannot|can't|could not|not found|no such|crash(?:es|ed)?)\b/i.test(r.message));
}

const FOREIGN_FUZZY_CAP = 0.6;
const FOREIGN_FRAME = /^\s{0,8}at [\w$.<>]{1,200} ?\(?[^()\s]{0,300}\.(?:[cm]?js|ts|tsx|java|kt|scala):\d{1,7}|^\s{0,8}at [\w$.]{1,200}\([\w]{1,100}\.java:\d{1,7}\)|^goroutine \d{1,9} \[|\.go:\d{1,7} \+0x|^\s{0,8}\d{1,4}: [\w:<>]{1,200}(?:::\w{1,100}){1,20}$|node_modules\/|^thread '[^']{1,100}' panicked at/;

/** True when the paste shows another language's frames and no Python ones. */
export function isForeignStack(parsed: ParsedPaste): boolean {
  if (parsed.records.some((r) => r.frames.some((f) => f.file.endsWith('.py')))) return false;
  const sample = parsed.lines.length > 400 ? [...parsed.lines.slice(0, 200), ...parsed.lines.slice(-200)] : parsed.lines;
  return sample.some((l) => FOREIGN_FRAME.test(l));
}

/**
 * Orders candidates. Among those sure enough to reply, an error the paste prints beats one it
 * quotes in a sentence, the server's log line beats a client's symptom of the connection it
 * ended, the crash beats a warning printed before it, then a fault's declared
 * priority, then within one message the fault named at its head beats one matched inside a
 * quoted cause ("... Original exception was: <IntegrityError>").
 * Otherwise: more confident, then the
 * more specific fault (priority), then the crash over a warning, then the later error.
 */
/**
 * True when `a` is a PostgreSQL server message printed on a line of its own (a server log, psql)
 * and `b` a client's symptom of a connection the server ended (`match.symptom`): the server's line
 * says why (gino's `connection was closed in the middle of operation` above the server's
 * `password authentication failed`).
 */
function serverReason(a: Candidate, b: Candidate, records: ErrorRecord[], faults: Map<string, Fault>): boolean {
  const fa = faults.get(a.faultId);
  return fa !== undefined && fa.sqlstates.length > 0 && !fa.symptom && faults.get(b.faultId)?.symptom === true && records[a.recordIndex]?.kind === 'line';
}

function better(a: Candidate, b: Candidate, records: ErrorRecord[], faults: Map<string, Fault>): boolean {
  if (a.confidence >= REPLY_THRESHOLD && b.confidence >= REPLY_THRESHOLD) {
    // The paste's own output over an error it quotes in a sentence.
    const qa = records[a.recordIndex]?.quoted === true;
    const qb = records[b.recordIndex]?.quoted === true;
    if (qa !== qb) return qb;
    // The server's own line (its log) says why the client's connection ended.
    const sa = serverReason(a, b, records, faults);
    if (sa !== serverReason(b, a, records, faults)) return sa;
    const ka = KIND_RANK[records[a.recordIndex]?.kind ?? 'line'];
    const kb = KIND_RANK[records[b.recordIndex]?.kind ?? 'line'];
    if (ka !== kb) return ka > kb;
    // An author's priority settles an overlap they saw; the message's head settles the rest.
    const pa = faults.get(a.faultId)?.priority ?? 0;
    const pb = faults.get(b.faultId)?.priority ?? 0;
    if (pa !== pb) return pa > pb;
    if (a.recordIndex === b.recordIndex && Math.abs(a.position - b.position) > 20) return a.position < b.position;
  }
  const bucket = (c: Candidate): number => Math.round(c.confidence * 20);
  if (bucket(a) !== bucket(b)) return bucket(a) > bucket(b);
  const pa = faults.get(a.faultId)?.priority ?? 0;
  const pb = faults.get(b.faultId)?.priority ?? 0;
  if (pa !== pb) return pa > pb;
  const ka = KIND_RANK[records[a.recordIndex]?.kind ?? 'line'];
  const kb = KIND_RANK[records[b.recordIndex]?.kind ?? 'line'];
  if (ka !== kb) return ka > kb;
  // A message quoted in a sentence answers only what its sentence could not: evidence as good
  // from the sentence itself keeps the answer about the sentence (and the reply gate reading it).
  const qa = records[a.recordIndex]?.quoted === true;
  const qb = records[b.recordIndex]?.quoted === true;
  if (qa !== qb) return qb;
  if (a.recordIndex !== b.recordIndex) return a.recordIndex > b.recordIndex;
  return a.confidence > b.confidence;
}

function emptyDiagnosis(input: NormalisedInput, lang: Lang, fingerprint: string): Diagnosis {
  return {
    match: null,
    alternatives: [],
    entities: { models: [], attributes: [], tables: [], fields: [], captures: {}, names: [] },
    fixes: [],
    placeholders: [],
    error: null,
    others: [],
    otherDistinct: 0,
    facts: {},
    fingerprint,
    input: { bytes: input.bytes, lines: input.lines.length, truncated: input.truncated, notes: input.notes },
    looksLikeError: false,
    errorOutput: false,
    lang,
  };
}

export function createEngine(faults: readonly Fault[]): Engine {
  const index = new FaultIndex(faults);

  const diagnose = (raw: string | Buffer, options: DiagnoseOptions = {}): Diagnosis => {
    const lang = options.lang ?? 'en';
    const input = readTranslatedServerLines(normaliseInput(raw, options.originalBytes));
    if (input.binary || input.lines.every((l) => l.trim() === '')) return emptyDiagnosis(input, lang, 'v1:empty');

    const parsed = parsePaste(input, index.knownTypes);
    const { records } = parsed;
    const first = Math.max(0, records.length - MAX_RECORDS_MATCHED);
    const perFault = new Map<string, Candidate>();
    const perRecord = new Map<number, Candidate>();
    const consider = (c: Candidate): void => {
      const prev = perFault.get(c.faultId);
      if (!prev || better(c, prev, records, index.faults)) perFault.set(c.faultId, c);
      const prevR = perRecord.get(c.recordIndex);
      if (!prevR || c.confidence > prevR.confidence) perRecord.set(c.recordIndex, c);
    };
    let contextLines: string[] | null = null;
    const context = (): string[] => {
      contextLines ??= [
        ...records.flatMap((r) => r.frames.map((f) => f.file)),
        // The logger a prefix named (`ERROR [alembic.env] Migration failed ...`): the prefix itself
        // is stripped from the lines below, and a library's own logger is evidence of that library.
        ...(input.loggers ?? []),
        // So is the pipeline a stripped prefix named (`docker compose logs` for `web_1  | `).
        ...(input.wrappers ?? []),
        ...(parsed.lines.length > 600 ? [...parsed.lines.slice(0, 300), ...parsed.lines.slice(-300)] : parsed.lines),
      ];
      return contextLines;
    };
    // Exact evidence per record, kept: the matched fault's captures are read from it below.
    const exact: Candidate[][] = [];
    // The last traceback is matched even when many error lines followed it (a crash, then a
    // shutdown's worth of errors): it is the most severe record in the paste.
    let lastException = -1;
    for (let i = records.length - 1; i >= 0 && lastException < 0; i--) if (records[i]?.kind === 'exception' && (records[i]?.frames.length ?? 0) > 0) lastException = i;
    const toMatch = lastException >= 0 && lastException < first ? [lastException] : [];
    for (let i = first; i < records.length; i++) toMatch.push(i);
    for (const i of toMatch) {
      const record = records[i];
      if (!record) continue;
      const found = index.matchRecord(record, i, context);
      exact.push(found);
      found.forEach(consider);
    }
    let errorLike = looksLikeError(parsed, input.errorLevel);
    const bestExact = Math.max(0, ...[...perFault.values()].map((c) => c.confidence));
    if (bestExact < REPLY_THRESHOLD) {
      for (let i = Math.max(first, records.length - MAX_RECORDS_FUZZY); i < records.length; i++) {
        const record = records[i];
        if (record) index.fuzzyRecord(record, i).forEach(consider);
      }
    }

    // Another stack's paste (Prisma's P2002, a Java trace) may share words with a Python fault;
    // only exact evidence may answer it, never the fuzzy stage.
    if (isForeignStack(parsed)) {
      for (const c of perFault.values()) if (c.method === 'fuzzy') c.confidence = Math.min(c.confidence, FOREIGN_FUZZY_CAP);
    }
    let top: Candidate | null = null;
    for (const c of perFault.values()) if (!top || better(c, top, records, index.faults)) top = c;
    // A retyped message may have no error words at all ("getting greenlet_spawn has not been
    // called when ..."); a catalogue phrase present nearly letter for letter makes it one.
    // An exact signature or code hit is itself evidence of an error (a 422 JSON body has no
    // error words).
    if (!errorLike && top && (top.method !== 'fuzzy' ? top.confidence >= REPLY_THRESHOLD : top.confidence >= LITERAL_PHRASE)) errorLike = true;
    const matched = top && top.confidence >= REPLY_THRESHOLD && errorLike ? top : null;
    const fault = matched ? index.faults.get(matched.faultId) : undefined;

    // Without a match, the error the user most likely means is the last exception.
    let primaryIndex = matched ? matched.recordIndex : -1;
    if (primaryIndex < 0) {
      for (let i = records.length - 1; i >= 0; i--) {
        if (records[i]?.kind === 'exception') { primaryIndex = i; break; }
      }
      if (primaryIndex < 0) primaryIndex = records.length - 1;
    }
    const primary = records[primaryIndex];
    // The matched fault's signatures may also name things in other links of the chain (the
    // tables of a join error raised first and re-raised as the mapper error).
    const captures = { ...(matched?.captures ?? {}) };
    if (matched) {
      for (const c of exact.flat()) {
        if (c.faultId !== matched.faultId || c.recordIndex === matched.recordIndex) continue;
        for (const [k, v] of Object.entries(c.captures)) captures[k] ??= v;
      }
    }
    const entities = extractEntities(parsed, primaryIndex, captures);
    const facts = extractFacts(parsed, entities);

    const alternatives = [...perFault.values()]
      .filter((c) => c !== matched && c.confidence >= ALTERNATIVE_FLOOR)
      .sort((a, b) => b.confidence - a.confidence)
      .slice(0, 5)
      .flatMap((c) => {
        const f = index.faults.get(c.faultId);
        return f ? [{ id: f.id, title: f.title[lang], confidence: round(c.confidence), method: c.method }] : [];
      });

    // A message quoted in a sentence repeats the sentence's own record: it is not another error.
    const isOther = (r: ErrorRecord): boolean => r !== primary && !r.quoted && (r.kind !== 'line' || isErrorLine(r, parsed, input.errorLevel));
    const others = records
      .map((r, i) => ({ r, i }))
      .filter(({ r }) => isOther(r))
      .slice(-8)
      .map(({ r, i }) => ({ type: r.type, message: firstLine(r.message), faultId: perRecord.get(i)?.faultId ?? null }));
    const otherDistinct = countOtherErrors([...(parsed.omitted ?? []), ...records].filter(isOther), primary);

    const diagnosis: Diagnosis = {
      ...emptyDiagnosis(input, lang, ''),
      alternatives,
      entities,
      facts,
      error: errorOf(primary, parsed),
      others,
      otherDistinct,
      looksLikeError: errorLike,
      // Output by its own marks; or, once a catalogued fault matched, by a shape that corroborates it
      // (a JSON error body, asyncio's context lines) or as the bare message itself, also alone in a code block.
      errorOutput: looksLikeErrorOutput(parsed, input.errorLevel) || (matched !== null && (showsMatchedOutput(parsed) || (primary?.kind === 'line' && !primary.quoted && !primary.stateReport && (isBareErrorMessage(parsed.lines[primary.lineIndex] ?? '', { position: matched.position, exact: matched.method !== 'fuzzy', phrases: fault?.phrases ?? [] }) || (typeof raw === 'string' && isFencedMessage(raw, parsed.lines[primary.lineIndex] ?? '')))))),
    };
    if (options.fingerprint !== false) diagnosis.fingerprint = computeFingerprint(parsed, primaryIndex);
    if (!matched || !fault) return diagnosis;

    const choice = chooseCauses(fault, parsed, primary);
    const decided = choice.decided ? choice.causes[0] : undefined;
    if (decided) facts.cause = decided.id;
    for (const [k, v] of Object.entries(choice.captures)) entities.captures[k] ??= v;
    const filler = createFiller(fault, entities.captures, lang, entities.names);
    const fixes = rankFixes(fault, choice.causes, facts, lang, filler);
    const variants = choice.causes.map((c) => ({
      id: c.id,
      title: c.title[lang],
      cause: filler.fill(c.explanation[lang]),
      lookFor: lookForCause(c, lang).map((x) => filler.fill(x)),
    }));
    diagnosis.match = {
      id: fault.id,
      title: fault.title[lang],
      // The fault is as certain as before; the answer is not: it cannot say which fix applies.
      confidence: round(decided ? matched.confidence : Math.max(REPLY_THRESHOLD, matched.confidence - UNDECIDED_VARIANT_PENALTY)),
      method: matched.method,
      cause: decided ? filler.fill(decided.explanation[lang]) : undecidedCause(variants.length, lang),
      variant: decided?.id ?? null,
      variantTitle: decided ? decided.title[lang] : null,
      variants,
      summary: filler.fill(fault.summary[lang]),
      library: fault.library,
    };
    diagnosis.fixes = fixes;
    diagnosis.placeholders = filler.used();
    return diagnosis;
  };

  return { index, diagnose, fault: (id) => index.faults.get(id) };
}

/**
 * The error the answer is about. A Node.js crash whose error line the Python parser could not
 * read as an exception (`TypeError [ERR_INVALID_ARG_TYPE]: ...`) would otherwise be shown as its
 * last line, the version banner.
 */
function errorOf(primary: ErrorRecord | undefined, parsed: ParsedPaste): Diagnosis['error'] {
  const js = primary?.kind === 'exception' ? null : readJsCrash(parsed.lines);
  if (js) return { type: js.type, message: firstLine(js.message) };
  return primary ? { type: primary.type, message: firstLine(primary.message) } : null;
}

const TRACEBACK_NEXT = /^\s{0,8}Traceback \(most recent call last\):/;

/**
 * An error line worth counting: logged at an error level when the paste has levels (a WARNING
 * that says "timed out" is not one), and not the header a logger prints before a traceback
 * ("ERROR uvicorn.error: Exception in ASGI application"), which belongs to that traceback.
 */
function isErrorLine(r: ErrorRecord, parsed: ParsedPaste, errorLevel: readonly boolean[]): boolean {
  if (TRACEBACK_NEXT.test(parsed.lines[r.lineIndex + 1] ?? '')) return false;
  return errorLevel[r.lineIndex] === true || !errorLevel.some(Boolean);
}

/** Distinct errors among `records` besides the primary one, told apart as the fingerprint does. */
function countOtherErrors(records: readonly ErrorRecord[], primary: ErrorRecord | undefined): number {
  // Without the secret scan the fingerprint also does: two errors in one paste that differ only
  // in a secret are rare, and loading the scanner costs every start a few milliseconds.
  const key = (r: ErrorRecord): string => `${r.shortType}|${normaliseVariableParts(firstLine(r.message)).slice(0, 300)}`;
  const seen = new Set<string>();
  for (const r of records) if (r.kind !== 'warning') seen.add(key(r));
  if (primary) seen.delete(key(primary));
  return seen.size;
}

function undecidedCause(count: number, lang: Lang): string {
  return lang === 'ja'
    ? `貼り付けからは ${count} つのパターンのどれかを判断できません。完全なトレースバックで、各パターンの手がかりを探してください。`
    : `The paste does not show which of ${count} variants this is. Each is listed with what to look for in the full traceback.`;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function firstLine(message: string): string {
  const line = message.split('\n', 1)[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
