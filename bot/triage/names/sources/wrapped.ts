import type { ErrorRecord } from '../../types.js';
import type { NameContext, NameFinding, NameSource } from '../types.js';
import { databaseSource } from './database.js';

// A console narrower than the message wraps it under a hanging indent, and Rich's log handler prints each record's
// `file.py:N` in a right-hand column of the first line (Langflow's start-up log: `Error migrating flows: (sqlite3.
// OperationalError) no such column:        utils.py:216` / `                             flow.user_id`). A database's
// wording is then split over lines; read whole, it names the table and column again.
// Read only where Rich's location column shows (a line ending in `utils.py:216`): a traceback's deep code lines and caret
// markers are indented as far, and are no wrapped message.
const isNameChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45;
/**
 * Whether a line ends in Rich's location column, ` utils.py:216` (what `/[ \t][\w.-]{1,80}\.py:\d{1,6}[ \t]*$/m` says),
 * found from each `.py:` rather than tried at every blank of the paste.
 */
function hasRichColumn(text: string): boolean {
  for (let i = text.indexOf('.py:'); i >= 0; i = text.indexOf('.py:', i + 4)) {
    let j = i + 4;
    while (j < text.length && j - i - 4 < 7 && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    const digits = j - i - 4;
    if (digits < 1 || digits > 6) continue;
    while (text[j] === ' ' || text[j] === '\t') j++;
    if (j < text.length && text[j] !== '\n' && text[j] !== '\r') continue;
    let k = i - 1;
    while (k >= 0 && i - 1 - k < 81 && isNameChar(text.charCodeAt(k))) k--;
    const name = i - 1 - k;
    if (name >= 1 && name <= 80 && (text[k] === ' ' || text[k] === '\t')) return true;
  }
  return false;
}
const CONTINUATION = /\n {12,}(?=[^\s^~])/;
const WRAP = /(?:[ \t]{2,}[\w.-]{1,80}\.py:\d{1,6})?[ \t]*\n {12,}(?=[^\s^~])/g;

function unwrap(text: string): string | null {
  return CONTINUATION.test(text) ? text.replace(WRAP, ' ') : null;
}

/**
 * The database wordings read again on messages a console wrapped, for the roles no unwrapped text named: a little less
 * surely than the message itself. Scans only texts with a hanging indent (one regex test each).
 */
export const wrappedDatabaseSource: NameSource = {
  id: 'message',
  describe: 'database messages a narrow console wrapped under a hanging indent (Rich log records with a file:line column)',
  find(ctx: NameContext, out: NameFinding[]): void {
    if (!ctx.text || !hasRichColumn(ctx.text)) return;
    const text = unwrap(ctx.text);
    const ordered: ErrorRecord[] = [];
    for (const r of ctx.ordered) {
      const message = unwrap(r.message.slice(0, 4000));
      if (message) ordered.push({ ...r, message });
    }
    if (!text && ordered.length === 0) return;
    const found = new Set(out.filter((f) => f.source === 'message').map((f) => f.role));
    const read: NameFinding[] = [];
    databaseSource.find({ ...ctx, ordered, text: text ?? '' }, read);
    for (const f of read) if (!found.has(f.role)) out.push({ ...f, confidence: f.confidence - 0.05 });
  },
  examples: [],
};
