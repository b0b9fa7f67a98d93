import type { NameContext, NameFinding } from './types.js';
import { tablesInSql } from './words.js';

const CREATED = /\bCREATE (?:TEMP(?:ORARY)? )?TABLE (?:IF NOT EXISTS )?["`]?(\w{1,63})/gi;

// A table given a second name in the statement: peewee's `FROM "users" AS t1`, `JOIN orders o ON`, SQLAlchemy's
// `FROM affiliations AS affiliations_1`, `UPDATE media_translations mt SET`. The database then names the alias in its
// message (`column t1.updated_at does not exist`): the alias is not a table the user has.
const ALIASED = /\b(?:FROM|JOIN|UPDATE)\s{1,4}(?:(?:"\w{1,63}"|\w{1,63})\.)?["`]?(\w{1,63})["`]?\s{1,4}(?:AS\s{1,4})?["`]?(\w{1,63})["`]?/gi;
// Words that follow a table in SQL and name no alias, and words of prose around one (`is still referenced from table
// "slot_record"` names a table, not an alias of a table called `table`).
const NOT_ALIAS = /^(?:table|relation|the|a|an|this|that|its|my|your|our|where|on|join|left|right|inner|outer|full|cross|natural|group|order|limit|offset|set|using|union|having|window|for|returning|values|and|or|as|lateral|fetch|except|intersect|tablesample|with|select|from|into|only|straight_join|force|use|ignore|partition)$/i;
// SQLAlchemy's anonymous subquery (`anon_1`) is an alias whatever the paste shows.
const ANONYMOUS = /^anon_\d{1,4}$/;
// SQLAlchemy names an aliased entity (a joinedload, `aliased(Affiliation)`) after its table: `affiliations_1`. A column
// reference qualified by such a name (`column affiliations_1.alt_names does not exist`, indico#7265) is read through the
// alias: it names no table the user has, unless the paste's SQL shows a table of that very name.
const ENTITY_ALIAS = /^[A-Za-z]\w{0,60}_\d{1,2}$/;

function qualifiesColumn(value: string, f: NameFinding, ctx: NameContext): boolean {
  const ref = new RegExp(`(?<![\\w.])${value}\\.\\w`);
  return ref.test(f.evidence ?? '') || ctx.ordered.some((r) => r.message.includes(`${value}.`) && ref.test(r.message.slice(0, 2000)));
}

/** Every `alias -> table` the paste's SQL defines (read once, from the records' statements and the paste's lines). */
function sqlAliases(ctx: NameContext): Map<string, string> {
  const aliases = new Map<string, string>();
  const texts = [...ctx.ordered.map((r) => r.sql ?? ''), ctx.text.slice(0, 20000)];
  for (const text of texts) {
    if (!text) continue;
    for (const m of text.matchAll(ALIASED)) {
      const [table, alias] = [m[1] ?? '', m[2] ?? ''];
      if (!table || !alias || alias === table || NOT_ALIAS.test(alias) || NOT_ALIAS.test(table)) continue;
      if (!aliases.has(alias.toLowerCase())) aliases.set(alias.toLowerCase(), table);
    }
  }
  return aliases;
}

/** The tables the paste's SQL names as tables (`FROM x`, `CREATE TABLE x`...). */
function shownTables(ctx: NameContext): Set<string> {
  const tables = new Set<string>();
  for (const text of [...ctx.ordered.map((r) => r.sql ?? ''), ctx.text.slice(0, 20000)]) {
    for (const t of tablesInSql(text)) tables.add(t.toLowerCase());
    for (const m of text.matchAll(CREATED)) if (m[1]) tables.add(m[1].toLowerCase());
  }
  return tables;
}

/**
 * A table name that is only an alias the statement defined is given as the table it stands for (redash#413: `column
 * t1.updated_at does not exist` under `FROM "users" AS t1` is about `users`); an anonymous subquery names no table and is
 * dropped, and so is SQLAlchemy's `<table>_<n>` entity alias qualifying a column when no SQL shows it as a table. The
 * evidence stays what the paste said (`t1`), so the snippet's capture is rewritten like any other. Runs after every source,
 * on the table roles only, and scans the paste only when a table was found.
 */
export function resolveTableAliases(findings: NameFinding[], ctx: NameContext): void {
  if (!findings.some((f) => f.role === 'table' || f.role === 'related_table')) return;
  let aliases: Map<string, string> | null = null;
  let tables: Set<string> | null = null;
  for (let i = findings.length - 1; i >= 0; i--) {
    const f = findings[i];
    if (!f || (f.role !== 'table' && f.role !== 'related_table')) continue;
    if (ANONYMOUS.test(f.value)) { findings.splice(i, 1); continue; }
    aliases ??= sqlAliases(ctx);
    const table = aliases.get(f.value.toLowerCase());
    if (table && table.toLowerCase() !== f.value.toLowerCase()) findings[i] = { ...f, value: table };
    else if (!table && ENTITY_ALIAS.test(f.value) && !(tables ??= shownTables(ctx)).has(f.value.toLowerCase()) && qualifiesColumn(f.value, f, ctx)) findings.splice(i, 1);
  }
}
