import { expandEscapedTracebacks } from './escaped-traceback.js';
import type { NormalisedInput } from './types.js';
import { unwrapPaste } from './wrappers.js';

/** Bytes analysed at most. A longer paste keeps its head and its tail, where a crash ends up. */
export const MAX_INPUT_BYTES = 256 * 1024;
export const HEAD_BYTES = 32 * 1024;
/** Lines longer than this are cut before any regex sees them. */
export const MAX_LINE_CHARS = 4000;
export const MAX_LINES = 6000;

const decoder = new TextDecoder('utf-8', { fatal: false });

// CSI sequences (colours, cursor moves) and OSC sequences (hyperlinks, titles) that terminals,
// pytest --color=yes and rich tracebacks put into copied text.
const ANSI = /\x1b\[[0-9;?]{0,32}[ -/]{0,4}[@-~]|\x1b\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]/g;
// Slack's mrkdwn tokens: <@U123>, <#C123|name>, <!here>, <https://x|label>, <mailto:a@b|a@b>.
const SLACK_TOKEN = /<([@#!])[^<>\s|]{1,64}(?:\|([^<>]{0,200}))?>|<((?:https?|mailto):[^<>|\s]{1,2000})(?:\|([^<>]{0,2000}))?>/g;
const ENTITIES: Record<string, string> = {
  '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&apos;': "'", '&nbsp;': ' ',
};

// Prefixes that loggers and process managers put before the text we care about. Each is
// anchored and bounded, and gated by a cheap test of the line so a 2,000-line log costs little.
// They are tried in order, twice at most, because they stack (compose + timestamp + level).
const LINE_PREFIXES: { gate: (line: string) => boolean; re: RegExp }[] = [
  // docker compose: "api-1  | ", "web_1     | "
  { gate: (l) => l.includes('|'), re: /^[\w.-]{1,64}\s{0,16}\|\s?/ },
  // ISO / logging timestamps: "2025-03-14 09:12:44,871 ", "2025-03-14T09:12:44.871Z ", "[2025-03-14 09:12:44 +0000] ", and
  // the Home Assistant Supervisor's two-digit year ("22-12-12 11:22:20 ERROR (SyncWorker_5) [supervisor.docker.interface] ").
  // PostgreSQL's `%m`/`%t` print log_timezone's abbreviation (`CET`, `BST`, `MSK`, `WIB`) or, for a zone without one, the
  // offset (`+03`); a bare abbreviation is read as one only before the server's `[pid]` or a `LEVEL:`, and never when it is
  // itself a level word (`2025-03-14 09:12:44 ERROR app: ...`).
  { gate: (l) => /^\[?\d/.test(l), re: /^\[?(?:\d{2}){1,2}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:\s?(?:Z|[+-]\d{2}(?::?\d{2})?|UTC|(?!(?:ERROR|FATAL|PANIC|INFO|WARN|DEBUG|LOG|NOTICE|HINT|QUERY|TRACE|CRIT|ERR|WRN|INF|DBG|FTL|VRB|EROR|DBUG|TRCE)\b)[A-Z]{2,5}(?= \[\d| [A-Z]{3,9}: )))?\]?\s{1,8}/ },
  // syslog / journald: "Mar 14 09:12:44 host app[123]: "
  { gate: (l) => /^[A-Z][a-z]{2} /.test(l), re: /^[A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2} [\w.-]{1,64} [\w./-]{1,64}(?:\[\d{1,10}\])?:\s/ },
  // Celery's worker log: "[2013-11-12 09:55:09,065: ERROR/MainProcess] ", "[...: WARNING/ForkPoolWorker-2] "
  { gate: (l) => l.startsWith('[') && l.includes('/'), re: /^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?: (?:CRITICAL|FATAL|ERROR|WARNING|WARN|INFO|DEBUG)\/[\w.-]{1,64}\]\s{1,8}/ },
  // A wrapper that relays a child's output behind a bar (a dev server, a task runner):
  // "| [2020-11-19 00:53:45 +0000] [2184400] [ERROR] Connection in use: ('', 9000)"
  { gate: (l) => l.startsWith('| ['), re: /^\|\s(?=\[)/ },
  // gunicorn: "[12] [ERROR] ", level in brackets: "[ERROR] ", "[app.db] "
  { gate: (l) => l.startsWith('['), re: /^\[\d{1,10}\]\s{1,4}/ },
  // A level in brackets, also as .NET loggers abbreviate and pad it: Serilog's `[ERR] `, `[FTL] `,
  // `[INF] `, the Microsoft.Extensions.Logging names `[CRIT ] `, `[INFO ] ` of a service's file log
  // (`2026-08-12 13:38:39.661 [CRIT ] [DarlingWorker] Cannot reach ... 42703: column ... does not exist`).
  { gate: (l) => l.startsWith('['), re: /^\[ {0,2}(?:CRITICAL|CRIT|FATAL|FTL|ERROR|ERR|EROR|WARN(?:ING)?|WRN|INFO|INF|DEBUG|DBG|DBUG|TRACE|TRCE|VRB|VERBOSE) {0,2}\]\s{1,8}/i },
  // Serilog's console template, the time and the three-letter level in one bracket:
  // `[22:25:33 ERR] An exception occurred while iterating over the results of a query ...`.
  { gate: (l) => l.startsWith('[') && l.charCodeAt(1) >= 48 && l.charCodeAt(1) <= 57, re: /^\[\d{2}:\d{2}:\d{2}(?:[.,]\d{1,7})? {1,2}(?:VRB|DBG|INF|WRN|ERR|FTL)\]\s{1,8}/ },
  // uvicorn / python logging: "ERROR:    ", "ERROR:app.main:", "ERROR app.db: ", "ERROR [app.db] ", "ERROR - "
  { gate: (l) => /^[CEWID]/.test(l), re: /^(?:CRITICAL|ERROR|WARNING|WARN|INFO|DEBUG)(?::([\w.]{1,128}))?:(?:\s{1,8}|(?=\S))(?=\S)/ },
  { gate: (l) => /^[CFEWID]/.test(l), re: /^(?:CRITICAL|FATAL|ERROR|WARNING|WARN|INFO|DEBUG)\s{1,8}(?:\[([\w.:-]{1,128})\]\s{1,8}|([\w.]{1,128}):\s{1,8}|-\s{1,8})?/ },
  // "[app.api.users] " or "app.api.users - ERROR - " (logging's default formats)
  { gate: (l) => l.startsWith('['), re: /^\[([\w.:-]{1,128})\]\s{1,8}/ },
  { gate: (l) => l.includes(' - '), re: /^([\w.]{1,128})\s-\s(?:CRITICAL|ERROR|WARNING|INFO|DEBUG)\s-\s/ },
];

// `docker compose logs`' service prefix with its replica number, on any line: `web_1     | `, `api-1  | `.
const COMPOSE_SERVICE = /^[\w.-]{1,64}[-_]\d{1,3} {0,16}\|(?: |$)/m;
/** The head of a paste looked at for one (a compose log is prefixed from its first lines). */
const COMPOSE_SCAN_CHARS = 64 * 1024;

const BINARY_SAMPLE = 8192;

/** A control character other than tab, newlines, form feed and ESC (ANSI colour) is not text. */
function isControl(code: number): boolean {
  return code < 9 || (code > 13 && code < 32 && code !== 27);
}

function looksBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, BINARY_SAMPLE);
  if (n === 0) return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const byte = buf[i] as number;
    if (byte === 0) return true;
    if (isControl(byte)) control++;
  }
  return control / n > 0.1;
}

