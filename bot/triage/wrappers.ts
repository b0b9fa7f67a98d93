/**
 * The wrappers a log pipeline puts around a whole paste, undone once per paste before lines are
 * read: one JSON record per line (Docker's json-file driver, a Kubernetes node's container log,
 * a JSON logger), a whole paste held in one JSON field (Google Cloud Logging's `textPayload`,
 * `jsonPayload.message`, structlog's `exception`), and a prefix every line of the paste carries
 * (`kubectl logs --prefix`, Heroku, `journalctl -o short-iso`, Papertrail, `docker logs
 * --timestamps`). The per-line prefixes of normalise.ts are read line by line and cannot tell a
 * wrapper from a line's own words; these are told by the paste: most of its lines carry them.
 * Bounded: each regex is anchored with bounded repeats, JSON.parse runs on lines that open and
 * close as an object, and every scan is one pass over at most MAX_SCAN_LINES lines.
 */

/** Lines a paste-wide prefix is looked for in, and records decoded at most. */
const MAX_SCAN_LINES = 6000;
/** A JSON record longer than this is left as it is (normalise cuts such lines anyway). */
const MAX_RECORD_CHARS = 256 * 1024;
/** Share of a paste's non-blank lines that must carry a prefix for it to be the paste's wrapper. */
const PREFIX_SHARE = 0.6;
const MAX_PREFIX_LAYERS = 3;

