import { extractNames } from './names/index.js';
import { roleOf } from './names/roles.js';
import { isHiddenName, isPlural, isStandInName } from './names/words.js';
import type { Entities, Facts, ParsedPaste } from './types.js';

export { classNameForTable, isPlural, singular, tablesInSql } from './names/words.js';

function add(list: string[], value: string | undefined): void {
  if (value && !list.includes(value)) list.push(value);
}

/**
 * The names a snippet needs, by role, from the declared sources in bot/triage/names/ (each name
 * says where it came from and how sure it is), plus the older lists (models, attributes, tables,
 * fields) that examples and the JSON output keep.
 */
export function extractEntities(parsed: ParsedPaste, primaryIndex: number, signatureCaptures: Record<string, string> = {}): Entities {
  const { names, findings } = extractNames(parsed, primaryIndex, signatureCaptures);
  const byRole = new Map(names.map((n) => [n.role, n]));
  const models: string[] = [];
  const schemas: string[] = [];
  const tables: string[] = [];
  const fields: string[] = [];
  const attributes: string[] = [];
  add(models, byRole.get('model')?.value);
  add(models, byRole.get('related_model')?.value);
  const model = byRole.get('model')?.value;
  const attr = byRole.get('attribute')?.value;
  if (attr) attributes.push(model ? `${model}.${attr}` : attr);
  for (const f of findings) {
    if (f.role === 'attribute' && !f.guess) {
      const owner = f.group !== undefined ? findings.find((g) => g.group === f.group && g.role === 'model')?.value : undefined;
      add(attributes, owner ? `${owner}.${f.value}` : f.value);
    }
    if (f.role === 'model' || f.role === 'related_model') add(models, f.value);
    else if (f.role === 'schema') add(schemas, f.value);
    else if (f.role === 'table' || f.role === 'related_table' || f.role === 'secondary') add(tables, f.value);
    else if (f.role === 'field') add(fields, f.value);
  }
  for (const s of schemas) add(models, s);
  // Signature captures that are not roles (`revision`, `pool_size`) fill their own placeholders.
  const captures: Record<string, string> = { ...signatureCaptures };
  // A role the fault's regex captured whose value the names pass rewrote (`test_raise_warning.<locals>.foo` is the
  // coroutine `foo`) or dropped (the poster's `XXX` in place of a table): the snippet says what the names say,
  // or keeps its placeholder.
  for (const [key, value] of Object.entries(signatureCaptures)) {
    const role = roleOf(key);
    if (!role) continue;
    // A table the names pass dropped (an alias the SQL never showed as a table, `affiliations_1`) is no table either.
    if (isHiddenName(value) || isStandInName(role, value) || ((role === 'table' || role === 'related_table') && !byRole.has(role))) { delete captures[key]; continue; }
    const n = byRole.get(role);
    if (n && n.evidence === value && n.value !== value && n.source === 'signature') captures[key] = n.value;
  }
  for (const n of names) captures[n.role] ??= n.value;
  return { models, attributes, tables, fields, captures, names };
}

const VERSION_CODE = /sqlalche\.me\/e\/(\d)(\d)\//;

