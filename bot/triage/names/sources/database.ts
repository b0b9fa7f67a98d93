import type { NameContext, NameFinding, NameSource } from '../types.js';
import type { Role } from '../roles.js';
import { isStandInName } from '../words.js';

/**
 * The same facts in the wordings of other servers, other languages and the applications that log them. A server's
 * wording names its tables as it quotes them; a schema or owner prefix (`dbo.`, `public.`) is dropped.
 */
const OTHER_WORDINGS: { re: RegExp; roles: Role[]; needle: string }[] = [
  // PostgreSQL on a foreign key to columns with no unique index: `there is no unique constraint matching given keys for
  // referenced table "accounts_user"` (the table the key points to).
  { re: /\bno unique constraint matching given keys for referenced table "(?:\w{1,63}\.)?([^"\n]{1,126})"/, roles: ['related_table'], needle: 'referenced table' },
  // PostgreSQL in German (`FEHLER:  NULL-Wert in Spalte »run_id« von Relation »recorder_runs« verletzt Not-Null-Constraint`,
  // before 13 without the relation) and in French (`une valeur NULL viole la contrainte NOT NULL de la colonne « purchase_warn »`,
  // 13+ adding `dans la relation « x »`).
  { re: /\bNULL-Wert in Spalte »([^«»\n]{1,63})« von Relation »(?:\w{1,63}\.)?([^«»\n]{1,126})«/, roles: ['column', 'table'], needle: 'NULL-Wert' },
  { re: /\bNULL-Wert in Spalte »([^«»\n]{1,63})« verletzt/, roles: ['column'], needle: 'NULL-Wert' },
  { re: /\bcontrainte NOT NULL de la colonne «\s{0,2}([^«»\s]{1,63})\s{0,2}»(?: dans la relation «\s{0,2}(?:\w{1,63}\.)?([^«»\s]{1,126})\s{0,2}»)?/, roles: ['column', 'table'], needle: 'de la colonne' },
  // PostgreSQL in Chinese (`错误:  关系 "tabpost" 不存在`: relation "tabpost" does not exist).
  { re: /关系 "(?:\w{1,63}\.)?(\w{1,63})" 不存在/, roles: ['table'], needle: '不存在' },
  // SQL Server through pyodbc / pymssql: `Violation of UNIQUE KEY constraint 'UQ__author__72E12F1B836EC3EE'. Cannot insert
  // duplicate key in object 'dbo.author'.`, `Violation of PRIMARY KEY constraint 'PK_Customers'. ...`,
  // `Cannot insert the value NULL into column 'name', table 'db.dbo.author'`, `Invalid object name 'dbo.users'`,
  // `Invalid column name 'user_id'`.
  { re: /\bViolation of (?:UNIQUE KEY|PRIMARY KEY) constraint '([^'\n]{1,128})'\. Cannot insert duplicate key in object '(?:\w{1,128}\.){0,2}(\w{1,128})'/, roles: ['constraint', 'table'], needle: 'Violation of' },
  { re: /\bViolation of (?:UNIQUE KEY|PRIMARY KEY) constraint '([^'\n]{1,128})'/, roles: ['constraint'], needle: 'Violation of' },
  { re: /\bCannot insert the value NULL into column '([^'\n]{1,128})', table '(?:\w{1,128}\.){0,2}(\w{1,128})'/, roles: ['column', 'table'], needle: 'Cannot insert the value NULL' },
  { re: /\bInvalid object name '(?:\w{1,128}\.){0,2}(\w{1,128})'/, roles: ['table'], needle: 'Invalid object name' },
  { re: /\bInvalid column name '([^'\n]{1,128})'/, roles: ['column'], needle: 'Invalid column name' },
  // SQL Server's 547 on a foreign key, quoted either way and often wrapped: inserting a child names the referenced table
  // (`The INSERT statement conflicted with the FOREIGN KEY constraint "FK_x". The conflict occurred in database "db", table
  // "dbo.yaf_Board", column 'BoardID'.`, the column being the parent's); deleting a parent names the child and its key column
  // (`The DELETE statement conflicted with the REFERENCE constraint "FK_x". ... table "dbo.RunningJobs", column 'InstanceID'.`).
  { re: /\bThe (?:INSERT|UPDATE|MERGE|ALTER TABLE)\s{1,3}statement\s{1,3}conflicted\s{1,3}with\s{1,3}the\s{1,3}FOREIGN\s{1,3}KEY\s{1,3}constraint\s{1,3}["']([^"'\n]{1,128})["']\.\s{1,3}The\s{1,3}conflict\s{1,3}occurred\s{1,3}in\s{1,3}database\s{1,3}(?:["'][^"'\n]{0,128}["'])?\s{0,3},\s{1,3}table\s{1,3}["'](?:\w{1,128}\.)?([^"'\n.]{1,128})["']/, roles: ['constraint', 'related_table'], needle: 'conflicted' },
  { re: /\bThe (?:DELETE|UPDATE)\s{1,3}statement\s{1,3}conflicted\s{1,3}with\s{1,3}the\s{1,3}REFERENCE\s{1,3}constraint\s{1,3}["']([^"'\n]{1,128})["']\.\s{1,3}The\s{1,3}conflict\s{1,3}occurred\s{1,3}in\s{1,3}database\s{1,3}(?:["'][^"'\n]{0,128}["'])?\s{0,3},\s{1,3}table\s{1,3}["'](?:\w{1,128}\.)?([^"'\n.]{1,128})["'],\s{1,3}column\s{1,3}'(\w{1,128})'/, roles: ['constraint', 'table', 'column'], needle: 'conflicted' },
  // Oracle (cx_Oracle, oracledb): `ORA-01400: cannot insert NULL into ("HASS"."SCHEMA_CHANGES"."CHANGE_ID")`, owner first;
  // a post outside a code block shows the quotes curled (`“HASS”.“SCHEMA_CHANGES”`).
  { re: /\bcannot insert NULL into \(["“”]\w{1,128}["“”]\.["“”](\w{1,128})["“”]\.["“”](\w{1,128})["“”]\)/, roles: ['table', 'column'], needle: 'cannot insert NULL into' },
  // SQLite and MySQL on DDL run twice (an interrupted alembic batch migration leaves `_alembic_tmp_flow` behind):
  // `table _alembic_tmp_flow already exists`, `(1050, "Table 'users' already exists")`; MySQL 1146 `Table 'db.users' doesn't exist`.
  { re: /\b[Tt]able [`'"]?(?:\w{1,63}\.)?(\w{1,63})[`'"]? already exists/, roles: ['table'], needle: 'already exists' },
  { re: /\bTable '(?:\w{1,63}\.)?(\w{1,63})' doesn't exist/, roles: ['table'], needle: "doesn't exist" },
  // DuckDB: `Catalog Error: Table with name transaction does not exist!`.
  { re: /\bTable with name "?(?:\w{1,63}\.)?(\w{1,63})"? does not exist/, roles: ['table'], needle: 'Table with name' },
  // Grants: PostgreSQL `permission denied for table my_table` (`for relation x` before 14).
  { re: /\bpermission denied for (?:table|relation) "?(?:\w{1,63}\.)?(\w{1,63})"?/, roles: ['table'], needle: 'permission denied for' },
  // A column added twice (a migration re-run): SQLite `duplicate column name: timestamp`, MySQL 1060 `Duplicate column name 'p_name'`.
  { re: /\b[Dd]uplicate column name:? '?(\w{1,63})'?/, roles: ['column'], needle: 'uplicate column name' },
  // A column two joined tables share: PostgreSQL `column reference "tags" is ambiguous`, SQLite `ambiguous column name: on_pause`,
  // MySQL 1052 `Column 'name' in order clause is ambiguous`.
  { re: /\bcolumn reference "(\w{1,63})" is ambiguous/, roles: ['column'], needle: 'is ambiguous' },
  { re: /\bambiguous column name: (?:\w{1,63}\.)?(\w{1,63})/, roles: ['column'], needle: 'ambiguous column name' },
  { re: /\bColumn '([^'\n]{1,63})' in [a-z ]{1,20} is ambiguous/, roles: ['column'], needle: 'is ambiguous' },
  // A unique index built over duplicates (a migration adding `unique=True`): `could not create unique index "uix_pr_email_id"` /
  // `DETAIL:  Key (email_id)=(82d5...) is duplicated.`
  { re: /\bcould not create unique index "(?:\w{1,63}\.)?([^"\n]{1,126})"/, roles: ['constraint'], needle: 'could not create unique index' },
  { re: /\bKey \(("[^"\n]{1,63}"|[\w"]{1,63})\)=\([^\n]{0,300}?\) is duplicated/, roles: ['column'], needle: 'is duplicated' },
  // Odoo logs the column its ORM could not make required: 8-10 `openerp.models: WARNING: unable to set column ced_ruc of table
  // res_partner not null !`, 11+ `odoo.schema: Table 'res_config_settings': unable to set NOT NULL on column 'partner_names_order'!`.
  { re: /\bunable to set column (\w{1,63}) of table (\w{1,63}) not null/, roles: ['column', 'table'], needle: 'unable to set column' },
  { re: /\bTable '(\w{1,63})': unable to set NOT NULL on column '(\w{1,63})'/, roles: ['table', 'column'], needle: 'unable to set NOT NULL' },
];

