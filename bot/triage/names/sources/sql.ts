import { classNameForTable, tablesInSql } from '../words.js';
import type { NameContext, NameFinding, NameSource } from '../types.js';

// A lazy load selects the related rows by the parent's key: `WHERE $1::INTEGER = addresses.user_id`,
// `WHERE ? = article_tags.article_id AND tags.id = article_tags.tag_id` (many-to-many, through a secondary).
const PARAM = String.raw`(?:\?|\$\d{1,3}(?:::\w{1,30})?|%\(\w{1,80}\)s|:\w{1,80})`;
const LAZY = new RegExp(String.raw`WHERE ${PARAM} = "?(\w{1,63})"?\."?(\w{1,63})_id"?(?: AND "?(\w{1,63})"?\.id = "?\1"?\."?\w{1,63}_id"?)?`);
// SQL statements a paste shows outside SQLAlchemy's [SQL: ...]: a log line, a driver's query, the user's text().
// A verb called like a function is Python, not SQL: SQLModel's `select(Hero)` in a title (`select(Hero) results in Column
// expression or FROM clause expected`) names no statement, and its `FROM clause` no table.
const STATEMENT = /(?:^|[\s:'"(`{])((?:SELECT|INSERT INTO|UPDATE|DELETE FROM|ALTER TABLE|WITH)\b(?!\().{0,600})/i;

// SQLAlchemy before 1.3 prints the statement as a Python repr, its line breaks escaped: `[SQL: 'SELECT states.state_id AS
// states_state_id, ... \nFROM states \nWHERE ...']`. The escape glues `n` to the keyword (`\nFROM`), hiding it from a word match.
function unescapeRepr(sql: string): string {
  return sql.includes('\\n') ? sql.replace(/\\n/g, ' ') : sql;
}

// DDL names the table it creates: `CREATE TABLE IF NOT EXISTS "migratehistory" (...)`, `CREATE TABLE _alembic_tmp_flow (`.
// Read only from the failing statement (the record's SQL, PostgreSQL's `LINE 1:` pointer): an echo log prints every
// table's CREATE TABLE at start-up, and those ran fine.
const CREATE_TABLE = /\bCREATE (?:TEMP(?:ORARY)? |UNLOGGED )?TABLE (?:IF NOT EXISTS )?(?:(?:"\w{1,63}"|\w{1,63})\.)?["`[]?(\w{1,63})["`\]]?\s{0,4}(?:\(|$)/i;
// `CREATE UNIQUE INDEX ix_user_username ON "user" (username)` (an index a migration or create_all() builds): the table it is on.
const CREATE_INDEX = /\bCREATE (?:UNIQUE )?INDEX (?:CONCURRENTLY )?(?:IF NOT EXISTS )?(?:["`[]?[\w$]{1,63}["`\]]? )?ON (?:ONLY )?(?:(?:"\w{1,63}"|\w{1,63})\.)?["`[]?(\w{1,63})["`\]]?/i;
const LINE_POINTER = /^\s{0,8}LINE \d{1,6}: (?:\.{3})?(CREATE .{0,300})$/;

function createdTables(ctx: NameContext, out: NameFinding[]): void {
  const sources: { sql: string; c: number }[] = [];
  ctx.ordered.forEach((r, rank) => { if (r.sql?.includes('CREATE')) sources.push({ sql: r.sql.trimStart(), c: rank === 0 ? 0.85 : 0.8 }); });
  // SQLAlchemy's `[SQL: CREATE ...]` trailer on a line of its own that no record took (a log handler's padding in front of it,
  // Langflow's Rich records): the failing statement still, unlike an echo log's bare CREATE TABLE.
  if (sources.length === 0 && ctx.text.includes('[SQL: CREATE')) {
    for (const line of ctx.parsed.lines) {
      const at = line.indexOf('[SQL: CREATE');
      if (at >= 0) sources.push({ sql: line.slice(at + 6), c: 0.8 });
    }
  }
  if (ctx.text.includes('LINE ')) {
    for (const line of ctx.parsed.lines) {
      const m = line.includes('LINE ') ? LINE_POINTER.exec(line) : null;
      if (m?.[1]) sources.push({ sql: m[1], c: 0.75 });
    }
  }
  for (const { sql, c } of sources) {
    const m = CREATE_TABLE.exec(sql.slice(0, 400)) ?? CREATE_INDEX.exec(sql.slice(0, 400));
    if (m?.[1]) out.push({ role: 'table', value: m[1], source: 'sql', confidence: c, evidence: m[0].slice(0, 120) });
  }
}

// A statement must look like one: a verb followed by a table-ish word and more SQL (an UPDATE's table may carry an alias:
// `UPDATE media_translations mt SET media_id = d.winner_id`). A WITH opens a common table expression
// (`WITH recent AS (SELECT ...`): prose's `with a minimal example ... free from errors` is no statement.
const STATEMENT_SHAPE = /^(?:SELECT\b.{0,400}\bFROM|INSERT INTO|UPDATE \S{1,70}(?:\s{1,3}(?:AS\s{1,3})?\w{1,63})?\s{1,3}SET|DELETE FROM|ALTER TABLE|WITH (?:RECURSIVE )?"?\w{1,63}"?\s{1,3}(?:\([\w\s,"]{0,200}\)\s{1,3})?AS\s{1,3}(?:NOT )?(?:MATERIALIZED\s{1,3})?\()/i;

// The first verb of a line that starts a statement of that shape: prose before the statement may hold a verb of its own (a
// DETAIL row's `v2 with accessories` in front of `[SQL: INSERT INTO flow ...`). At most three verbs are tried.
function statementIn(line: string): RegExpExecArray | null {
  let first: RegExpExecArray | null = null;
  let rest = line;
  for (let tries = 0; tries < 3; tries++) {
    const m = STATEMENT.exec(rest);
    if (!m?.[1]) break;
    first ??= m;
    if (STATEMENT_SHAPE.test(m[1])) return m;
    rest = m[1].slice(1);
  }
  return first;
}

/** SQL: the tables it names, and the classes they map to by the usual naming, shown as a guess. */
export const sqlSource: NameSource = {
  id: 'sql',
  describe: 'SQL statements: tables (FROM/JOIN/INTO/UPDATE/ALTER TABLE), lazy-load parent and related class by naming convention (a guess)',
  find(ctx: NameContext, out: NameFinding[]): void {
    const statements: { sql: string; c: number }[] = [];
    ctx.ordered.forEach((r, rank) => { if (r.sql) statements.push({ sql: r.sql, c: rank === 0 ? 0.85 : 0.8 }); });
    for (const line of ctx.failing) {
      // Textual SQL in the user's code: `text("SELECT ... FROM schedules")`.
      const m = !ctx.prose && /\b(?:FROM|JOIN|INTO|UPDATE)\s+["`]?[a-z_]/.test(line.code) ? STATEMENT.exec(line.code) : null;
      if (m?.[1]) statements.push({ sql: m[1], c: 0.75 });
    }
    // SQLAlchemy's `[SQL: ...]` trailer is the record's SQL when the parser cut it off; a trailer it could not
    // close (`[SQL: 'INSERT INTO "user" (...) VALUES (...)]` followed by Sentry's frame count, a log cut mid-WHERE)
    // is read as a line like any other.
    const trailerRead = statements.length > 0;
    if (ctx.text && /SELECT|INSERT INTO|UPDATE |DELETE FROM|ALTER TABLE|WITH /i.test(ctx.text)) {
      const lines = ctx.parsed.lines;
      lines.forEach((shown, i) => {
        // DETAIL quotes the failing row, whose values may hold SQL text: not the statement that failed.
        if (/^\s*(?:File |at |DETAIL:|Detail:)/.test(shown) || (trailerRead && /^\s*\[SQL: /.test(shown))) return;
        const line = unescapeRepr(shown);
        const m = statementIn(line);
        if (m?.[1] && STATEMENT_SHAPE.test(m[1])) statements.push({ sql: m[1], c: 0.75 });
        // A repr'd trailer cut before its end (`... [SQL: u'SELECT a.id AS a_id, ... \nFROM a JOIN b ... \nWHERE`) is read the same way
        // when no record closed it.
        else if (m?.[1] && /^SELECT\b/i.test(m[1]) && (/^\s*\[SQL: /.test(line) || (!trailerRead && /\[SQL: u?'/.test(line)))) {
          // SQLAlchemy prints its statement over several lines, and an ORM's select list runs past any one cut:
          // `[SQL: SELECT count(*) AS count_1` / `FROM public.customers AS customers_1 ...`, a 2,000-character list of
          // `dbs.x AS dbs_x` then `FROM dbs`. The FROM is read on the statement's own line or the next few.
          const from = [line.slice(line.indexOf('[SQL: ')), ...lines.slice(i + 1, i + 4)].join('\n').slice(0, 4000);
          const at = from.search(/\bFROM\s/);
          if (at > 0) statements.push({ sql: from.slice(at, at + 600), c: 0.75 });
        }
      });
    }
    createdTables(ctx, out);
    for (const { sql: raw, c } of statements) {
      const sql = unescapeRepr(raw);
      for (const table of tablesInSql(sql)) out.push({ role: 'table', value: table, source: 'sql', confidence: c, evidence: sql.slice(0, 120) });
      const lazy = LAZY.exec(sql);
      if (lazy?.[1] && lazy[2]) {
        const group = ctx.group();
        const [target, parent, related] = [lazy[1], lazy[2], lazy[3]];
        if (related) {
          // Many-to-many: the secondary holds both keys; the selected table is the related class.
          out.push({ role: 'secondary', value: target, source: 'sql', confidence: c - 0.1, group, evidence: lazy[0] });
          out.push({ role: 'related_model', value: classNameForTable(related), source: 'sql', confidence: c - 0.3, group, guess: true, evidence: lazy[0] });
          out.push({ role: 'attribute', value: related, source: 'sql', confidence: 0.35, group, guess: true, evidence: lazy[0] });
        } else {
          out.push({ role: 'related_model', value: classNameForTable(target), source: 'sql', confidence: c - 0.3, group, guess: true, evidence: lazy[0] });
          out.push({ role: 'attribute', value: target, source: 'sql', confidence: 0.3, group, guess: true, evidence: lazy[0] });
        }
        out.push({ role: 'model', value: classNameForTable(parent), source: 'sql', confidence: c - 0.35, group, guess: true, evidence: lazy[0] });
      }
    }
  },
  examples: [
    { source: 'https://github.com/ankane/pghero/issues/249', input: 'PG::NotNullViolation: ERROR:  null value in column "id" violates not-null constraint\n: INSERT INTO "pghero_query_stats" ("database","query","total_time","calls","captured_at","query_hash","user") VALUES (\'primary\', ...', expect: { table: 'pghero_query_stats' } },
    { source: 'https://github.com/pawelsalawa/letos/issues/175', input: 'no such column: traslochi2\n    while executing\n"::database0 eval {SELECT \\\\* FROM [meta] WHERE ROWID = traslochi2} R {', expect: { table: 'meta' } },
  ],
};