/**
 * The same test on text already decoded, without encoding it again: control characters are
 * ASCII, one byte each in UTF-8, so counting them in the string and dividing by the sample's
 * UTF-8 length gives the byte-level ratio.
 */
function textLooksBinary(text: string): boolean {
  const sample = text.length > BINARY_SAMPLE ? text.slice(0, BINARY_SAMPLE) : text;
  if (sample.length === 0) return false;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const code = sample.charCodeAt(i);
    if (code === 0) return true;
    if (isControl(code)) control++;
  }
  return control > 0 && control / Buffer.byteLength(sample) > 0.1;
}

function decodeEntities(text: string): string {
  return text.replace(/&(?:lt|gt|amp|quot|#39|#x27|apos|nbsp);/g, (m) => ENTITIES[m] ?? m);
}

/** Slack escapes &, < and > and wraps links and mentions in <...>: undo both. */
function unSlack(text: string): string {
  const withoutTokens = text.replace(SLACK_TOKEN, (_m, sigil: string | undefined, label: string | undefined, url: string | undefined, urlLabel: string | undefined) => {
    if (sigil) return sigil === '#' && label ? `#${label}` : '';
    if (url) {
      // Auto-linked URLs keep the URL (it may carry an error code); a labelled link keeps both.
      if (!urlLabel || url.endsWith(urlLabel) || urlLabel.startsWith('http')) return url.startsWith('mailto:') ? url.slice(7) : url;
      return url.startsWith('mailto:') ? urlLabel : `${urlLabel} (${url})`;
    }
    return '';
  });
  return decodeEntities(withoutTokens);
}

// The error levels a stripped prefix may carry, Serilog's and .NET's abbreviations included (`FTL`, `ERR`, `CRIT`).
const ERROR_LEVEL = /\b(?:CRITICAL|CRIT|FATAL|FTL|ERROR|ERR|EROR|PANIC)\b/;
const ERROR_OR_LEVEL_WORD = /^(?:critical|fatal|error|warning|warn|info|debug|trace|notice)$/i;
/** Distinct logger names kept from a paste's prefixes, at most. */
const MAX_LOGGERS = 32;
const BOX_SIDE = /^\s{0,40}[│┃║]\s?/;
const BOX_SIDE_END = /\s{0,200}[│┃║]\s{0,4}$/;

/**
 * A log line pasted as Markdown inline code, one span a line (`` `[2016-11-08 10:48:16 +0000] [4065]
 * [ERROR] Connection in use: ('127.0.0.1', 5000)` ``): the backticks go, so its prefixes are read.
 * Only a line that is one span from end to end, with no other backtick in it, and whose span opens
 * with a timestamp in brackets: an error quoted in backticks inside a sentence stays a quote.
 */
function unwrapInlineCode(line: string): string {
  if (line.length < 3 || !opensLikeALogRecord(line)) return line;
  const end = line.trimEnd();
  if (!end.endsWith('`') || end.indexOf('`', 1) !== end.length - 1) return line;
  return end.slice(1, -1);
}

/**
 * The span opens as a log record does: a timestamp in brackets (gunicorn), or the level and colon
 * uvicorn and Python's default logging put first (`` `INFO:     127.0.0.1:0 - "POST /x HTTP/1.1" 422 ...` ``).
 */
function opensLikeALogRecord(line: string): boolean {
  return /^`\[\d/.test(line) || /^`(?:INFO|WARNING|ERROR|CRITICAL|DEBUG):\s/.test(line);
}

/**
 * Removes stacked log prefixes; `errorLevel` tells whether one of them was an error level, and
 * `logger` names the logger a prefix carried (`ERROR [alembic.env] `, `INFO:httpx:`), if any.
 */
export function stripLinePrefix(line: string, wantLogger = true): { line: string; errorLevel: boolean; logger?: string } {
  let out = line;
  let errorLevel = false;
  let logger: string | undefined;
  if (out === '' || out.startsWith(' ')) return { line: out, errorLevel };
  out = unwrapInlineCode(out);
  for (let pass = 0; pass < 2; pass++) {
    const before = out;
    for (const { gate, re } of LINE_PREFIXES) {
      if (!gate(out)) continue;
      const m = re.exec(out);
      if (m && m[0].length < out.length) {
        if (ERROR_LEVEL.test(m[0])) errorLevel = true;
        // The logger, where a prefix's regex captures one (group 1, or 2 for `ERROR name: `). A
        // level or a process id in brackets (`[ERROR]`, `[12]`) names no logger.
        const name = wantLogger && logger === undefined ? (m[1] ?? m[2]) : undefined;
        if (name !== undefined && /[a-z]/.test(name) && !ERROR_OR_LEVEL_WORD.test(name)) logger = name;
        out = out.slice(m[0].length);
      }
    }
    if (out === before) break;
  }
  return logger === undefined ? { line: out, errorLevel } : { line: out, errorLevel, logger };
}

/**
 * Cuts a long paste down to what normaliseInput would analyse anyway: its first HEAD_BYTES and
 * its last MAX_INPUT_BYTES - HEAD_BYTES characters, cut at line ends. Costs O(window), not
 * O(paste), so a 30 MB paste is never copied whole to a worker or scanned by a regex. The
 * original size comes back for the note saying that only the windows were read.
 */
export function windowPaste(text: string): { text: string; originalBytes: number | undefined } {
  if (text.length <= MAX_INPUT_BYTES) return { text, originalBytes: undefined };
  const tailChars = MAX_INPUT_BYTES - HEAD_BYTES - 1;
  let head = text.slice(0, HEAD_BYTES);
  const headEnd = head.lastIndexOf('\n');
  if (headEnd > HEAD_BYTES / 2) head = head.slice(0, headEnd);
  let tail = text.slice(text.length - tailChars);
  const tailStart = tail.indexOf('\n');
  if (tailStart >= 0 && tailStart < tailChars / 2) tail = tail.slice(tailStart + 1);
  // Characters, not bytes: counting UTF-8 bytes would walk the whole string.
  return { text: `${head}\n${tail}`, originalBytes: text.length };
}

/**
 * A reply that quotes a whole traceback (GitHub's and e-mail's "> " before every line) puts the
 * marker before indented lines too: `>   File "/app/bot/main.py", line 117, in <module>`, which the
 * per-line rule would keep as pytest's `>` source marker. pytest never marks every line, never marks
 * a blank line (a quoted blank is a bare `>`) and never marks a frame header or the traceback
 * header, so either of those in a paste whose every line starts with `>` says it is a quote.
 */
function isQuotedReply(lines: readonly string[]): boolean {
  let evidence = false;
  let count = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    if (!line.startsWith('>')) return false;
    count++;
    if (!evidence && /^>\s{0,2}$|^>\s{1,12}(?:File "|Traceback \(most recent call last\):)/.test(line)) evidence = true;
  }
  return evidence && count >= 2;
}

// Markdown bold around pasted output: `**WORKER TIMEOUT (pid:63)` ... `Booting worker with pid: 1373**`.
// The opener hugs a word (Elixir's `** (Postgrex.Error)` has a space); the closer hugs the line's end.
const BOLD_OPEN = /^\*\*(?=[A-Za-z0-9[])/;
const BOLD_CLOSE = /[^\s*]\*\*$/;
/** Lines searched for the closing `**` of a bold run. */
const MAX_BOLD_LINES = 30;

/**
 * Removes Markdown bold markers that wrap pasted output, one line or several: a `**` opening a
 * line and the `**` closing the same or a later line. Python's `**kwargs` sits inside code lines,
 * never opens an output line with a closer below it; a `**Label:** value` heading has no closer at
 * its line's end and is left alone.
 */
function unbold(lines: string[]): string[] {
  let out: string[] | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!line.startsWith('**') || !BOLD_OPEN.test(line)) continue;
    // The only other `**` on the opening line, if any, closes the run at the line's end.
    const other = line.indexOf('**', 2);
    let close = -1;
    if (other >= 0) {
      if (other === line.length - 2 && BOLD_CLOSE.test(line)) close = i;
      else continue;
    }
    for (let j = i + 1; close < 0 && j < lines.length && j < i + MAX_BOLD_LINES; j++) {
      const l = lines[j] ?? '';
      const at = l.indexOf('**');
      if (at < 0) continue;
      if (at === l.length - 2 && BOLD_CLOSE.test(l)) close = j;
      break;
    }
    if (close < 0) continue;
    out ??= [...lines];
    out[i] = (out[i] ?? '').slice(2);
    out[close] = (out[close] ?? '').slice(0, -2);
    i = close;
  }
  return out ?? lines;
}

/**
 * Turns whatever was pasted into bounded, plain lines: decodes bytes leniently, removes ANSI
 * colours, Slack escaping, code fences, quote markers and log prefixes, and caps size.
 * Never throws; a binary blob comes back flagged so the caller can say so.
 */
export function normaliseInput(input: string | Buffer, originalBytes?: number): NormalisedInput {
  const notes: string[] = [];
  let buf = typeof input === 'string' ? null : input;
  const bytes = originalBytes ?? (buf ? buf.length : Buffer.byteLength(input as string));
  if (buf && looksBinary(buf)) {
    return { text: '', lines: [], notes: ['The input looks like binary data, not text.'], truncated: false, binary: true, bytes, errorLevel: [] };
  }
  let truncated = false;
  let text: string;
  if (buf) {
    if (bytes > MAX_INPUT_BYTES) truncated = true;
    if (buf.length > MAX_INPUT_BYTES) {
      buf = Buffer.concat([buf.subarray(0, HEAD_BYTES), Buffer.from('\n'), buf.subarray(buf.length - (MAX_INPUT_BYTES - HEAD_BYTES))]);
      truncated = true;
    }
    text = decoder.decode(buf);
    if (text.includes('\uFFFD')) notes.push('Some bytes were not valid UTF-8 and were replaced.');
  } else {
    text = input as string;
    // The caller already cut a larger paste down to its windows (windowPaste, large files).
    if (originalBytes !== undefined && originalBytes > MAX_INPUT_BYTES) truncated = true;
    if (text.length > MAX_INPUT_BYTES) {
      text = `${text.slice(0, HEAD_BYTES)}\n${text.slice(text.length - (MAX_INPUT_BYTES - HEAD_BYTES))}`;
      truncated = true;
    }
    if (text.includes('\0') || textLooksBinary(text)) {
      return { text: '', lines: [], notes: ['The input looks like binary data, not text.'], truncated, binary: true, bytes, errorLevel: [] };
    }
  }
  if (truncated) notes.push(`The input was ${Math.round(bytes / 1024)} KB; only its first ${HEAD_BYTES / 1024} KB and last ${(MAX_INPUT_BYTES - HEAD_BYTES) / 1024} KB were analysed.`);

  text = text.replace(/^\uFEFF/, '').replace(ANSI, '').replace(/\r\n?/g, '\n');
  text = unSlack(text);
  // Code fences may sit on their own line or hug the text (```Traceback ...```).
  text = text.replace(/```[a-zA-Z0-9_+-]{0,20}(?=\n)|```/g, '\n');
  // rsyslog writes a logged message's control characters as octal escapes, a multi-line traceback
  // becoming one line: `...#012Traceback (most recent call last):#012  File ...`, `#011` a tab.
  if (text.includes('#012') || text.includes('#011')) text = text.replace(/#012/g, '\n').replace(/#011/g, '    ');
  const pasteWrappers: string[] = [];
  // A compose service's prefix with its replica number (`worker_1  | `, `api-1  | `), on any of the
  // first lines, before the paste-wide pass takes it off: the replica number tells it from a table.
  const composed = text.includes('|') && COMPOSE_SERVICE.test(text.slice(0, COMPOSE_SCAN_CHARS));
  text = expandEscapedTracebacks(unwrapPaste(text, pasteWrappers));

  let lines = text.split('\n');
  if (lines.length > MAX_LINES) {
    lines = [...lines.slice(0, 500), ...lines.slice(lines.length - (MAX_LINES - 500))];
    if (!truncated) notes.push(`The input had more than ${MAX_LINES} lines; the middle was skipped.`);
    truncated = true;
  }
  let longLine = false;
  const errorLevel: boolean[] = [];
  const loggers = new Set<string>();
  const quoted = isQuotedReply(lines);
  if (text.includes('**')) lines = unbold(lines);
  lines = lines.map((raw) => {
    let line = raw.length > MAX_LINE_CHARS ? ((longLine = true), raw.slice(0, MAX_LINE_CHARS)) : raw;
    // Slack block quotes: "> text" (pytest's own ">" source marker is followed by spaces), and
    // a whole quoted reply, where the marker also sits before indented frames (`>   File "..."`).
    if (line.startsWith('>') && (quoted || !/^>\s{3,}/.test(line))) line = line.replace(/^>\s?/, '');
    if (line.includes('\t')) line = line.replace(/\t/g, '    ');
    // A traceback drawn in a box (rich, and loggers built on it): `│ gunicorn.errors.HaltServer: ... │`.
    if (BOX_SIDE.test(line)) line = line.replace(BOX_SIDE, '').replace(BOX_SIDE_END, '');
    if (/[\u00A0\u2007\u202F]/.test(line)) line = line.replace(/[\u00A0\u2007\u202F]/g, ' ');
    line = line.trimEnd();
    const stripped = stripLinePrefix(line, loggers.size < MAX_LOGGERS);
    errorLevel.push(stripped.errorLevel);
    if (stripped.logger !== undefined) loggers.add(stripped.logger);
    return stripped.line;
  });
  if (longLine) notes.push(`Lines longer than ${MAX_LINE_CHARS} characters were cut.`);
  const wrappers = new Set(pasteWrappers);
  if (composed) wrappers.add('docker compose logs');
  return { text: lines.join('\n'), lines, errorLevel, loggers: [...loggers], wrappers: [...wrappers], notes, truncated, binary: false, bytes };
}