// Each pattern is a database's (or SQLAlchemy's) own wording, with the roles of its groups in order.
// Quoted names keep their case; a schema prefix (`public.`, `test.`) is dropped.
const RULES: { re: RegExp; roles: Role[]; needle?: string }[] = [
  // PostgreSQL 13+: `null value in column "id" of relation "post" violates not-null constraint`
  { re: /null value in column "([^"]{1,63})" of relation "([^"]{1,126})"/, roles: ['column', 'table'], needle: 'null value in column' },
  { re: /null value in column "([^"]{1,63})"/, roles: ['column'], needle: 'null value in column' },
  { re: /column "([^"]{1,63})" of relation "([^"]{1,126})" does not exist/, roles: ['column', 'table'], needle: 'does not exist' },
  // `column accounts.plan_id does not exist`, `column "f2xuxt" does not exist`, `column u.id does not exist`
  { re: /\bcolumn (\w{1,63})\.(\w{1,63}) does not exist/, roles: ['table', 'column'], needle: 'does not exist' },
  { re: /\bcolumn "([^"]{1,63})" (?:does not exist|contains null values)/, roles: ['column'], needle: 'column "' },
  // `relation "abbotsley_271.AREA_BUILD_PHASE_BOUNDARIES" does not exist`, German `Relation »info_user« existiert nicht`
  // A terminal may wrap the line between the name and `does not exist`.
  // PostgreSQL quotes the name as the user wrote it, so a name that needed quoting may hold a space (`relation "Sales Data" does
  // not exist`): inside the quotes the name runs to the closing quote; unquoted it is one word.
  { re: /[Rr]elation (?:"(?:\w{1,63}\.)?([^"\n.]{1,63})"|[«»]?(?:\w{1,63}\.)?(\w{1,63})[«»]?)\s{1,3}(?:does not exist|existiert nicht)/, roles: ['table', 'table'], needle: 'elation' },
  // DDL run twice (a migration re-applied): `constraint "releases_sfv_id_fkey" for relation "releases" already exists`,
  // `relation "ix_users_email" already exists`.
  { re: /\bconstraint "([^"]{1,126})" for relation "(?:\w{1,63}\.)?([^"]{1,126})" already exists/, roles: ['constraint', 'table'], needle: 'already exists' },
  { re: /[Rr]elation "(?:\w{1,63}\.)?(\w{1,126})" already exists/, roles: ['table'], needle: 'already exists' },
  { re: /\bno such table: (?:\w{1,63}\.)?(\w{1,63})/, roles: ['table'], needle: 'no such table' },
  { re: /\bno such column: (?:(\w{1,63})\.)?(\w{1,63})/, roles: ['table', 'column'], needle: 'no such column' },
  { re: /\bNot found column (\w{1,63}) in block/, roles: ['column'], needle: 'Not found column' },
  // MySQL and SQL Server quote every name they report, so a quoted name runs to its closing quote (`Column 'Golden Balls'
  // cannot be null`, `Unknown column 'Date of Birth' in 'field list'`).
  // MySQL / MariaDB 1054 in every clause: `Unknown column 'channels.topic_user_id' in 'field list'`,
  // `Unknown column 'RESP_PIT_ID' in 'field list'`, `Unknown column 'u.id' in 'on clause'` (Django's `app_model.field` too).
  { re: /\bUnknown column '(?:`?(\w{1,63})`?\.)?`?([^'`.\n]{1,63})`?' in '/, roles: ['table', 'column'], needle: 'Unknown column' },
  // SQLite on an INSERT naming a column the table lacks: `table presentationmodel has no column named file_paths`.
  { re: /\btable "?(?:\w{1,63}\.)?(\w{1,63})"? has no column named "?(\w{1,63})/, roles: ['table', 'column'], needle: 'has no column named' },
  // MySQL / MariaDB name the column a value does not fit, in every driver's wrapper (pymysql, MySQLdb, aiomysql):
  // `(1406, "Data too long for column 'name' at row 1")`, `(1048, "Column 'user_id' cannot be null")`,
  // `Incorrect integer value: 'abc' for column 'age' at row 1`, MariaDB's `for column `db`.`t`.`c` at row 1`,
  // `Out of range value for column 'price' at row 1`, `Field 'slug' doesn't have a default value`.
  { re: /\bData too long for column '([^'\n]{1,63})'/, roles: ['column'], needle: 'Data too long' },
  { re: /\bColumn '([^'\n]{1,63})' cannot be null/, roles: ['column'], needle: 'cannot be null' },
  { re: /\bIncorrect \w{1,20} value: '[^'\n]{0,200}' for column (?:`\w{1,63}`\.){0,2}[`']?(\w{1,63})[`']? at row/, roles: ['column'], needle: 'for column' },
  { re: /\bOut of range value for column '([^'\n]{1,63})'/, roles: ['column'], needle: 'Out of range value' },
  { re: /\bField '([^'\n]{1,63})' doesn't have a default value/, roles: ['column'], needle: "doesn't have a default" },
  // Django's constraint check on SQLite (migrate, loaddata, tests): `The row in table 'django_notify_settings' with
  // primary key '2' has an invalid foreign key: django_notify_settings.user_id contains a value '6' that does not
  // have a corresponding value in auth_user.id.`
  { re: /\bThe row in table '(\w{1,126})' with primary key '[^'\n]{0,100}' has an invalid foreign key: \w{1,126}\.(\w{1,63}) contains a value '[^'\n]{0,200}' that does not have a corresponding value in (\w{1,126})\./, roles: ['table', 'column', 'related_table'], needle: 'invalid foreign key' },
  // SQLAlchemy 2.0 on joined-table inheritance: `Implicitly combining column managed_objects.uid with column
  // crypto_objects.uid under attribute 'unique_identifier'`: the column and the attribute the mapper joins it under.
  { re: /\bImplicitly combining column \w{1,126}\.(\w{1,63}) with column \w{1,126}\.\w{1,63} under attribute '(\w{1,63})'/, roles: ['column', 'attribute'], needle: 'Implicitly combining' },
  // SQLAlchemy's relationship loader on an unflushed row: `Can't resolve value for column reports.id on object <Report at
  // 0x7f..>; no value has been set for this column`: the table and its column the foreign key reads.
  { re: /\bCan't resolve value for column (\w{1,126})\.(\w{1,63}) on object/, roles: ['table', 'column'], needle: "Can't resolve value" },
  // SQLite: `UNIQUE constraint failed: user.email`, `NOT NULL constraint failed: orders.customer_id`
  { re: /\b(?:UNIQUE|NOT NULL) constraint failed: (\w{1,63})\.(\w{1,63})/, roles: ['table', 'column'], needle: 'constraint failed' },
  // SQLite before 3.8.2 (old Django and SQLAlchemy 0.x posts): `IntegrityError: users.email may not be NULL`,
  // `column email is not unique`, `columns user_id, tag_id are not unique` (the first column).
  { re: /\b(\w{1,63})\.(\w{1,63}) may not be NULL/, roles: ['table', 'column'], needle: 'may not be NULL' },
  { re: /\bcolumns? (\w{1,63})(?:, \w{1,63}){0,8} (?:is|are) not unique/, roles: ['column'], needle: 'not unique' },
  // PostgreSQL's CONTEXT line under a deadlock or a lock wait names the relation the tuple is in: `CONTEXT:  while updating
  // tuple (6805,13) in relation "task_instance"`, `while deleting tuple`, `while locking tuple`, `while inserting index tuple`,
  // `while checking uniqueness of tuple`, `while locking updated version (0,5) of tuple in relation "x"`.
  { re: /\bwhile [a-z ]{3,40}\(\d{1,10},\d{1,5}\)[a-z ]{0,20} in relation "(?:\w{1,63}\.)?([^"\n]{1,126})"/, roles: ['table'], needle: ' in relation "' },
  // PostgreSQL 42804 on an INSERT or UPDATE: `column "foo" is of type integer but expression is of type text`.
  { re: /\bcolumn "([^"\n]{1,63})" is of type [^"\n]{1,60}? but expression is of type/, roles: ['column'], needle: 'but expression is of type' },
  // The quoted name stays on its line: a quote on a later line (a DETAIL's `table "x"`) does not close it, nor does one after
  // the DETAIL a record's message joins onto the same line (`"users_groups_users_id DETAIL:  Key (users_id)=(95) is not present
  // in table "users".`, a name cut before its closing quote): no name holds a line break or the DETAIL's colon.
  { re: /violates (?:unique|check|exclusion|foreign key|not-null) constraint\s{1,3}"([^"\n:]{1,126})"/, roles: ['constraint'], needle: 'violates' },
  // A closing quote lost at the end of its line (supabase#2918's dashboard error, copied as `insert or update on table
  // "user_apps_relation" violates foreign key constraint "user_apps_relation_id_fkey` and then the code fence). The name is
  // read only where it shows it is whole: it is the name PostgreSQL generates (`<table>_<columns>_fkey`, `<table>_<x>_check`),
  // beginning with the table the same message names and ending in the kind's suffix, and the line ends with it. A name cut
  // inside (an excerpt ending at `"dcim_interface_cable_id_1b2`) or a name of the user's own choosing names nothing.
  { re: /\binsert or update on table "(?:\w{1,63}\.)?(\w{1,63})" violates foreign key constraint\s{1,3}"(\1_\w{1,120}_fkey)[ \t]{0,4}$/m, roles: ['table', 'constraint'], needle: 'insert or update' },
  { re: /\bnew row for relation "(?:\w{1,63}\.)?(\w{1,63})" violates check constraint\s{1,3}"(\1_\w{1,120}_check)[ \t]{0,4}$/m, roles: ['table', 'constraint'], needle: 'new row for' },
  { re: /unique cons\s{0,2}traint\s{1,3}"([^"]{1,126})"/, roles: ['constraint'], needle: 'unique cons' },
  // MySQL 8.0.19+ names the key after its table: `Duplicate entry '145050544-lunarvim' for key
  // 'repos_topics.uc_repos_topics_repo_id_title'` (before, `for key 'uc_repos_topics_repo_id_title'`); a title may drop the value
  // and quote with backticks (`Duplicate entry for key `repos_topics.uc_x``). The closing quote is required: a title cut inside
  // the key (`for key 'repos_topics.uc_repos_topi…`) names no key.
  { re: /Duplicate entry (?:'[^'\n]{0,200}' )?for key (?:'(?:(\w{1,63})\.)?(\w{1,126})'|`(?:(\w{1,63})\.)?(\w{1,126})`)/, roles: ['table', 'constraint', 'table', 'constraint'], needle: 'Duplicate entry' },
  // `Key (email)=(a@b.c) already exists.`, `Key (project)=(0) is not present in table "project".`
  // DETAIL quotes a column only where it needs quoting (`Key ("userId")=(1)`, `Key ("Golden Balls")=(6)`): the quoted name runs to
  // its closing quote, spaces and all.
  { re: /\bKey \(("[^"\n]{1,63}"|[\w"]{1,63})(?:, [^)]{1,300})?\)=\([^\n]{0,300}?\) already exists/, roles: ['column'], needle: 'already exists' },
  { re: /\bKey \(("[^"\n]{1,63}"|[\w"]{1,63})\)=\([^\n]{0,300}?\) is not present in table "([^"]{1,126})"/, roles: ['column', 'related_table'], needle: 'is not present' },
  // For a foreign key, `table` holds the key and `related_table` is the table it references:
  // inserting into the child names the child first; deleting from the parent names it first.
  { re: /insert or update on table "([^"]{1,126})" violates foreign key/, roles: ['table'], needle: 'insert or update' },
  { re: /update or delete on table "([^"]{1,126})" violates foreign key constraint "[^"]{1,126}" on table "([^"]{1,126})"/, roles: ['related_table', 'table'], needle: 'update or delete' },
  // The same wording cut after its first table (a title GitHub or Sentry shortened, `...on table users_user viol…`), or with
  // the quotes a poster dropped retyping it: the first table is still the one referenced (deleting) or referencing (inserting).
  // Unquoted, the name counts only with `viol` after it: a line that ends on it may have been cut inside it.
  { re: /\bupdate or delete on table (?:"(?:\w{1,63}\.)?(\w{1,126})"|(?:\w{1,63}\.)?(\w{1,126})(?=\s{1,3}viol))/, roles: ['related_table', 'related_table'], needle: 'update or delete' },
  { re: /\binsert or update on table (?:"(?:\w{1,63}\.)?(\w{1,126})"|(?:\w{1,63}\.)?(\w{1,126})(?=\s{1,3}viol))/, roles: ['table', 'table'], needle: 'insert or update' },
  { re: /new row for relation "([^"]{1,126})" violates/, roles: ['table'], needle: 'new row for' },
  { re: /\bTable '(?:\w{1,63}\.)?(\w{1,126})' is already defined/, roles: ['table'], needle: 'is already defined' },
  { re: /\b(?:UPDATE|DELETE) statement on table '(\w{1,126})' expected to/, roles: ['table'], needle: 'statement on table' },
  { re: /for mapped table '(\w{1,126})'/, roles: ['table'], needle: 'for mapped table' },
  // SAWarning: `Column 'contact.user' is marked as a member of the primary key for table 'contact'`
  { re: /\bColumn '(\w{1,63})\.(\w{1,63})' is marked as a member of the primary key/, roles: ['table', 'column'], needle: 'primary key' },
  // `Foreign key associated with column 'data.aa_bbb_id' could not find table 'aaBbb'`
  { re: /Foreign key associated with column '(\w{1,63})\.(\w{1,63})' could not find table '(?:\w{1,63}\.)?(\w{1,126})'/, roles: ['table', 'column', 'related_table'], needle: 'Foreign key associated' },
  // `Can't determine join between 'apps' and 'users'`, `Can't find any foreign key relationships between 'a' and 'b'`
  { re: /between '(\w{1,126})' and '(\w{1,126})'/, roles: ['table', 'related_table'], needle: "between '" },
  ...OTHER_WORDINGS,
];

