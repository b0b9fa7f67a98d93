import { sha256Hex } from '../kb/sha256.js';
import { redact } from '../redact/redact.js';
import { readJsCrash } from './js-stack.js';
import type { ErrorRecord, ParsedPaste } from './types.js';

/**
 * Bump when the normalisation below changes: stored fingerprints of another version are not
 * comparable, and the digest groups by (version, hash).
 */
export const FINGERPRINT_VERSION = 1;

// Variable parts of a message, replaced before hashing (after Sentry's grouping): the same
// error from the same place must collide even when these differ between occurrences.
type Replacement = string | ((match: string) => string);

const VARIABLE_PARTS: [RegExp, Replacement][] = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b0x[0-9a-f]{4,16}\b/gi, '<addr>'],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?/g, '<time>'],
  [/(?:\/[\w.@+-]{1,128}){2,40}\/([\w.-]{1,128})/g, '<path>/$1'],
  [/\b[0-9a-f]{12,64}\b/gi, '<hex>'],
  [/\$\d{1,4}\b/g, '$<n>'],
  [/\b\d+(?:\.\d+)?\b/g, '<n>'],
  // Quoted identifiers ('User.organization') identify the error; other quoted values are data.
  [/'[^'\n]{0,200}'|"[^"\n]{0,200}"/g, (m) => (/^.[A-Za-z_][\w.]{0,100}.$/.test(m) ? m : '<str>')],
];

const KEY_VALUES_END = [') already exists', ') is not present', ') conflicts with'];

/**
 * PostgreSQL's `DETAIL:  Key (email)=(ana@example.com) already exists.`: the columns say which
 * constraint, the values are user data. A scan, not a regex: the values may hold parentheses.
 */
function dropKeyValues(text: string): string {
  let out = '';
  let from = 0;
  for (let at = text.indexOf('Key (', from); at !== -1; at = text.indexOf('Key (', from)) {
    const open = text.indexOf(')=(', at);
    const nl = text.indexOf('\n', at);
    const lineEnd = nl === -1 ? text.length : nl;
    let end = -1;
    if (open !== -1 && open < lineEnd && open - at <= 200) {
      for (const marker of KEY_VALUES_END) {
        const e = text.indexOf(marker, open + 3);
        if (e !== -1 && e < lineEnd && (end === -1 || e < end)) end = e;
      }
    }
    if (end === -1) {
      out += text.slice(from, at + 5);
      from = at + 5;
      continue;
    }
    out += `${text.slice(from, open + 3)}<v>`;
    from = end;
  }
  return out + text.slice(from);
}

export function normaliseMessage(message: string): string {
  // Secrets and user data (e-mails, tokens) go first, with the same redaction the store
  // applies: an error and its stored, redacted excerpt have the same fingerprint, and two
  // pastes differing only in such values collide.
  return normaliseVariableParts(redact(message).text);
}

/** normaliseMessage without the secret scan: for telling errors apart, never for storing. */
export function normaliseVariableParts(message: string): string {
  let out = dropKeyValues(message.slice(0, 1000));
  for (const [re, rep] of VARIABLE_PARTS) {
    out = typeof rep === 'string' ? out.replace(re, rep) : out.replace(re, rep);
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** `/app/.venv/lib/python3.12/site-packages/app/api/users.py` -> `app/api/users.py`. */
export function stableFramePath(file: string): string {
  const norm = file.replace(/\\/g, '/');
  const site = norm.match(/(?:site|dist)-packages\/(.+)$/);
  if (site?.[1]) return site[1];
  const parts = norm.split('/').filter((p) => p && p !== '.' && p !== '..');
  return parts.slice(-3).join('/');
}

/** The innermost frame of the user's own code: the place the error comes from. */
export function failingUserFrame(record: ErrorRecord): { file: string; func: string } | null {
  for (let i = record.frames.length - 1; i >= 0; i--) {
    const f = record.frames[i];
    if (f && !f.library) return { file: stableFramePath(f.file), func: f.func };
  }
  return null;
}

/**
 * A stable id for "the same error from the same place": root exception type, the message with
 * variable parts replaced, and the failing user frame (file and function, no line number).
 * Python fingerprints are unchanged since v1; a Node crash, which v1 keyed on its version banner
 * (so all of them collided), is keyed on its error line and first user frame.
 */
export function computeFingerprint(parsed: ParsedPaste, primaryIndex: number): string {
  const primary = parsed.records[primaryIndex];
  // A Node.js / V8 crash: Python's parser sees no frames in it, and its last line is Node's
  // version banner, the same for every crash. Group by the error line and the user's frame.
  const js = parsed.records.some((r) => r.frames.some((f) => f.file.endsWith('.py'))) ? null : readJsCrash(parsed.lines);
  let basis: string;
  if (js) {
    basis = ['js', js.type, normaliseMessage(js.message), js.userFrame ? `${js.userFrame.file}:${js.userFrame.func}` : ''].join('|');
  } else if (!primary) {
    const firstLines = parsed.lines.filter((l) => l.trim()).slice(0, 3).join('\n');
    basis = `text|${normaliseMessage(firstLines)}`;
  } else {
    const root = parsed.records[0] ?? primary;
    let userFrame: { file: string; func: string } | null = null;
    for (const r of parsed.records) userFrame = failingUserFrame(r) ?? userFrame;
    basis = [
      primary.shortType || primary.kind,
      root === primary ? '' : root.shortType,
      normaliseMessage(primary.message),
      userFrame ? `${userFrame.file}:${userFrame.func}` : '',
    ].join('|');
  }
  const hash = sha256Hex(basis).slice(0, 16);
  return `v${FINGERPRINT_VERSION}:${hash}`;
}
