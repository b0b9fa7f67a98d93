import { insertAlembicHeads, insertToolLines, PG_CLIENT_ERROR } from './tool-lines.js';
import { isSqlstateClass, sqlstatesOf } from './sqlstate.js';
import type { ErrorRecord, Frame, NormalisedInput, ParsedPaste } from './types.js';
import { readTaskException } from './task-repr.js';

export const MAX_MESSAGE_CHARS = 4000;
const MAX_FRAMES_PER_RECORD = 200;
const MAX_RECORDS = 200;
const MAX_CONTINUATION_LINES = 60;

const TRACEBACK_START = /^\s{0,8}Traceback \(most recent call last\):\s*$/;
/** A PostgreSQL server log line that starts another message (not this one's DETAIL, HINT or STATEMENT). */
const SERVER_NEXT_MESSAGE = /^(?:LOG|FATAL|ERROR|PANIC|WARNING):\s/;
// IPython's and Jupyter's traceback header names the exception before its frames:
// `SynchronousOnlyOperation                  Traceback (most recent call last)`.
const IPYTHON_HEADER = /^([A-Za-z_][\w.]{0,200}?) {2,80}Traceback \(most recent call last\)\s{0,8}$/;
const CAUSE_SEPARATOR = /^\s{0,8}The above exception was the direct cause of the following exception:\s*$/;
const CONTEXT_SEPARATOR = /^\s{0,8}During handling of the above exception, another exception occurred:\s*$/;
// `  File "/app/x.py", line 12, in handler`
const PY_FRAME = /^\s{1,16}File "([^"]{1,1000})", line (\d{1,9})(?:, in (.{1,300}))?$/;
// pytest: `.venv/lib/python3.12/site-packages/sqlalchemy/orm/attributes.py:566: in __get__`
const PYTEST_FRAME = /^([^\s:][^:]{0,1000}\.py):(\d{1,9}): in (\S{1,300})$/;
// pytest: `tests/test_users.py:18: ` or `.../_concurrency_py3k.py:123: MissingGreenlet`
const PYTEST_LOCATION = /^([^\s:][^:]{0,1000}\.py):(\d{1,9}):(?: ([A-Za-z_][\w.]{0,200}))?\s*$/;
// `/app/models.py:42: SAWarning: relationship 'User.orders' will copy column ...`
// `sys:1: SAWarning: ...` and `<string>:3: ...` when Python cannot name the file.
const WARNING_LINE = /^(.{1,1000}?\.py|sys|<[a-z]{1,20}>):(\d{1,9}): ([A-Z]\w{0,100}(?:Warning|Deprecation\w{0,40}|DeprecatedSince\d{1,4})): (.{0,4000})$/;
// `sqlalchemy.exc.MissingGreenlet: greenlet_spawn ...`, `KeyError: 'x'`, `StopIteration`
const EXCEPTION_LINE = /^([A-Za-z_]\w{0,100}(?:\.[A-Za-z_]\w{0,100}){0,12})(?:: ?(.{0,8000}))?$/;
// Ruby's exception line, namespaces joined by `::`: the pg gem's `PG::GroupingError: ERROR:  column ...`,
// Rails wrapping it: `ActiveRecord::StatementInvalid: PG::UndefinedTable: ERROR:  relation ...`.
const RUBY_EXCEPTION_LINE = /^((?:[A-Z]\w{0,60}::){1,6}[A-Z]\w{0,80}): (.{0,8000})$/;
// An exception line quoted inside a sentence or an issue title, the type without its module:
// `"OperationalError: server closed the connection unexpectedly" on SQL: ...`, `getting
// “IntegrityError: duplicate key value ...” when ...`. The closing quote must match the opening one.
// Each quoted part excludes its opening quote as well as its closing one, so a line of unclosed
// quotes costs one pass, not one pass per quote.
const QUOTED_EXCEPTION = /(?:^|[\s(:])(?:"([A-Za-z_][\w.]{2,200}): ([^"\n]{3,600})"|“([A-Za-z_][\w.]{2,200}): ([^“”\n]{3,600})”|`([A-Za-z_][\w.]{2,200}): ([^`\n]{3,600})`|‘([A-Za-z_][\w.]{2,200}): ([^‘’\n]{3,600})’|「([A-Za-z_][\w.]{2,200}): ([^「」\n]{3,600})」)/;
// A message quoted in a sentence without its type: `returning 500 with "connection already closed" after ...`.
const QUOTED_MESSAGE = /(?:^|[\s(:])(?:"([^"\n]{12,600})"|“([^“”\n]{12,600})”|`([^`\n]{12,600})`|「([^「」\n]{12,600})」)/g;
const PYTEST_E_LINE = /^E {1,16}(.*)$/;
const PYTEST_SUMMARY = /^(?:FAILED|ERROR) \S{1,1000}? - ([A-Za-z_][\w.]{0,300}): (.{0,4000})$/;
// An exception type inside prose or after other text: dotted module path, class-like tail. Chinese
// and Japanese prose puts it right after its own punctuation, with no space (`一次显示：httpx.ConnectError: ...`).
const INLINE_TYPE = /(?:^|[\s("'`[：，。、（「『])((?:[a-z_]\w{0,60}\.){1,8}[A-Z]\w{0,80})(?:: |\)\s)/;
const TYPE_SUFFIX = /(?:Error|Exception|Warning|Exit|Interrupt|Greenlet|Found|Timeout|Mismatch|Violation|Failure)$/;
const CARETS = /^\s*[~^]{1,300}\s*$/;
// Python 2's repr of an exception, the last thing on a log line: Celery's `Unrecoverable error:
// AppRegistryNotReady("Apps aren't loaded yet.",)`, `OperationalError(u'...',)` (a tuple's comma).
const REPR_EXCEPTION = /(?:^|: )((?:[a-z_]\w{0,60}\.){0,8}[A-Z]\w{2,80})\(u?(?:"([^"\n]{1,2000})"|'([^'\n]{1,2000})'),?\)\s{0,4}$/;
// GlobaLeaks' exception mail names the class and its docstring, without a colon:
// `sqlalchemy.orm.exc.NoResultFound A database result was required but none was found.`
const QUALIFIED_HEADER = /^`{0,3}((?:[a-z_]\w{0,60}\.){1,8}[A-Z]\w{2,80}) ([A-Z][^:\n]{2,600}\.)\s{0,4}$/;
// A class named in the prose above a traceback: an issue title (`TimeoutError when calling
// asyncpg.create_pool()`), a sentence (a lot of `httpx.ReadTimeout` exceptions), a mail header.
const LEAD_TYPE = /(?:^|[\s`'"(*])((?:[a-z_]\w{0,60}\.){0,8}[A-Z]\w{2,80})(?=$|[\s`'",.:;()!?*])/g;
const GENERIC_TYPES = /^(?:Error|Exception|Warning|Timeout|Failure|BaseException)$/;
// What the lead says right after the class it names: `...: AppRegistryNotReady: Apps aren't loaded yet.`
// The class may be in Markdown code or bold (`` `CommandError`: Can't locate ``, `**KeyError**: 'x'`).
const LEAD_MESSAGE = /^[`*]{0,2}: (\S[^\n]{2,600})$/;
// A frame's source line raising a class with a literal message, and nothing after it.
const RAISE_LITERAL = /^raise ((?:[a-z_]\w{0,60}\.){0,8}[A-Z]\w{2,80})\((?:"([^"\\\n]{1,600})"|'([^'\\\n]{1,600})')\)$/;
/** Lines of lead prose read for a class name: a title and its first sentences. */
const MAX_LEAD_LINES = 12;

const SQL_TRAILER = /\[SQL: ([\s\S]{0,3000}?)\](?=\s*(?:\[|\(Background|$))/;
const PARAMS_TRAILER = /\[parameters: [\s\S]{0,3000}?\](?=\s*(?:\(Background|\[|$))/;
// 2.0 warnings say "(Background on this warning at: ...)"; 1.3 links have no version.
const BACKGROUND = /\(Background on this (?:error|warning) at: (?:https?:\/\/)?sqlalche\.me\/e\/(?:(\d{1,2})\/)?(\w{4})\)/g;
const PYDANTIC_LINK = /errors\.pydantic\.dev\/[\d.]{1,10}\/[vu]\/([a-z_]{2,60})/g;

// The standard library where it lives under a capital `Lib` (a Windows install `C:\\Python311\\Lib\\asyncio\\events.py`,
// a CPython checkout `cpython/Lib/warnings.py`): its packages and its best-known modules, never a project's own `Lib/x.py`.
const STDLIB_CAPITAL_LIB = /[\\/]Lib[\\/](?:(?:asyncio|unittest|concurrent|json|logging|http|urllib|importlib|multiprocessing|email|xml|sqlite3|collections)[\\/]|(?:warnings|threading|socket|ssl|contextlib|functools|typing|inspect|runpy|subprocess|selectors|copy|enum|abc|weakref|traceback|socketserver|queue)\.py$)/;

export function isLibraryPath(file: string): boolean {
  return /^<(?:string|frozen [^>]{1,100}|decorator-gen-\d{1,6})>$|(?:site|dist)-packages[\\/]|[\\/]lib[\\/]python\d(?:\.\d{1,2})?[\\/](?!site-packages)|^<frozen |^pydantic[\\/]|[\\/]pypoetry[\\/]virtualenvs[\\/][^\\/]+[\\/]lib[\\/]/.test(file) || STDLIB_CAPITAL_LIB.test(file);
}

/** The class name without its module: `sqlalchemy.exc.MissingGreenlet`, Ruby's `PG::GroupingError`. */
function shortTypeOf(type: string): string {
  return type.slice(Math.max(type.lastIndexOf('.'), type.lastIndexOf(':')) + 1);
}

function emptyRecord(kind: ErrorRecord['kind'], type: string, message: string, lineIndex: number): ErrorRecord {
  const shortType = shortTypeOf(type);
  return { kind, type, shortType, message, frames: [], codes: [], sqlstates: [], sql: null, hadParameters: false, link: null, lineIndex };
}

/** Splits SQLAlchemy's trailers out of a message and collects library error codes. */
export function finishMessage(record: ErrorRecord, raw: string): void {
  let message = raw.length > MAX_MESSAGE_CHARS * 2 ? raw.slice(0, MAX_MESSAGE_CHARS * 2) : raw;
  record.sqlstates = sqlstatesOf(record.type, message);
  const codes = new Set(record.codes);
  for (const m of message.matchAll(BACKGROUND)) if (m[2]) codes.add(m[2]);
  for (const m of message.matchAll(PYDANTIC_LINK)) if (m[1]) codes.add(m[1]);
  const sql = SQL_TRAILER.exec(message);
  if (sql) {
    record.sql = (sql[1] ?? '').replace(/\s+/g, ' ').trim();
    message = message.replace(SQL_TRAILER, '');
  }
  if (PARAMS_TRAILER.test(message)) {
    record.hadParameters = true;
    message = message.replace(PARAMS_TRAILER, '');
  }
  message = message.replace(BACKGROUND, '').replace(/[ \t]+\n/g, '\n').trim();
  record.message = message.length > MAX_MESSAGE_CHARS ? message.slice(0, MAX_MESSAGE_CHARS) : message;
  if (record.message.includes('\n')) record.unwrapped = record.message.replace(/\n[ \t]{0,40}/g, ' ');
  else delete record.unwrapped;
  record.codes = [...codes];
}

// Exception classes that do not start with a capital: the socket module's, and old aliases.
const LOWERCASE_TYPES = new Set(['gaierror', 'herror', 'timeout', 'error']);

function isPlausibleType(type: string, knownTypes: ReadonlySet<string>, inTraceback: boolean): boolean {
  const short = shortTypeOf(type);
  if (knownTypes.has(short) || knownTypes.has(type)) return short.length >= 3;
  if (LOWERCASE_TYPES.has(short)) return type.includes('.');
  // psycopg's classes carry no Error suffix (`psycopg2.errors.UndefinedTable`, `InFailedSqlTransaction`).
  if (isSqlstateClass(type)) return true;
  if (!/^[A-Z]/.test(short) || short.length < 3) return false;
  if (TYPE_SUFFIX.test(short)) return true;
  // After a traceback any class-like name is an exception (`asyncpg.exceptions.DataError`, `Abort`).
  return inTraceback && /^[A-Z][A-Za-z0-9]+$/.test(short);
}

/**
 * Python 3.11 exception groups (anyio task groups under Starlette) indent each member traceback
 * behind `| `; removing the gutter lets the ordinary parser read them.
 */
function ungroup(lines: string[]): string[] {
  if (!lines.some((l) => /^\s{0,16}\+[-+]{2,}|ExceptionGroup: /.test(l))) return lines;
  return lines.filter((l) => !/^\s{0,40}\+[-+ ]{2,}/.test(l)).map((l) => l.replace(/^\s{0,40}\|\s?/, ''));
}

/**
 * Ruby's exception line (`PG::GroupingError: ERROR:  column ...`). Rails wraps the driver's error
 * in its own (`ActiveRecord::StatementInvalid: PG::UndefinedTable: ...`): when the outer class is
 * not one an error is recognised by, the class it quotes is read instead.
 */
function readRubyException(line: string, knownTypes: ReadonlySet<string>): { type: string; message: string } | null {
  let m = RUBY_EXCEPTION_LINE.exec(line);
  for (let depth = 0; m && depth < 3; depth++) {
    const type = m[1] ?? '';
    const message = m[2] ?? '';
    if (isPlausibleType(type, knownTypes, false)) return { type, message };
    m = RUBY_EXCEPTION_LINE.exec(message);
  }
  return null;
}

// An APM agent's error report names the class as `module:Class` under a field label: New Relic's
// export, as GSA's "Exception Investigation" issues paste it (`Exception:  sqlalchemy.exc:NoResultFound`,
// `Exception:  builtins:KeyError`) below the message and above the traceback.
const AGENT_CLASS = /^\s{0,4}((?:[a-z_]\w{0,60}\.){0,8}[a-z_]\w{0,60}):([A-Z]\w{2,80})\s{0,4}$/;
const AGENT_CLASS_LABELS = new Set(['Exception', 'Error']);

/**
 * The exception class a field-labelled report line names (`Exception:  sqlalchemy.exc:NoResultFound`),
 * as the dotted name Python prints (`sqlalchemy.exc.NoResultFound`, `KeyError` for `builtins:`);
 * null when the line is an ordinary `Exception: message`.
 */
export function readAgentClass(label: string, value: string, knownTypes: ReadonlySet<string>): string | null {
  if (!AGENT_CLASS_LABELS.has(label)) return null;
  const m = AGENT_CLASS.exec(value);
  if (!m?.[1] || !m[2]) return null;
  const type = m[1] === 'builtins' || m[1] === 'exceptions' ? m[2] : `${m[1]}.${m[2]}`;
  return isPlausibleType(type, knownTypes, false) ? type : null;
}

/**
 * A line that goes on with the sentence of the line above it, as a terminal, a 72-column commit
 * message or a hand wraps a long message: the line above is long and stops mid-sentence, and this
 * one starts with a lower-case word (`column "workloads.start_at" must appear` / `in the GROUP BY
 * clause ...`). Pydantic's field names (`name`, one word on its own line) are not sentences.
 */
function isSoftWrap(prev: string, next: string): boolean {
  const p = prev.trim();
  const n = next.trim();
  return p.length >= 30 && /^[a-z][a-z_-]{0,40}\s\S/.test(n) && !/[.!?:;]$/.test(p);
}

const QUOTED_MESSAGES_PER_LINE = 3;
/** A wrapped message is a few lines; prose that wraps for pages is not one message. */
const MAX_WRAPPED_CHARS = 1200;
/** Lines searched for a quoted exception: chat and titles are short; a long log has real lines. */
const MAX_QUOTED_SCANS = 200;

/** Reads every error the paste reports. Never throws; bounded in records, frames and lengths. */
export function parsePaste(input: Pick<NormalisedInput, 'lines'> & Partial<Pick<NormalisedInput, 'errorLevel' | 'wrappers'>>, knownTypes: ReadonlySet<string> = new Set()): ParsedPaste {
  const lines = ungroup(input.lines);
  const errorLevel = input.errorLevel && input.errorLevel.length === lines.length ? input.errorLevel : [];
  const records: ErrorRecord[] = [];
  const sourceLines: string[] = [];
  const failingLines: string[] = [];

  let frames: Frame[] = [];
  let inTraceback = false;
  // pytest's `____ test_list_orders ____` header names the test whose frames follow.
  let currentTest = '';
  let ipythonFile = '<ipython>';
  // The class the last IPython header named, for a traceback cut before its exception line.
  let ipythonHeader: { type: string; lineIndex: number } | null = null;
  let pendingLink: ErrorRecord['link'] = null;
  let pendingFailing: string | null = null;
  let quotedScans = 0;
  const seen = new Set<string>();
  // Where the frames not yet owned by a record began, and where the paste's first traceback began.
  let framesFrom = -1;
  let firstTraceLine = -1;
  let lastFrameLine = -1;
  // The indentation of the last `File "..."` line read: Python writes a traceback's exception line
  // two columns left of its frames.
  let lastFrameIndent = 2;
  const markFrame = (i: number): void => {
    lastFrameLine = i;
    if (frames.length === 0) framesFrom = i;
    if (firstTraceLine < 0) firstTraceLine = i;
  };

  const push = (record: ErrorRecord, rawMessage: string): void => {
    // Bounded by the input: normaliseInput keeps at most MAX_LINES lines, one record each at most.
    finishMessage(record, rawMessage);
    const key = `${record.shortType}|${record.message.slice(0, 200)}`;
    // pytest prints the same error as an `E` line and again in the short summary.
    if (seen.has(key) && record.frames.length === 0) return;
    seen.add(key);
    record.frames = frames.slice(-MAX_FRAMES_PER_RECORD);
    if (pendingLink && records.length > 0) {
      const prev = records[records.length - 1];
      if (prev) prev.link = pendingLink;
    }
    pendingLink = null;
    records.push(record);
    frames = [];
    inTraceback = false;
  };

  /** Python prints a chained exception's line, message or not, right before the separator. */
  const beforeSeparator = (i: number): boolean => {
    for (let j = i + 1; j < lines.length && j <= i + 3; j++) {
      const next = lines[j] ?? '';
      if (next.trim() === '') continue;
      return next.includes('above exception') && (CAUSE_SEPARATOR.test(next) || CONTEXT_SEPARATOR.test(next));
    }
    return false;
  };

  /** A dotted exception line with a message (`asyncpg.exceptions.X: ...`) is a new error, not more of one. */
  const startsNextError = (text: string): boolean => {
    const ex = EXCEPTION_LINE.exec(text);
    return ex !== null && ex[2] !== undefined && isPlausibleType(ex[1] ?? '', knownTypes, false) && (ex[1] ?? '').includes('.');
  };

  /** Collects the lines after an exception line that continue its message. */
  const readContinuation = (start: number, pytest: boolean): { text: string; next: number } => {
    const parts: string[] = [];
    let i = start;
    for (; i < lines.length && parts.length < MAX_CONTINUATION_LINES; i++) {
      const raw = lines[i] ?? '';
      if (pytest) {
        const e = PYTEST_E_LINE.exec(raw);
        if (!e) break;
        // An `E` line that is itself a dotted exception line starts the next error, as below
        // (a log line printed by the test, then the exception it logged).
        if (startsNextError(e[1] ?? '')) break;
        parts.push(e[1] ?? '');
        continue;
      }
      if (raw.trim() === '') {
        // SQLAlchemy and libpq put trailers after a blank line: HINT, [SQL: ...], (Background ...).
        const next = lines.slice(i + 1, i + 3).find((l) => l.trim() !== '') ?? '';
        if (/^(?:\[SQL: |\[parameters: |\(Background on this (?:error|warning) at: |HINT: |DETAIL: )/.test(next)) continue;
        break;
      }
      if (TRACEBACK_START.test(raw) || CAUSE_SEPARATOR.test(raw) || CONTEXT_SEPARATOR.test(raw) || PY_FRAME.test(raw)) break;
      // A new log record at error level starts a new error, not more of this message; so do a
      // server log's next message (its DETAIL, HINT and STATEMENT lines belong to this one) and a
      // PostgreSQL client program's error line.
      if (errorLevel[i] || SERVER_NEXT_MESSAGE.test(raw) || PG_CLIENT_ERROR.test(raw)) break;
      if (startsNextError(raw)) break;
      parts.push(raw);
    }
    return { text: parts.join('\n'), next: i };
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;

    const indented = line.startsWith(' ');
    const hasPy = line.includes('.py');
    if (line.startsWith('___')) {
      const header = /^_{3,} ([\w.:[\]-]{1,200}) _{3,}$/.exec(line);
      if (header?.[1]) currentTest = header[1].replace(/\[.*$/, '').split('.').pop() ?? '';
      continue;
    }
    if (line.includes('Traceback') && TRACEBACK_START.test(line)) {
      inTraceback = true;
      frames = [];
      markFrame(i);
      continue;
    }
    if (!indented && line.endsWith(')') && line.includes('  Traceback (most recent call last)')) {
      const header = IPYTHON_HEADER.exec(line);
      if (header?.[1] && isLeadType(header[1], knownTypes)) {
        ipythonHeader = { type: header[1], lineIndex: i };
        continue;
      }
    }
    if (line.includes('above exception')) {
      if (CAUSE_SEPARATOR.test(line)) { pendingLink = 'cause'; continue; }
      if (CONTEXT_SEPARATOR.test(line)) { pendingLink = 'context'; continue; }
    }

    let m = indented && line.includes('File "') ? PY_FRAME.exec(line) : null;
    if (m) {
      inTraceback = true;
      const file = m[1] ?? '';
      let code = '';
      const indent = line.length - line.trimStart().length;
      while (i + 1 < lines.length) {
        const next = lines[i + 1] ?? '';
        const nextIndent = next.length - next.trimStart().length;
        if (next.trim() === '' || nextIndent <= indent || PY_FRAME.test(next)) break;
        i++;
        if (!code && !CARETS.test(next)) code = next.trim();
      }
      if (code) sourceLines.push(code);
      markFrame(i);
      lastFrameIndent = indent;
      frames.push({ file, line: Number(m[2]), func: (m[3] ?? '').trim(), code, library: isLibraryPath(file) });
      continue;
    }

    m = hasPy && !indented ? PYTEST_FRAME.exec(line) : null;
    if (m) {
      const file = m[1] ?? '';
      const next = lines[i + 1] ?? '';
      let code = '';
      if (/^\s{2,}\S/.test(next)) { code = next.trim(); i++; }
      if (pendingFailing) { code = pendingFailing; pendingFailing = null; }
      if (code) sourceLines.push(code);
      markFrame(i);
      frames.push({ file, line: Number(m[2]), func: m[3] ?? '', code, library: isLibraryPath(file) });
      inTraceback = true;
      continue;
    }

    // IPython / Jupyter: `Cell In[7], line 4` or `File ~/venv/.../attributes.py:566, in get(...)`
    // names the source shown below it, whose failing line has an arrow: `----> 4 print(author.books)`.
    if (line.startsWith('Cell In[') || line.startsWith('Input In [')) {
      ipythonFile = '<ipython>';
      continue;
    }
    if (line.startsWith('File ') && !indented) {
      const header = /^File (\S.{0,1000}?):(\d{1,7}), in (\S.{0,300})$/.exec(line);
      if (header?.[1]) {
        ipythonFile = header[1];
        continue;
      }
    }
    // IPython before 8 heads a frame with the file and the function: `/srv/app/ipdb/__main__.py in <module>()`,
    // `<ipython-input-1-2d6f026194dd> in <module>()`; the arrowed source line below it is that file's.
    if (!indented && line.includes(' in ') && (hasPy || line.startsWith('<ipython-input-'))) {
      const header = /^(\S{1,1000}\.py|<ipython-input-[\w-]{1,80}>) in [\w<>]{1,300}(?:\(.{0,1000}\))?\s*$/.exec(line);
      if (header?.[1]) {
        ipythonFile = header[1];
        continue;
      }
    }
    if (line.startsWith('--')) {
      const arrow = /^-{2,8}> ?\d{1,7} {1,40}(\S.{0,1000})$/.exec(line);
      if (arrow?.[1]) {
        const code = arrow[1].trim();
        const library = ipythonFile !== '<ipython>' && isLibraryPath(ipythonFile);
        if (!library) failingLines.push(code);
        sourceLines.push(code);
        markFrame(i);
        frames.push({ file: ipythonFile, line: null, func: '', code, library });
        inTraceback = true;
        continue;
      }
    }
    // pytest long format: source shown with the failing line marked by `>`.
    const failing = line.startsWith('>') ? /^>\s{1,40}(\S.{0,1000})$/.exec(line) : null;
    if (failing?.[1]) {
      pendingFailing = failing[1].trim();
      failingLines.push(pendingFailing);
      sourceLines.push(pendingFailing);
      inTraceback = true;
      continue;
    }
    const colon = line.includes(': ');
    // An exception line indented with the rest of a Markdown code block or a report
    // (`    DatabaseError: server closed the connection unexpectedly`, then libpq's tab-indented
    // lines). Python never indents its own, and a frame's source line went with its frame above.
    if (indented && colon && /^\s{1,8}[A-Za-z_]/.test(line)) {
      const body = line.trimStart();
      const ex = EXCEPTION_LINE.exec(body);
      const head = ex?.[1] && ex[2] !== undefined && isPlausibleType(ex[1], knownTypes, false) ? { type: ex[1], message: ex[2] } : body.includes('::') ? readRubyException(body, knownTypes) : null;
      if (head) {
        const cont = readContinuation(i + 1, false);
        push(emptyRecord('exception', head.type, '', i), [head.message, cont.text].filter(Boolean).join('\n'));
        i = cont.next - 1;
        continue;
      }
    }
    // A traceback shifted right as a whole by fewer columns than wrappers.ts dedents (aerich#259's
    // frames at 3 and source lines at 5; a Linear issue archived with its log one column in): the
    // exception line without a message (` asyncio.exceptions.TimeoutError`) is indented too, still
    // left of the frames and right below the last one, where Python prints it.
    if (indented && !colon && inTraceback && lastFrameLine === i - 1 && frames.length > 0) {
      const indent = line.length - line.trimStart().length;
      const ex = indent < lastFrameIndent && indent <= 8 ? EXCEPTION_LINE.exec(line.trim()) : null;
      if (ex?.[1] && ex[2] === undefined && isPlausibleType(ex[1], knownTypes, true)) {
        push(emptyRecord('exception', ex[1], '', i), '');
        continue;
      }
    }
    if (/^ {4,}\S/.test(line) && !inTraceback) {
      sourceLines.push(line.trim());
    }

    const e = line.startsWith('E ') ? PYTEST_E_LINE.exec(line) : null;
    if (e) {
      const first = e[1] ?? '';
      const ex = EXCEPTION_LINE.exec(first);
      const cont = readContinuation(i + 1, true);
      if (ex?.[1] && isPlausibleType(ex[1], knownTypes, true)) {
        push(emptyRecord('exception', ex[1], '', i), [ex[2] ?? '', cont.text].filter(Boolean).join('\n'));
      } else if (first.trim()) {
        const inline = INLINE_TYPE.exec(first);
        if (inline?.[1] && isPlausibleType(inline[1], knownTypes, false)) {
          push(emptyRecord('exception', inline[1], '', i), first.slice((inline.index ?? 0) + inline[0].length) + (cont.text ? `\n${cont.text}` : ''));
        } else {
          push(emptyRecord('line', '', '', i), [first, cont.text].filter(Boolean).join('\n'));
        }
      }
      i = cont.next - 1;
      continue;
    }

    m = hasPy && !indented ? PYTEST_LOCATION.exec(line) : null;
    if (m) {
      const file = m[1] ?? '';
      const code = pendingFailing ?? '';
      pendingFailing = null;
      const last = records[records.length - 1];
      if (m[3] && last && last.shortType === m[3].slice(m[3].lastIndexOf('.') + 1) && last.frames.length === 0) {
        // `path:123: MissingGreenlet` closes the entry whose `E` lines we already read.
        last.frames = [...frames, { file, line: Number(m[2]), func: '', code, library: isLibraryPath(file) }].slice(-MAX_FRAMES_PER_RECORD);
        frames = [];
      } else {
        const library = isLibraryPath(file);
        markFrame(i);
        frames.push({ file, line: Number(m[2]), func: library ? '' : currentTest, code, library });
      }
      continue;
    }

    m = line.includes('Warning: ') || line.includes('Deprecat') ? WARNING_LINE.exec(line) : null;
    if (m) {
      const next = lines[i + 1] ?? '';
      if (/^\s{2,}\S/.test(next) && !PY_FRAME.test(next)) { sourceLines.push(next.trim()); i++; }
      // A warning's message may go on over several lines (pydantic's "* 'orm_mode' has been renamed").
      const cont = /^\s{2,}\S/.test(lines[i + 1] ?? '') ? { text: '', next: i + 1 } : readContinuation(i + 1, false);
      const saved = frames;
      frames = [{ file: m[1] ?? '', line: Number(m[2]), func: '', code: '', library: isLibraryPath(m[1] ?? '') }];
      push(emptyRecord('warning', m[3] ?? '', '', i), [m[4] ?? '', cont.text].filter(Boolean).join('\n'));
      frames = saved;
      i = cont.next - 1;
      continue;
    }

    m = line.startsWith('FAILED ') || line.startsWith('ERROR ') ? PYTEST_SUMMARY.exec(line) : null;
    if (m?.[1] && isPlausibleType(m[1], knownTypes, true)) {
      push(emptyRecord('exception', m[1], '', i), m[2] ?? '');
      continue;
    }

    // `httpx.ConnectTimeout` alone on its line, then "The above exception was the direct cause
    // ...": an exception whose message is empty, even when the traceback above it was cut off.
    const chained = !indented && !colon && !inTraceback && beforeSeparator(i);
    if (!indented && (colon || inTraceback || chained)) {
      const ex = EXCEPTION_LINE.exec(line);
      const type = ex?.[1] ?? '';
      if (ex && (ex[2] !== undefined || inTraceback || chained) && isPlausibleType(type, knownTypes, inTraceback || chained)) {
        const cont = readContinuation(i + 1, false);
        const agentType = ex[2] === undefined ? null : readAgentClass(type, ex[2], knownTypes);
        if (agentType) push(emptyRecord('exception', agentType, '', i), cont.text);
        else push(emptyRecord('exception', type, '', i), [ex[2] ?? '', cont.text].filter(Boolean).join('\n'));
        i = cont.next - 1;
        continue;
      }
      const ruby = colon && line.includes('::') ? readRubyException(line, knownTypes) : null;
      if (ruby) {
        const cont = readContinuation(i + 1, false);
        push(emptyRecord('exception', ruby.type, '', i), [ruby.message, cont.text].filter(Boolean).join('\n'));
        i = cont.next - 1;
        continue;
      }
    }

    const header = !indented && !colon && !inTraceback ? QUALIFIED_HEADER.exec(line) : null;
    if (header?.[1] && knownTypes.has(shortTypeOf(header[1]))) {
      push(emptyRecord('exception', header[1], '', i), header[2] ?? '');
      continue;
    }

    const inline = colon || line.includes(') ') ? INLINE_TYPE.exec(line) : null;
    if (inline?.[1] && isPlausibleType(inline[1], knownTypes, false) && (knownTypes.has(inline[1].slice(inline[1].lastIndexOf('.') + 1)) || TYPE_SUFFIX.test(inline[1]))) {
      const start = (inline.index ?? 0) + inline[0].length;
      const cont = readContinuation(i + 1, false);
      // `... Original exception was: (sqlalchemy...IntegrityError) ...`: a type in SQLAlchemy's
      // wrapped form after other text is a quoted cause; the line's head names the error.
      const quotedCause = inline[0].trimStart().startsWith('(') && line.slice(0, inline.index).trim().length > 0;
      if (quotedCause) push(emptyRecord('line', '', '', i), [line, cont.text].filter(Boolean).join('\n'));
      else push(emptyRecord('exception', inline[1], '', i), [line.slice(start), cont.text].filter(Boolean).join('\n'));
      i = cont.next - 1;
      continue;
    }

    const task = line.includes(' exception=') ? readTaskException(line) : null;
    if (task && isLeadType(task.type, knownTypes)) { push(emptyRecord('exception', task.type, '', i), task.message); continue; }
    const repr = line.includes('(') && line.endsWith(')') ? REPR_EXCEPTION.exec(line.trimEnd()) : null;
    if (repr?.[1] && isLeadType(repr[1], knownTypes)) {
      push(emptyRecord('exception', repr[1], '', i), repr[2] ?? repr[3] ?? '');
      continue;
    }

    if (errorLevel[i] && isBareTestPath(line)) continue;
    if (errorLevel[i] || /^(?:FATAL|ERROR|PANIC|error|fatal|psql: error):\s/.test(line)) {
      const cont = readContinuation(i + 1, false);
      push(emptyRecord('line', '', '', i), [line, cont.text].filter(Boolean).join('\n'));
      i = cont.next - 1;
      continue;
    }

    const quoted = colon && quotedScans < MAX_QUOTED_SCANS && /["“`‘「]/.test(line) ? (quotedScans++, QUOTED_EXCEPTION.exec(line)) : null;
    if (quoted) {
      let k = 1;
      while (k < quoted.length - 1 && quoted[k] === undefined) k += 2;
      const type = quoted[k] ?? '';
      if (isPlausibleType(type, knownTypes, false)) {
        const record = emptyRecord('exception', type, '', i);
        record.quoted = true;
        push(record, quoted[k + 1] ?? '');
      }
    }
  }

  // A traceback cut before its exception line (an issue body trimmed mid-trace, a title above
  // the excerpt, GlobaLeaks' mail that names the class above the frames) leaves frames no record
  // owns. The prose above the first traceback names the exception they raised: a record of that
  // class, read from the lead, owns them (or the lead's own exception line, when it was one).
  // With no lead naming it, the last frame's own `raise AppRegistryNotReady("Models aren't loaded
  // yet.")` (an excerpt cut right after the raising frame) names the exception and its message.
  if (frames.length > 0 && records.every((r) => r.lineIndex < framesFrom)) {
    const last = records[records.length - 1];
    // Without a literal message only when the paste read nothing else (pytest's E lines come first).
    const raised = raisedByLastFrame(frames, knownTypes, records.length === 0);
    if (firstTraceLine > 0 && last && last.kind === 'exception' && last.frames.length === 0 && last.lineIndex < firstTraceLine) {
      last.frames = frames.slice(-MAX_FRAMES_PER_RECORD);
      frames = [];
    } else {
      // IPython's header right above these frames names their exception; else the lead prose may.
      const h = ipythonHeader;
      const header = h && h.lineIndex < framesFrom && records.every((r) => r.lineIndex < h.lineIndex) ? { ...h, message: '' } : null;
      const lead = header ?? (firstTraceLine > 0 ? exceptionNamedInLead(lines, firstTraceLine, knownTypes) : null);
      if (lead) {
        const sameClass = raised !== null && shortTypeOf(raised.type) === shortTypeOf(lead.type);
        push(emptyRecord('exception', lead.type, '', lead.lineIndex), lead.message || (sameClass ? raised.message : ''));
      } else if (raised) {
        push(emptyRecord('exception', raised.type, '', lastFrameLine), raised.message);
      } else if (pendingLink && last?.kind === 'exception' && firstTraceLine > 0 && records.every((r) => r.lineIndex > firstTraceLine)) {
        // A chain cut after "During handling of the above exception ..." (or "... direct cause
        // ..."): the exception above was handled, and the one that ended the program is not in the
        // paste. Code that logs an error before raising it (FastAPI's form check logs "Form data
        // requires ..." then raises it) leaves that error above the traceback: those lines are read
        // as messages too, as they would be had the paste shown no exception at all. Only when
        // nothing above the first frame was read already (pytest's E lines, a logged error).
        const lead = lineGroups(lines, 0, firstTraceLine).slice(0, MAX_LEAD_LINES).map((g) => {
          const r = emptyRecord('line', '', '', g.lineIndex);
          finishMessage(r, g.parts.join('\n'));
          return r;
        });
        records.unshift(...lead);
      }
    }
  }

  // Nothing recognisable: a retyped message, a lone background link, a sentence quoting the
  // error. Each error-looking line becomes a bare record so signatures and fuzzy can see it.
  if (records.length === 0) {
    const groups = lineGroups(lines, 0, lines.length);
    for (const g of groups) {
      const r = emptyRecord('line', '', '', g.lineIndex);
      finishMessage(r, g.parts.join('\n'));
      records.push(r);
      // A message quoted in the sentence is read on its own too: a signature anchored at the
      // message's start sees it from its first character.
      const text = r.unwrapped ?? r.message;
      if (!/["“`「]/.test(text)) continue;
      let n = 0;
      for (const m of text.matchAll(QUOTED_MESSAGE)) {
        const quote = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').trim();
        if (n >= QUOTED_MESSAGES_PER_LINE) break;
        if (!quote || quote === text) continue;
        n++;
        const q = emptyRecord('line', '', '', g.lineIndex);
        q.quoted = true;
        finishMessage(q, quote);
        records.push(q);
      }
    }
    // Prose alone: frames no record owns are the lead rule's above, never a sentence's below.
    if (firstTraceLine < 0) records.push(...classesNamedInProse(records, knownTypes));
  }
  else insertToolLines(records, lines, (at, text) => { const r = emptyRecord('line', '', '', at); finishMessage(r, text); return r; });
  insertAlembicHeads(records, lines, (at, text) => { const r = emptyRecord('line', '', '', at); finishMessage(r, text); r.stateReport = true; return r; });
  const wrappers = input.wrappers ?? [];
  if (records.length <= MAX_RECORDS) return { records, sourceLines: sourceLines.slice(-500), failingLines, lines, wrappers };
  return { ...capRecords(records), sourceLines: sourceLines.slice(-500), failingLines, lines, wrappers };
}

/** The lines from `from` to `to`, as messages: each line, with what continues it (libpq's DETAIL, a wrapped message). */
function lineGroups(lines: readonly string[], from: number, to: number): { lineIndex: number; parts: string[]; chars: number }[] {
  const groups: { lineIndex: number; parts: string[]; chars: number }[] = [];
  let last: (typeof groups)[number] | null = null;
  let lastLine = -1;
  for (let idx = from; idx < to; idx++) {
    const l = lines[idx] ?? '';
    // libpq's DETAIL/HINT and SQLAlchemy's trailers continue the line above, not a new error.
    if (last && /^(?:DETAIL|HINT|CONTEXT): |^\[(?:SQL|parameters): |^\(Background on this (?:error|warning) at: /.test(l)) {
      last.parts.push(l.trim());
      lastLine = idx;
      continue;
    }
    // So does the rest of a wrapped message (alembic's 72 columns, a hand-wrapped report).
    if (last && lastLine === idx - 1 && last.chars < MAX_WRAPPED_CHARS && isSoftWrap(lines[idx - 1] ?? '', l)) {
      last.parts.push(l.trim());
      last.chars += l.length;
      lastLine = idx;
      continue;
    }
    if (groups.length < 50 && l.trim().length >= 8) {
      last = { lineIndex: idx, parts: [l.trim()], chars: l.length };
      groups.push(last);
      lastLine = idx;
    }
  }
  return groups;
}

const BARE_TEST_PATH = /^[\w./\\-]{1,1000}\.py(?:::[\w.[\]:-]{1,300})?$/;

/**
 * pytest's short summary line `ERROR sopel/test_tools.py` (or `ERROR tests/x.py::test_y`) once the
 * log level was read off it: it names the file whose error was printed above, and says nothing of
 * it. Read as an error, it would hide that message (a collection error with no exception line,
 * such as "import file mismatch:", is then read from the lines around it).
 */
function isBareTestPath(line: string): boolean {
  return line.includes('.py') && BARE_TEST_PATH.test(line);
}

// A class name standing alone in a sentence, in any script around it: `we will get
// NumericValueOutOfRange.`, `DetachedInstanceErrorが出ました`. Not a dotted path's tail, not a word's part.
const PROSE_TYPE = /(?<![\w.])((?:[a-z_]\w{0,60}\.){0,8}[A-Z][a-z]{1,30}[A-Z]\w{1,80})(?!\w)/g;
const PROSE_TYPES_PER_LINE = 3;
const BARE_CLASS_LINE = /^[`*]{0,3}((?:[a-z_]\w{0,60}\.){1,8}[A-Z]\w{2,80})[`*]{0,3}$/;
// The sentence says the error happens to the writer ("we will get X", "X happens when", "Xが出ました",
// "users are experiencing X errors"; not the noun, "in my experience X ...")...
const PROSE_SUFFERED = /\b(?:get|gets|getting|got|see|seeing|saw|receiv(?:e|es|ed|ing)|throws?|throwing|threw|raises?|raised|raising|hit|hitting|encounter(?:s|ed|ing)?|(?<!\b(?:my|our|your|their|user|in) )experienc(?:e|es|ed|ing)|ran into|run into|running into|occurs?|occurred|occurring|happens?|happened|happening|results? in|resulting in|leads? to|leading to)\b|が(?:出|発生)|エラーにな|発生し/i;
// ...and is prose, not source code that names the class (`except MultipleResultsFound:`)...
const PROSE_CODE = /^\s{0,40}(?:except|raise|import|from|def|class|try|return|with|if|elif|else)\b.{0,300}$|:\s*$/m;
// ...and does not say it was fixed, nor give a changelog's or a review's account of it.
const PROSE_SETTLED = /\bfix(?:ed|es|ing)?\b|\bresolved?\b|\bsolved\b|修正|解決/i;

/**
 * Chat or prose that names an exception class and nothing else (no exception line, no message)
 * and says the writer gets it: the class alone is evidence when a fault names it or it is a
 * driver's per-SQLSTATE class. Each becomes a quoted, message-less record of that type:
 * diagnosed when asked, never output itself. A line saying it was fixed, or code naming the
 * class (`except NoResultFound:`), is no such report.
 */
function classesNamedInProse(lineRecords: readonly ErrorRecord[], knownTypes: ReadonlySet<string>): ErrorRecord[] {
  const out: ErrorRecord[] = [];
  const seen = new Set<string>();
  for (const r of lineRecords) {
    if (r.quoted || r.type || r.message.length > 2000) continue;
    // The class alone on its line, with its module (`sqlalchemy.exc.MissingGreenlet` under "an
    // error that says:", the sentence going on below it): an exception's name as Python prints
    // it when its message is empty.
    const head = r.message.slice(0, 300).split('\n', 1)[0] ?? '';
    const bare = BARE_CLASS_LINE.exec(head);
    if (bare?.[1]) {
      const short = shortTypeOf(bare[1]);
      if (!seen.has(short) && !GENERIC_TYPES.test(short) && knownTypes.has(short)) {
        seen.add(short);
        const named = emptyRecord('line', bare[1], '', r.lineIndex);
        named.quoted = true;
        finishMessage(named, '');
        out.push(named);
      }
      continue;
    }
    if (!PROSE_SUFFERED.test(r.message) || PROSE_SETTLED.test(r.message) || PROSE_CODE.test(r.message)) continue;
    let n = 0;
    for (const m of r.message.matchAll(PROSE_TYPE)) {
      const type = m[1] ?? '';
      const short = shortTypeOf(type);
      if (n >= PROSE_TYPES_PER_LINE || seen.has(short)) continue;
      if (GENERIC_TYPES.test(short) || !(knownTypes.has(short) || isSqlstateClass(type))) continue;
      n++;
      seen.add(short);
      const named = emptyRecord('line', type, '', r.lineIndex);
      named.quoted = true;
      finishMessage(named, '');
      out.push(named);
    }
  }
  return out;
}

/** A class name read outside an exception line: one a fault names, or one that says it is an error. */
function isLeadType(type: string, knownTypes: ReadonlySet<string>): boolean {
  const short = shortTypeOf(type);
  if (GENERIC_TYPES.test(short)) return false;
  return knownTypes.has(short) || knownTypes.has(type) || /(?:Error|Exception|Timeout)$/.test(short);
}

/**
 * The first exception class the lead prose (the lines above the first traceback) names, with the
 * message when the lead quotes the exception line whole: a title `windows django-celery fails:
 * AppRegistryNotReady: Apps aren't loaded yet.` names the class and says what it said.
 */
function exceptionNamedInLead(lines: readonly string[], end: number, knownTypes: ReadonlySet<string>): { type: string; lineIndex: number; message: string } | null {
  for (let i = 0; i < Math.min(end, MAX_LEAD_LINES); i++) {
    const line = lines[i] ?? '';
    if (line.length > 1000) continue;
    for (const m of line.matchAll(LEAD_TYPE)) {
      const type = m[1] ?? '';
      if (!isLeadType(type, knownTypes)) continue;
      const said = LEAD_MESSAGE.exec(line.slice((m.index ?? 0) + m[0].length));
      return { type, lineIndex: i, message: said?.[1]?.trim() ?? '' };
    }
  }
  return null;
}

/**
 * The exception the last frame raises when its source line is `raise Class("a literal")`: Django's
 * `raise AppRegistryNotReady("Models aren't loaded yet.")`, shown as the last line of an excerpt
 * that stops before Python's exception line. A formatted message (`% x`, an f-string) is not read.
 */
function raisedByLastFrame(frames: readonly Frame[], knownTypes: ReadonlySet<string>, bare: boolean): { type: string; message: string } | null {
  const code = frames[frames.length - 1]?.code ?? '';
  if (!code.startsWith('raise ')) return null;
  const m = RAISE_LITERAL.exec(code);
  if (!m?.[1]) return bare ? raisedWithoutLiteral(code, knownTypes) : null;
  if (!isLeadType(m[1], knownTypes)) return null;
  return { type: m[1], message: m[2] ?? m[3] ?? '' };
}

// `raise exc.MissingGreenlet(` with the message on the lines below, or the same line cut mid-name
// by the excerpt (`raise exc.Missin`).
const RAISE_OPEN = /^raise (?:[a-z_]\w{0,60}\.){0,8}([A-Z]\w{2,80})(\(?)$/;
const MIN_CUT_NAME = 5;

/**
 * The class a last frame's `raise` names when the excerpt shows no literal message, when a fault
 * names it: whole when the call opens over several lines; cut short, the one such class that
 * starts so (none when several do: `raise exc.NoS` may be NoSuchColumnError or NoSuchModuleError).
 * The message is not known.
 */
function raisedWithoutLiteral(code: string, knownTypes: ReadonlySet<string>): { type: string; message: string } | null {
  const m = RAISE_OPEN.exec(code);
  const name = m?.[1] ?? '';
  if (!name) return null;
  if (knownTypes.has(name)) return { type: name, message: '' };
  if (m?.[2] === '(') return null;
  if (name.length < MIN_CUT_NAME) return null;
  const whole = [...knownTypes].filter((t) => t.startsWith(name));
  return whole.length === 1 && whole[0] ? { type: whole[0], message: '' } : null;
}

const SEVERITY: Record<ErrorRecord['kind'], number> = { exception: 2, line: 1, warning: 0 };

/**
 * A long log can hold hundreds of error records before the crash that ended it. The newest are
 * kept (the crash is last); the most severe record is kept too when it came earlier (a
 * traceback followed by 200 warnings). The rest are returned for counting only.
 */
function capRecords(all: ErrorRecord[]): { records: ErrorRecord[]; omitted: ErrorRecord[] } {
  const keep = all.slice(-MAX_RECORDS);
  const omitted = all.slice(0, all.length - MAX_RECORDS);
  const worstKept = Math.max(...keep.map((r) => SEVERITY[r.kind]));
  let worstOmitted = -1;
  for (let i = omitted.length - 1; i >= 0; i--) {
    if (SEVERITY[(omitted[i] as ErrorRecord).kind] > worstKept && (worstOmitted < 0 || SEVERITY[(omitted[i] as ErrorRecord).kind] > SEVERITY[(omitted[worstOmitted] as ErrorRecord).kind])) worstOmitted = i;
  }
  if (worstOmitted < 0) return { records: keep, omitted };
  const [worst] = omitted.splice(worstOmitted, 1) as [ErrorRecord];
  omitted.push(keep.shift() as ErrorRecord);
  return { records: [worst, ...keep], omitted };
}
