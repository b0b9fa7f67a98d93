import { escapeRegExp } from '../../escape-regexp.js';
import { POSTGRES_MESSAGES } from '../postgres-messages.js';
import type { Role } from '../roles.js';
import type { NameContext, NameFinding, NameSource } from '../types.js';

// A name as PostgreSQL quotes it in any language: up to the quote, space or punctuation that ends it (`"x"`, `« x »`,
// `»x«`, `"x"は`). A schema prefix (`public.`) is dropped where the message allows one.
const NAME = String.raw`[^\s"'«»“”„.,:;()]{1,126}`;
const SLOT: Record<string, string> = {
  name: `(${NAME})`,
  qualified: `(?:${NAME}\\.)?(${NAME})`,
  key: String.raw`"?(\w{1,63})"?`,
  keypair: String.raw`\(\s{0,2}"?(\w{1,63})"?\)=\([^\n]{0,300}?\)`,
  skip: String.raw`[^\n]{0,200}?`,
};
// What a query aliases, not a table: SQLAlchemy's `anon_1`, Django's `U0`/`T12`, a hand-written `t2` (`missing FROM-clause
// entry for table "u0"` names the alias the query used).
const ALIAS = /^(?:anon_\d{1,4}|[A-Za-z]{1,2}\d{0,3})$/;

// Chinese, Japanese and Korean wordings are spaced differently from one server version (or client) to the next: Debian's
// postgresql-15 catalog says `关系 "%2$s" 的约束 "%1$s" 不存在`, an Onyx user's server printed `关系 "chat_feedback" 的 约束"x" 不存在`.
// Such a wording and the text are both read with the spaces next to those letters dropped.
const CJK = String.raw`\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef`;
const HAS_CJK = new RegExp(`[${CJK}]`);
const CJK_SPACE = new RegExp(`[ \\t]{1,8}(?=[${CJK}])|(?<=[${CJK}])[ \\t]{1,8}`, 'g');
const squeezeCjk = (text: string): string => (HAS_CJK.test(text) ? text.replace(CJK_SPACE, '') : text);

interface CompiledWording {
  re: RegExp;
  /** True for a wording read on the text with the spaces next to CJK letters dropped. */
  squeezed: boolean;
  /** The role of each capture group, in the wording's order (a translation may name the arguments in another order). */
  roles: Role[];
  /** A literal word of the wording: the regex runs only when the text contains it. */
  needle: string;
  aliasable: boolean;
}

function literal(piece: string): string {
  return escapeRegExp(piece)
    .replace(/\s+/g, String.raw`\s{1,4}`)
    .replace(/'/g, "['’]")
    .replace(/"/g, '["“”]');
}