// RFC 3339 as Docker, Kubernetes, Heroku and GitHub Actions print it: `2024-03-14T09:12:44.1234567Z`,
// `2022-07-06T04:25:10.665448+00:00`, journalctl's short-iso `2024-03-14T09:12:44+0000`.
const RFC3339 = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})`;
const SYSLOG_TIME = String.raw`[A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2}`;

/**
 * Prefixes a pipeline writes before every line, each ending with the one space it adds (the
 * line's own indentation stays). Each is anchored and bounded; several may stack
 * (`docker compose logs -t`: the service, then the timestamp). `words` says where the paste ran,
 * for clues to read once the prefix is gone; none for a bare timestamp, and none for compose here
 * (normalise.ts names it from the service's replica number: a bare `name | ` may be a table).
 */
const PASTE_PREFIXES: { name: string; re: RegExp; words?: string }[] = [
  // docker compose: `app-1  | `, `web_1     | ` (normalise.ts reads it line by line too; here it is
  // taken off first so that a timestamp under it keeps the line's indentation); `docker service
  // logs`: `jovial_bhabha.2.nsj65viveh8t@dev    | ` (task id and node).
  { name: 'compose', re: /^[\w.-]{1,64}(?:@[\w.-]{1,64})? {0,16}\|(?: |$)/ },
  // `kubectl logs --prefix`: `[pod/api-7cfd7bf68f-nk5kr/api] `
  { name: 'kubectl', re: /^\[pod\/[\w.-]{1,253}\/[\w.-]{1,63}\](?: |$)/, words: 'kubectl logs' },
  // Heroku: `2022-07-06T04:25:10.665448+00:00 app[web.1]: `, `... heroku[router]: `
  { name: 'heroku', re: new RegExp(String.raw`^${RFC3339} (?:app|heroku)\[[\w.-]{1,64}\]:(?: |$)`), words: 'heroku logs' },
  // journalctl -o short-iso: `2024-03-14T09:12:44+0000 web01 uvicorn[8812]: `. The pid is required:
  // without it `<time> exec ./entrypoint.sh: exec format error` would read as host `exec`.
  { name: 'journald-iso', re: new RegExp(String.raw`^${RFC3339} [\w.-]{1,64} [\w.@/-]{1,64}\[\d{1,10}\]:(?: |$)`) },
  // Papertrail's Heroku drain: `Apr 04 17:46:18 dlgr-4399267a app/web.1 ` (program/dyno, no colon)
  { name: 'papertrail', re: new RegExp(String.raw`^${SYSLOG_TIME} [\w.-]{1,64} (?:app|heroku)\/[\w.-]{1,64}(?: |$)`) },
  // journald / syslog: `Mar 14 09:12:44 web01 gunicorn[8812]: ` (pid required, as above)
  { name: 'journald', re: new RegExp(String.raw`^${SYSLOG_TIME} [\w.-]{1,64} [\w.@/-]{1,64}\[\d{1,10}\]:(?: |$)`) },
  // `docker logs --timestamps`, GitHub Actions' raw log: `2024-03-14T09:12:44.238986028Z `
  { name: 'rfc3339', re: new RegExp(String.raw`^${RFC3339}(?: |$)`) },
  // BuildKit (`docker build`, `docker compose build`): a step's output under its elapsed seconds,
  // `#19 0.577 ` with --progress=plain, and bare `1.688 ` in the failing step's lines buildx repeats
  // under ` > [6/6] RUN ...:` when the build fails. Quoted in a Markdown reply (`> 1.688 ...`), the
  // quote marker goes with it: normalise.ts reads quotes line by line, after this prefix is gone.
  { name: 'buildkit', re: /^(?:> ?)?(?:#\d{1,5} )?\d{1,6}\.\d{3}(?: |$)/, words: 'docker build' },
];

// AWS Lambda's Python runtime in CloudWatch: `[ERROR]\t2024-03-14T09:12:44.512Z\t<request id>\t<message>`.
// The time and the request id go; the level stays for normalise.ts to read (`[ERROR] `).
const LAMBDA_PREFIX = /^\[(CRITICAL|ERROR|WARNING|INFO|DEBUG)\]\t\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z\t[0-9a-fA-F-]{8,64}\t/;

/**
 * A paste indented as a whole (a Markdown code block indented by four spaces, a report's quoted
 * block): the common indentation goes, so an exception line is read at its line's start again.
 * Only four spaces or more, and not when the least indented lines are frames (`  File "..."`
 * alone is a traceback cut from its header, whose indentation is its own).
 */
function dedent(lines: string[]): string[] {
  let min = Infinity;
  let minIsFrame = true;
  for (let i = 0; i < lines.length && i < MAX_SCAN_LINES; i++) {
    const l = lines[i] as string;
    if (isBlank(l)) continue;
    const indent = l.length - l.trimStart().length;
    if (indent < 4 || l[0] === '\t') return lines;
    if (indent < min) {
      min = indent;
      minIsFrame = true;
    }
    if (indent === min && !l.trimStart().startsWith('File "')) minIsFrame = false;
  }
  if (min === Infinity || minIsFrame) return lines;
  return lines.map((l) => (isBlank(l) ? l : l.slice(min)));
}

// A frame line a log view or a logger wrote flush left (Heroku's dashboard, a Cloud Logging
// `textPayload`: `File "/layers/.../httptools_impl.py",line 375, in run_asgi`), with at most one space.
const FLUSH_FRAME = /^ ?File "([^"]{1,1000})", ?line (\d{1,9})(, in .{1,300})?$/;
// What may follow a frame flush left and is not its source line: another frame, the traceback's
// header or a chain separator, or the exception line (`werkzeug.exceptions.NotFound: ...`, `KeyError`).
const NOT_SOURCE = /^(?:File "|Traceback \(|During handling|The above exception)|^(?:[a-z_]\w{0,60}\.){0,8}[A-Z]\w{0,100}(?::\s|:?$)/;
const CARETS_ONLY = /^\s{0,40}[~^]{1,300}\s{0,4}$/;

/**
 * Frames written flush left, as Python indents them: the frame by two spaces, its source line
 * (and the carets under it) by four, so the traceback reads as one. Frames already indented stay.
 */
function reindentFrames(lines: string[]): string[] {
  let out: string[] | null = null;
  for (let i = 0; i < lines.length && i < MAX_SCAN_LINES; i++) {
    const line = lines[i] as string;
    if (!line.startsWith('File "') && !line.startsWith(' File "')) continue;
    const m = FLUSH_FRAME.exec(line);
    if (!m) continue;
    out ??= [...lines];
    out[i] = `  File "${m[1]}", line ${m[2]}${m[3] ?? ''}`;
    const next = lines[i + 1];
    if (next === undefined || isBlank(next) || /^\s/.test(next) || NOT_SOURCE.test(next)) continue;
    out[i + 1] = `    ${next}`;
    i++;
    const carets = lines[i + 1];
    if (carets !== undefined && CARETS_ONLY.test(carets)) {
      out[i + 1] = `    ${carets.trimStart()}`;
      i++;
    }
  }
  return out ?? lines;
}

/** Keys whose string value is the text of a log record, in the order they are shown. */
const MESSAGE_KEYS = ['log', 'textPayload', 'message', 'msg', 'MESSAGE', 'event'];
/** Keys holding a formatted traceback next to the message. */
const EXCEPTION_KEYS = ['exc_info', 'exception', 'exc_text', 'stack_trace', 'traceback', 'stacktrace', 'error', 'err'];
/** Keys that say an object is a log record (not an API's response body such as FastAPI's 422 `detail`). */
const RECORD_KEYS = ['time', 'timestamp', '@timestamp', 'asctime', 'ts', 'level', 'levelname', 'severity', 'stream', 'insertId', 'logger', 'name', '__REALTIME_TIMESTAMP'];
/** Where Google Cloud Logging nests a structured record. */
const NESTED_KEYS = ['jsonPayload'];

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The text a log record holds: its message, then its traceback; null when it is no log record. */
function recordText(obj: JsonObject, depth = 0): string | null {
  for (const key of NESTED_KEYS) {
    const nested = obj[key];
    if (depth === 0 && isObject(nested)) {
      const text = recordText({ ...nested, severity: obj.severity ?? nested.severity ?? 'x' }, depth + 1);
      if (text !== null) return text;
    }
  }
  // A log record says so by a time or level key, or by a message next to a traceback
  // (structlog's `{"event": ..., "exception": "Traceback ..."}` without its timestamper).
  const record = RECORD_KEYS.some((k) => k in obj) || 'log' in obj || (MESSAGE_KEYS.some((k) => typeof obj[k] === 'string') && EXCEPTION_KEYS.some((k) => typeof obj[k] === 'string'));
  if (!record) return null;
  const parts: string[] = [];
  for (const key of MESSAGE_KEYS) {
    const v = obj[key];
    if (typeof v === 'string') {
      parts.push(v);
      break;
    }
  }
  for (const key of EXCEPTION_KEYS) {
    const v = obj[key];
    if (typeof v === 'string' && v.trim() !== '') {
      parts.push(v);
      break;
    }
  }
  if (parts.length === 0) return null;
  // Docker's `log` ends with the line's own newline; the record's line end is enough.
  return parts.join('\n').replace(/\r?\n$/, '');
}

/**
 * A line holding one JSON log record, decoded to the text it carries; text before the record on
 * the line (a compose service, a timestamp) stays before it. Null when the line is no record.
 */
function decodeRecordLine(line: string): string | null {
  const end = line.trimEnd();
  if (!end.endsWith('}') || end.length > MAX_RECORD_CHARS) return null;
  const start = end.indexOf('{');
  if (start < 0 || start > 200 || end[start + 1] === undefined) return null;
  // `{"` or `{ "`: an object whose first key is a string, as every JSON logger writes it.
  if (!/^\{\s{0,4}"/.test(end.slice(start, start + 6))) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(end.slice(start));
  } catch {
    return null;
  }
  if (!isObject(parsed)) return null;
  const text = recordText(parsed);
  if (text === null) return null;
  return end.slice(0, start) + text;
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** Non-blank lines at the head of a paste searched for the first line a prefix opens (prose may come first). */
const HEAD_LINES = 10;

/** The prefix the first prefixed line among the paste's first non-blank lines carries, and that line's index. */
function firstPrefixed(lines: readonly string[]): { re: RegExp; words?: string; at: number } | null {
  let seen = 0;
  for (let i = 0; i < lines.length && seen < HEAD_LINES; i++) {
    const l = lines[i] as string;
    if (isBlank(l)) continue;
    seen++;
    const prefix = PASTE_PREFIXES.find((p) => p.re.test(l));
    if (prefix) return prefix.words ? { re: prefix.re, words: prefix.words, at: i } : { re: prefix.re, at: i };
  }
  return null;
}

/**
 * Removes the prefix the paste's log carries, layer by layer: a prefix opened by one of the first
 * lines and carried by most non-blank lines from there to the last line that carries it (the log
 * a poster copied under a sentence). Lines without it stay as they are.
 */
function stripPastePrefixes(lines: string[], words: string[]): string[] {
  let out = lines;
  const scan = Math.min(out.length, MAX_SCAN_LINES);
  for (let layer = 0; layer < MAX_PREFIX_LAYERS; layer++) {
    const prefix = firstPrefixed(out);
    if (!prefix) return out;
    let nonBlank = 0;
    let carrying = 0;
    let span = 0;
    for (let i = prefix.at; i < scan; i++) {
      const l = out[i] as string;
      if (isBlank(l)) continue;
      nonBlank++;
      if (prefix.re.test(l)) {
        carrying++;
        span = nonBlank;
      }
    }
    if ((carrying < 2 && nonBlank > 1) || carrying < span * PREFIX_SHARE) return out;
    if (prefix.words) words.push(prefix.words);
    out = out.map((l, i) => {
      if (i < prefix.at || i >= scan) return l;
      const m = prefix.re.exec(l);
      return m ? l.slice(m[0].length) : l;
    });
  }
  return out;
}

/**
 * The paste without the wrappers a log pipeline put around it; the same string when it has none.
 * Runs once per paste, before escaped tracebacks are expanded and lines are read. What the
 * paste-wide prefixes taken off say of where it ran is pushed to `found` (`kubectl logs`).
 */
export function unwrapPaste(text: string, found: string[] = []): string {
  let lines: string[] | null = null;
  if (text.includes('{') && text.includes('"')) {
    const all = text.split('\n');
    let decoded = false;
    const out = all.map((line, i) => {
      if (i >= MAX_SCAN_LINES || !line.includes('{"') && !line.includes('{ "')) return line;
      const d = decodeRecordLine(line);
      if (d === null) return line;
      decoded = true;
      return d;
    });
    if (decoded) lines = out.join('\n').split('\n');
  }
  if (text.includes(']\t')) {
    lines = (lines ?? text.split('\n')).map((l) => (l.startsWith('[') ? l.replace(LAMBDA_PREFIX, '[$1] ') : l));
  }
  const head = lines ?? text.slice(0, 4000).split('\n');
  if (firstPrefixed(head) !== null) lines = stripPastePrefixes(lines ?? text.split('\n'), found);
  // Frames flush left are re-indented in a paste that says it is a traceback, or that shows two of
  // them (an excerpt cut below its header); one `File "x", line 3` alone may be a sentence.
  if (lines !== null || text.includes('File "')) {
    const all = lines ?? text.split('\n');
    let flush = 0;
    let header = false;
    for (let i = 0; i < all.length && i < MAX_SCAN_LINES && flush < 2; i++) {
      const l = all[i] as string;
      if ((l.startsWith('File "') || l.startsWith(' File "')) && FLUSH_FRAME.test(l)) flush++;
      else if (!header && l.includes('Traceback (most recent call last)')) header = true;
    }
    if (flush >= 2 || (flush === 1 && header)) lines = reindentFrames(all);
  }
  if (text.startsWith('    ') || text.startsWith('\n    ')) {
    const dedented = dedent(lines ?? text.split('\n'));
    if (dedented !== lines) lines = dedented;
  }
  return lines === null ? text : lines.join('\n');
}
