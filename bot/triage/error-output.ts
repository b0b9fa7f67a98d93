import { isJsFrameLine } from './js-stack.js';
import type { ParsedPaste } from './types.js';

/**
 * Marks of error output in a line, as programs print it; chat that names an error has none of
 * them. Each is bounded and runs on normalised lines (log prefixes that normalise understands
 * are already gone; these are the formats it leaves in place). The comment says the real output
 * each was written for.
 */
const OUTPUT_MARKS: { gate: (line: string) => boolean; re: RegExp }[] = [
  // A Python frame anywhere, whatever prefix a platform put before it (Heroku's
  // `app[worker.1]:   File "/app/.heroku/python/lib/python3.8/site-packages/..."`).
  { gate: (l) => l.includes('File "'), re: /File "[^"]{1,1000}", line \d{1,9}, in / },
  // The repr of Pydantic / FastAPI error lists: `[{'type': 'missing', 'loc': ('body',), ...`.
  { gate: (l) => l.includes('[{'), re: /\[\{\s{0,4}['"](?:type|loc)['"]\s{0,4}:/ },
  // A traceback header anywhere: JSON log records embed it (`"exception": "Traceback (most ...`),
  // Heroku prefixes every line (`app[web.1]: Traceback ...`).
  { gate: (l) => l.includes('Traceback'), re: /Traceback \(most recent call last\)/ },
  // PostgreSQL / libpq / psql and CLI tools: `FATAL:  sorry, too many clients`, alembic's
  // `  FAILED: Multiple heads are present`, `error: ...`.
  { gate: (l) => /^\s{0,8}[EFPefp]/.test(l), re: /^\s{0,8}(?:(?:FATAL|ERROR|PANIC|FAILED):\s|psql: error:|error: |fatal: )/ },
  // PostgreSQL's own severity inside a line, as libpq formats it (two spaces after the colon),
  // behind whatever a tool or logger put first: `2023-10-23 09:52:01 UTC [2982438] app@db ERROR:  could
  // not serialize access`, `PG::UndefinedColumn: ERROR:  column ...`, `SQLSTATE[42703]: ...: 7 ERROR:  ...`.
  { gate: (l) => l.includes('ERROR:  ') || l.includes('FATAL:  ') || l.includes('PANIC:  '), re: /\b(?:ERROR|FATAL|PANIC): {2}\S/ },
  // A PostgreSQL SQLSTATE as drivers and loggers print it: PHP's `SQLSTATE[55P03]: Lock not
  // available`, pgx's `(SQLSTATE 42703)`, node-postgres' `code: '42P01'` and JSON `"errorCode": "55P03"`.
  { gate: (l) => l.includes('SQLSTATE') || /code/i.test(l), re: /SQLSTATE\[[0-9A-Z]{5}\]|\(SQLSTATE [0-9A-Z]{5}\)|\b(?:code|errorCode|sqlState)['"]?:\s{0,2}['"][0-9A-Z]{5}['"]/ },
  // A driver's exception as other stacks print PostgreSQL's errors: SQLAlchemy's message without
  // its type (`(psycopg2.errors.UndefinedObject) type "vector" does not exist`), Ruby's pg gem
  // (`PG::InFailedSqlTransaction: ERROR: ...`), JDBC (`PSQLException: ERROR: type ...`).
  { gate: (l) => l.includes('(psycopg') || l.includes('(asyncpg') || l.includes('PG::') || l.includes('PSQLException'), re: /^\s{0,8}\((?:psycopg2?|asyncpg)\.[\w.]{1,100}\) |\bPG::[A-Z]\w{1,60}: (?:ERROR|FATAL):|\bPSQLException: (?:ERROR|FATAL):/ },
  // A level in brackets: celery `[2024-05-14 09:12:03,551: ERROR/ForkPoolWorker-2]`, Apache
  // `[error] [client 10.1.2.3]`, nginx `[crit]`.
  { gate: (l) => l.startsWith('['), re: /^\[[^\]]{0,100}\b(?:ERROR|CRITICAL|FATAL|error|crit|emerg|alert)\b[^\]]{0,100}\]/ },
  // Structured logs: JSON `"level": "error"`, logfmt `level=error`.
  { gate: (l) => l.includes('level') || l.includes('severity'), re: /(?:"(?:level|severity|levelname)"\s{0,4}:\s{0,4}"|\blevel=)(?:error|ERROR|Error|critical|CRITICAL|fatal|FATAL)\b/ },
  // Python logging after a prefix normalise does not know: `k8s job x: ERROR [alembic.util.messaging] ...`.
  { gate: (l) => l.includes('ERROR') || l.includes('CRITICAL'), re: /\b(?:ERROR|CRITICAL)\s{1,4}\[[\w.:-]{1,128}\]\s/ },
  // Python's repr of the exception class before its message (mod_wsgi, some loggers):
  // `Error - <class 'sqlalchemy.exc.TimeoutError'>: QueuePool limit ...`.
  { gate: (l) => l.includes("<class '"), re: /<class '[\w.]{1,200}'>: / },
  // A timestamped log line other than ISO dashes (Go's log package: `2025/04/09 11:02:17 failed
  // to connect ...`) that reports a failure.
  { gate: (l) => /^\d{4}\//.test(l), re: /^\d{4}\/\d{2}\/\d{2}[ T]\d{2}:\d{2}:\d{2}\S{0,12} [^\n]{0,4000}\b(?:error|failed|refused|fatal|exception|panic)\b/i },
  // HTTP error responses: a status line, or FastAPI's error body (`{"detail":[{"type":"missing", ...`).
  { gate: (l) => l.startsWith('HTTP/'), re: /^HTTP\/\d(?:\.\d)? [45]\d\d\b/ },
  { gate: (l) => l.includes('"detail"'), re: /\{\s{0,8}"detail"\s{0,4}:\s{0,4}[[{"]/ },
  // Pydantic's printed ValidationError header: `1 validation error for AccountOut`.
  { gate: (l) => l.includes('validation error'), re: /^\d{1,4} validation errors? for [A-Za-z_]/ },
  // pytest's error sections: `____ ERROR at setup of test_x ____`, `==== ERRORS ====`.
  { gate: (l) => l.startsWith('_') || l.startsWith('='), re: /^_{3,} ERROR at (?:setup|teardown) of |^={3,} (?:ERRORS|FAILURES) ={3,}$/ },
];

// PostgreSQL / libpq / CLI tools print errors under a severity prefix at line start.
const SERVER_ERROR_LINE = /^(?:(?:FATAL|ERROR|PANIC):\s|psql: error:|error: |fatal: )/;

/** Lines scanned for output marks: the head and tail of a long log hold them. */
const MAX_LINES_SCANNED = 400;

/**
 * The record's type is the first thing on its line (after pytest's `E` or `FAILED path - `, or
 * an inline-code backtick), followed by `:` or nothing: `Type: message` as Python prints it.
 */
function isTypeAtHead(line: string, type: string): boolean {
  const body = line.replace(/^`/, '').replace(/^E {1,16}/, '').replace(/^(?:FAILED|ERROR) \S{1,1000}? - /, '');
  return type !== '' && body.startsWith(type) && (body.length === type.length || body[type.length] === ':');
}

/**
 * Is this text error output, as a program prints it, rather than chat that mentions an error?
 * Output means a traceback (frames), a warning line, an exception line that starts its line
 * (`sqlalchemy.exc.MissingGreenlet: ...`), a log record at an error level, a PostgreSQL
 * ERROR/FATAL line, or one of the output marks above. "anyone seen `MissingGreenlet`?" and
 * "why do I get greenlet_spawn has not been called when ..." are chat: the bot answers them only
 * when asked, and never records them.
 */
export function looksLikeErrorOutput(parsed: ParsedPaste, errorLevel: readonly boolean[] = []): boolean {
  const fromRecords = parsed.records.some((r) => {
    if (r.frames.length > 0 || r.kind === 'warning') return true;
    if (errorLevel[r.lineIndex] === true) return true;
    const line = (parsed.lines[r.lineIndex] ?? '').trimEnd();
    return r.kind === 'exception' ? isTypeAtHead(line, r.type) : SERVER_ERROR_LINE.test(line);
  });
  if (fromRecords) return true;
  const lines = parsed.lines.length > MAX_LINES_SCANNED ? [...parsed.lines.slice(0, MAX_LINES_SCANNED / 2), ...parsed.lines.slice(-MAX_LINES_SCANNED / 2)] : parsed.lines;
  // A V8 stack frame (Node.js crashes, other stacks' output: recorded as unmatched errors).
  return lines.some((line) => OUTPUT_MARKS.some(({ gate, re }) => gate(line) && re.test(line)) || isJsFrameLine(line));
}

// Words people use in chat and library messages do not: pronouns, greetings, "getting",
// "keeps", "any idea". Kana: the libraries in the catalogue print their errors in English.
const CHAT_WORDS = /\b(?:I|I'm|I've|I'd|[Mm]e|[Mm]y|[Ww]e|[Ww]e're|[Ww]e've|[Oo]ur|[Uu]s|[Aa]nyone|[Aa]nybody|[Ss]omeone|[Ss]omebody|guys|folks|[Hh]ey|[Hh]i|[Tt]hanks|idea|getting|seeing|keeps?|says|said|happens|whenever)\b|[\u3040-\u30ff]/;

/** A fuzzy match is a pasted message only when catalogue phrases make up most of the line. */
const MIN_PHRASE_COVERAGE = 0.5;

/**
 * A line ending in "?" is a question, unless its last sentence is the error's own (MissingGreenlet
 * ends "Was IO attempted in an unexpected place?"): the fault's catalogue phrases say which.
 */
function isQuestion(line: string, phrases: readonly string[]): boolean {
  if (!/\?\s{0,8}$/.test(line)) return false;
  const tail = (line.split(/[.;:!]\s/).pop() ?? '').replace(/\?\s{0,8}$/, '').trim().toLowerCase();
  return tail.length < 10 || !phrases.some((p) => p.toLowerCase().includes(tail));
}

/**
 * A pasted error message without its type (`is not bound to a Session; lazy load operation of
 * attribute 'items' cannot proceed`, a truncated `statement on table 'seats' expected to update
 * 1 row(s); 0 were matched.`), told from a sentence about it ("lol the new hire hit `Textual SQL
 * expression should be ...` on day one") by: no chat words, not a question, and
 * - exact evidence: a signature matched from the line's first characters (`position`); a library
 *   error code alone (a lone background link after "all it says is") is not a message;
 * - fuzzy evidence: catalogue phrases of the fault, present word for word, make up most of the line.
 */
export function isBareErrorMessage(line: string, evidence: { position: number; exact: boolean; phrases: readonly string[] }): boolean {
  // Links are not words: `sqlalche.me/e/20/xd2s` holds a "me".
  const text = line.replace(/\bhttps?:\/\/\S{1,2000}/g, ' ').trim();
  if (CHAT_WORDS.test(text) || isQuestion(text, evidence.phrases)) return false;
  if (evidence.exact) return evidence.position <= 2;
  const lower = text.toLowerCase();
  const covered = Math.max(0, ...evidence.phrases.filter((p) => lower.includes(p.toLowerCase())).map((p) => p.length));
  return text.length > 0 && covered / text.length >= MIN_PHRASE_COVERAGE;
}