// Functions that exist in only one line, as real tracebacks show them: 2.0 runs statements through
// Session._execute_internal and Connection._exec_single_context; 1.4 through Session.execute ->
// Connection._execute_20 and re-raises with util.compat.raise_.
const SA20_FRAME = /sqlalchemy\/(?:engine\/base\.py:_exec_single_context|orm\/session\.py:_execute_internal|orm\/context\.py:orm_execute_statement)$/;
const SA14_FRAME = /sqlalchemy\/(?:util\/compat\.py:raise_|engine\/base\.py:_execute_20)$/;
// APIs that only 2.0 has, in the user's own code lines.
const SA20_API = /\b(?:async_sessionmaker|DeclarativeBase|mapped_column|Mapped\[|AsyncAttrs|awaitable_attrs)\b/;

/** The SQLAlchemy line (1.4 or 2.0) the frames or the user's code give away, when no link says it. */
function sqlalchemyLineFromCode(parsed: ParsedPaste): string | undefined {
  for (const r of parsed.records) {
    for (const f of r.frames) {
      const where = `${f.file.replace(/\\/g, '/')}:${f.func}`;
      if (SA20_FRAME.test(where)) return '2.0';
      if (SA14_FRAME.test(where)) return '1.4';
    }
  }
  const code = [...parsed.sourceLines, ...parsed.records.flatMap((r) => r.frames.map((f) => f.code))];
  return code.some((line) => SA20_API.test(line)) ? '2.0' : undefined;
}

/** Context the fix ranking reads: versions, driver, framework, relationship shape. */
export function extractFacts(parsed: ParsedPaste, entities: Entities): Facts {
  const facts: Facts = {};
  const sample = parsed.lines.length > 400 ? [...parsed.lines.slice(0, 200), ...parsed.lines.slice(-200)] : parsed.lines;
  const joined = sample.join('\n');
  const v = VERSION_CODE.exec(joined);
  if (v) facts.sqlalchemy = `${v[1]}.${v[2]}`;
  else if (/can't call await_\(\) here/.test(joined)) facts.sqlalchemy = '1.4';
  else if (/can't call await_only\(\) here/.test(joined)) facts.sqlalchemy = '2.0';
  const saPath = /site-packages\/SQLAlchemy-(\d+\.\d+)/i.exec(joined);
  if (saPath?.[1]) facts.sqlalchemy = saPath[1];
  if (!facts.sqlalchemy) {
    const line = sqlalchemyLineFromCode(parsed);
    if (line) facts.sqlalchemy = line;
  }
  const pv = /errors\.pydantic\.dev\/(\d)/.exec(joined);
  if (pv?.[1]) facts.pydantic = pv[1];
  else if (/pydantic_core|\[type=\w+, input_value=/.test(joined)) facts.pydantic = '2';
  else if (/\(type=(?:value_error|type_error)\.\w+\)|pydantic\/main\.py", line \d+, in pydantic\.main/.test(joined)) facts.pydantic = '1';
  const driver = /\b(asyncpg|psycopg2|psycopg|aiosqlite|aiomysql|pymysql|asyncmy)\b/.exec(joined);
  if (driver?.[1]) facts.driver = driver[1];
  else if (/sqlite3\.\w+Error/.test(joined)) facts.driver = 'sqlite3';
  const py = /python(3\.\d{1,2})\b/.exec(joined);
  if (py?.[1]) facts.python = py[1];
  // pytest's session header: `platform linux -- Python 3.13.5, pytest-8.3.5, pluggy-1.5.0` and
  // `plugins: anyio-4.8.0, asyncio-0.25.1` (pytest-asyncio registers itself as "asyncio").
  const header = /^platform [^\n]{0,80}? -- Python (\d+\.\d+)\.\d+, pytest-(\d+\.\d+(?:\.\d+)?)/m.exec(joined);
  if (header?.[1] && !facts.python) facts.python = header[1];
  if (header?.[2]) facts.pytest = header[2];
  const plugins = /^plugins: (?:[^\n]{0,500}?, )?asyncio-(\d+\.\d+(?:\.\d+)?)(?=[,\s]|$)/m.exec(joined);
  if (plugins?.[1]) facts['pytest-asyncio'] = plugins[1];
  const files = parsed.records.flatMap((r) => r.frames.map((f) => f.file)).join('\n');
  if (/\/fastapi\//.test(files) || /fastapi\./.test(joined)) facts.framework = 'fastapi';
  else if (/\/starlette\//.test(files)) facts.framework = 'starlette';
  else if (/\/celery\//.test(files)) facts.framework = 'celery';
  else if (/\/django\//.test(files)) facts.framework = 'django';
  else if (/_pytest\/|^E {3}|^FAILED |^_{5,} test_/m.test(joined)) facts.framework = 'pytest';
  const attr = entities.captures.attribute;
  if (attr) facts.relationship = isPlural(attr) || /Input should be a valid list/.test(joined) ? 'collection' : 'scalar';
  return facts;
}