function compile(raw: string, roles: (Role | 'key' | 'keypair' | null)[], aliasable: boolean): CompiledWording | null {
  const wording = squeezeCjk(raw);
  const pieces = wording.split(/(%(?:\d\$)?s)/);
  let source = '';
  let next = 0;
  const order: Role[] = [];
  pieces.forEach((piece, i) => {
    if (i % 2 === 0) { source += literal(piece); return; }
    const at = /^%(\d)\$s$/.exec(piece);
    const index = at ? Number(at[1]) - 1 : next++;
    const role = roles[index];
    if (role === null || role === undefined) { source += SLOT.skip; return; }
    if (role === 'key' || role === 'keypair') { source += SLOT[role]; order.push('column'); return; }
    // `%s.%s`: the first names the table, the second its column; a lone table name may carry its schema.
    const dotted = (pieces[i + 1] ?? '').startsWith('.') || (pieces[i - 1] ?? '').endsWith('.');
    source += (role === 'table' || role === 'related_table') && !dotted ? SLOT.qualified : SLOT.name;
    order.push(role);
  });
  const words = pieces.filter((_, i) => i % 2 === 0).flatMap((p) => p.split(/[\s"'«»“”.,:;()]+/)).filter((w) => w && !w.includes('%'));
  const needle = words.reduce((a, b) => (b.length > a.length ? b : a), '');
  if (!needle || order.length === 0) return null;
  return { re: new RegExp(source), roles: order, needle, aliasable, squeezed: wording !== raw };
}

// Compiled on the first paste whose text passes the gate below: most pastes never need them, and a CLI start would
// otherwise pay for every wording's regex.
let wordings: CompiledWording[] | null = null;
const compiledWordings = (): CompiledWording[] =>
  (wordings ??= POSTGRES_MESSAGES.flatMap((m) =>
    Object.values(m.wordings).map((w) => compile(w, m.roles, m.msgid.includes('FROM-clause') || m.msgid.startsWith('There is an entry'))).filter((c): c is CompiledWording => c !== null),
  ));

// A text is read only where it could hold one of these wordings: a non-English server message has a non-ASCII letter or one
// of these words; the three English wordings read here name the FROM clause. Only the lines around a hit are read (at most
// 16), so a long paste costs one scan, not one per wording.
const TEXT_GATE = /[^\x00-\x7f]|exist|esist|finns|FROM-clause|entry for table|viol|bryter|permes|permiso|ambig|tvetydig|duplica|unic|univoc|unik/g;

// A JSON log record escapes what is not ASCII (`\\u00bb`), and a paste may lose the backslash (Prefect's German record:
// `Unique-Constraint u00bbuq_task_run__flow_run_id_task_key_dynamic_keyu00ab`). Only Latin-1's upper half is decoded (where
// the translations' guillemets and umlauts lie); `u00` followed by a hex pair a-f begins no identifier a paste shows otherwise.
const LATIN1_ESCAPE = /\\?u00([a-fA-F][0-9a-fA-F])/g;
const decodeEscapes = (text: string): string => (text.includes('u00') ? text.replace(LATIN1_ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text);

function candidateLines(raw: string): string {
  const text = decodeEscapes(raw);
  const lines: string[] = [];
  let next = 0;
  TEXT_GATE.lastIndex = 0;
  for (let m = TEXT_GATE.exec(text); m && lines.length < 16; m = TEXT_GATE.exec(text)) {
    const start = text.lastIndexOf('\n', m.index) + 1;
    // The line and the one after it: a terminal may wrap a message (`... viole la contrainte de clé` / `étrangère « x »`).
    let end = text.indexOf('\n', m.index);
    end = end < 0 ? text.length : text.indexOf('\n', end + 1);
    if (end < 0) end = text.length;
    if (start >= next) lines.push(text.slice(start, Math.min(end, start + 1200)));
    next = end;
    TEXT_GATE.lastIndex = end;
  }
  return lines.join('\n');
}

function readWordings(text: string, weight: number, ctx: NameContext, out: NameFinding[]): boolean {
  let found = false;
  let squeezed: string | null = null;
  for (const w of compiledWordings()) {
    const read = w.squeezed ? (squeezed ??= squeezeCjk(text)) : text;
    if (!read.includes(w.needle)) continue;
    const m = w.re.exec(read);
    if (!m) continue;
    const group = ctx.group();
    w.roles.forEach((role, i) => {
      const value = m[i + 1];
      if (!value || (w.aliasable && ALIAS.test(value))) return;
      found = true;
      out.push({ role, value, source: 'message', confidence: weight, group, evidence: m[0].slice(0, 160) });
    });
  }
  return found;
}

/**
 * PostgreSQL's messages in the server's language (`lc_messages`): `ERREUR:  la colonne pretixbase_event.sales_channels
 * n'existe pas`, `FEHLER:  Spalte »x« von Relation »y« existiert nicht`, `错误:  关系 "x" 不存在`, read with the server's own
 * translations (bot/triage/names/postgres-messages.ts), and the FROM-clause wordings that name a table.
 */
export const postgresTranslatedSource: NameSource = {
  id: 'message',
  describe: "PostgreSQL's messages in the server's language (its own catalogs: de es fr it ja ka ko ru sv uk zh_CN zh_TW) and the FROM-clause entry wordings",
  find(ctx: NameContext, out: NameFinding[]): void {
    let found = false;
    ctx.ordered.forEach((record, rank) => {
      const text = candidateLines(record.message.slice(0, 4000));
      if (text && readWordings(text, rank === 0 ? 0.95 : 0.9, ctx, out)) found = true;
    });
    // A message in a line no record was read from: a title, a log line, a chained exception's summary.
    const lines = found || !ctx.text ? '' : candidateLines(ctx.text);
    if (lines) readWordings(lines, 0.9, ctx, out);
  },
  examples: [
    { source: 'https://github.com/OpenEnergyPlatform/open-MaStR/issues/367', input: 'psycopg2.errors.UndefinedColumn: FEHLER:  Spalte »Nachtkennzeichnung« von Relation »wind_extended« existiert nicht\nLINE 1: ..., "Adresszusatz", "GeplantesInbetriebnahmedatum", "Nachtkenn...', expect: { column: 'Nachtkennzeichnung', table: 'wind_extended' } },
  ],
};
