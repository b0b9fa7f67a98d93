import { escapeRegExp } from '../escape-regexp.js';
import type { Role } from './roles.js';
import type { NameContext, NameFinding } from './types.js';

const DATABASE_ROLES = new Set<Role>(['table', 'column', 'constraint', 'related_table']);
// An identifier the paste quotes as SQL quotes one: PostgreSQL's and SQLite's double quotes, MySQL's backticks, SQL Server's
// brackets. Single quotes hold values in SQL, so a quoted value (`'Lionel Messi'`) is never read as a name.
const QUOTED = /"([^"\n]{1,63})"|`([^`\n]{1,63})`|\[([^[\]\n]{1,63})\]/g;
// A name of words joined by single spaces (`Golden Balls`, `Date of Birth`): what a table made from a spreadsheet's headers holds.
const SPACED = /^\w{1,63}(?: \w{1,63}){1,5}$/;


/**
 * A database message that does not quote its names stops the name at the first space: SQLite's `NOT NULL constraint failed:
 * players.Golden Balls` (okfn/opendataeditor#552) is read `Golden` by every rule that takes a word. The whole name is taken
 * only where the paste proves it: the same words are quoted as one identifier (`"Golden Balls"` in the `[SQL: INSERT INTO
 * players (..., "Golden Balls")]` line) and shown unquoted where such a message puts a name, after the table's dot or the
 * message's colon (`players.Golden Balls`), and the word itself is quoted alone nowhere. A word that merely precedes another word (`Unknown column 'Rewards'` under an unquoted `SELECT ... Rewards Description FROM`) is
 * left as the message gave it: nothing quotes the longer name.
 */
export function wholeQuotedNames(findings: NameFinding[], ctx: NameContext): void {
  const suspects = findings.filter((f) => DATABASE_ROLES.has(f.role) && /^\w{1,63}$/.test(f.value));
  if (!suspects.length) return;
  const text = (ctx.text || ctx.ordered.map((r) => r.message).join('\n')).slice(0, 40_000);
  if (!/["`\]]/.test(text)) return;
  const byFirstWord = new Map<string, string[]>();
  let seen = 0;
  for (const m of text.matchAll(QUOTED)) {
    if (++seen > 500) break;
    const name = m[1] ?? m[2] ?? m[3] ?? '';
    if (!SPACED.test(name)) continue;
    const first = name.slice(0, name.indexOf(' '));
    const list = byFirstWord.get(first) ?? [];
    if (!list.includes(name)) list.push(name);
    byFirstWord.set(first, list);
  }
  if (!byFirstWord.size) return;
  for (const f of suspects) {
    const wholes = [...(byFirstWord.get(f.value) ?? [])].sort((a, b) => b.length - a.length);
    // The word quoted on its own somewhere (`relation "user" does not exist`) is a whole name already.
    if (!wholes.length || new RegExp(`["'\`[]${escapeRegExp(f.value)}["'\`\\]]`).test(text)) continue;
    for (const whole of wholes) {
      // Unquoted where a database message puts a name it does not quote: after the table's dot (`players.Golden Balls`) or
      // the message's colon (`constraint failed: Golden Balls`), and ending where a name ends. Prose that merely uses the
      // words (`the user profile page`) does not count.
      const shown = new RegExp(`(?:\\w\\.|: ?)${escapeRegExp(whole)}(?=$|[\\s,;)'"])`, 'm');
      if (shown.test(text)) {
        // The evidence stays the text the name was first read as: a fault's capture is matched back to its finding by it.
        f.value = whole;
        break;
      }
    }
  }
}