const ANY_WORD = /NULL-Wert|may not be NULL|not unique|in relation "|colonne|不存在|Invalid object name|insert NULL|unique index|column|Column|Field '|[Cc]olumn '|[Rr]elation|table|[Tt]able|constraint|Key \(|Duplicate entry|Foreign key|between '/;

/** Database and SQL-layer messages: which table, column and constraint an error is about. */
export const databaseSource: NameSource = {
  id: 'message',
  describe: 'database messages: relation, column, constraint and the table a foreign key points to',
  find(ctx: NameContext, out: NameFinding[]): void {
    // A message quoted inside a repr escapes its quotes (Celery's `raised unexpected: DataError('(pymysql.err.DataError)
    // (1406, "Data too long for column \'province\' at row 1")',)`): the rules read it unescaped.
    // A JSON error body escapes its double quotes the same way (NetBox's `{"error": "duplicate key value violates unique
    // constraint \\"dcim_manufacturer_slug_key\\"\\nDETAIL: ..."}`).
    const unescape = (t: string): string => (t.includes('\\') ? t.replace(/\\(['"])/g, '$1') : t);
    const texts = ctx.ordered.map((r) => r.message.slice(0, 4000)).map(unescape);
    // A logged statement or a line of prose carries the same wording (`ERROR:  null value in column ...`):
    // the whole paste is read when the records' messages name nothing.
    const before = out.length;
    if (ctx.text) texts.push(unescape(ctx.text));
    const recordRoles = new Set<Role>();
    texts.forEach((text, rank) => {
      // The whole paste adds only the roles no record named: Django's `The above exception (duplicate key value violates unique
      // constraint "x" / DETAIL: Key (y)=(..) already exists.) was the direct cause` puts the constraint in a line the record's
      // message does not hold, though the DETAIL line is read with it.
      const whole = rank === texts.length - 1 && !!ctx.text;
      if (whole) for (const f of out.slice(before)) recordRoles.add(f.role);
      // Every rule needs one of these words: most pastes skip them all with one scan.
      if (!ANY_WORD.test(text)) return;
      const weight = rank === 0 ? 0.95 : 0.9;
      for (const rule of RULES) {
        if (rule.needle && !text.includes(rule.needle)) continue;
        let m = rule.re.exec(text);
        // A poster's template (`table__new.colonne may not be NULL` in a title) is not the pair: the real one may follow.
        let rest = text;
        for (let tries = 0; m && tries < 3 && rule.roles.some((role, i) => isStandInName(role, m![i + 1] ?? '')); tries++) {
          rest = rest.slice(m.index + m[0].length);
          m = rule.re.exec(rest);
        }
        if (!m) continue;
        if (whole && rule.roles.every((role) => recordRoles.has(role))) continue;
        const group = ctx.group();
        rule.roles.forEach((role, i) => {
          const value = m[i + 1]?.replace(/"/g, '');
          if (value && !(whole && recordRoles.has(role))) out.push({ role, value, source: 'message', confidence: weight, group, evidence: m[0].slice(0, 160) });
        });
      }
    });
  },
  examples: [
    { source: 'https://github.com/lorint/AdventureWorks-for-Postgres/issues/9', input: 'ERROR:  insert or update on table "productreview" violates foreign key constraint "FK_ProductReview_Product_ProductID"\nDETAIL:  Key (productid)=(709) is not present in table "product".', expect: { table: 'productreview', constraint: 'FK_ProductReview_Product_ProductID', column: 'productid', related_table: 'product' } },
    { source: 'https://github.com/tum-ewk/lemlab/issues/24', input: 'psycopg2.errors.UndefinedTable: FEHLER:  Relation »info_user« existiert nicht', expect: { table: 'info_user' } },
    { source: 'https://github.com/Shaunwei/RealChar/issues/100', input: 'sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) table interactions has no column named platform\n[SQL: INSERT INTO interactions (client_id, client_message, server_message, timestamp, platform, action_type) VALUES (?, ?, ?, ?, ?, ?)]', expect: { table: 'interactions', column: 'platform' } },
    { source: 'https://github.com/dataelement/bisheng/issues/1261', input: 'Error: (pymysql.err.OperationalError) (1054, "Unknown column \'chatmessage.sensitive_status\' in \'field list\'")', expect: { table: 'chatmessage', column: 'sensitive_status' } },
    { source: 'https://github.com/psycopg/psycopg2/issues/1477', input: 'psycopg2.errors.UndefinedColumn: column "temperature" of relation "sensor_data" does not exist', expect: { column: 'temperature', table: 'sensor_data' } },
  ],
};
