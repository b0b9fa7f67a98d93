import type { Entities, ErrorRecord, Facts, ParsedPaste } from './types.js';

// Names that are variables or modules, never ORM objects: `session.execute`, `self.x`, `os.path`.
const NOT_OBJECTS = new Set([
  'self', 'cls', 'session', 'db', 'conn', 'connection', 'engine', 'sess', 'async_session', 'tx', 'app', 'router',
  'request', 'response', 'os', 'sys', 'json', 'asyncio', 'sqlalchemy', 'sa', 'orm', 'pytest', 'logging', 'logger', 'log',
  'datetime', 'typing', 'pydantic', 'fastapi', 'stmt', 'query', 'select', 'func', 'settings', 'config', 'math', 're',
  'time', 'random', 'uuid', 'alembic', 'op', 'mapped', 'await', 'errors', 'docs', 'www', 'http', 'https', 'github',
  'metadata', 'base', 'kwargs', 'args', 'super', 'exc', 'util', 'models', 'schemas', 'crud', 'api', 'tests', 'test',
  'asyncpg', 'psycopg', 'psycopg2', 'socket', 'pydantic_core', 'starlette', 'uvicorn', 'gunicorn', 'greenlet', 'aiosqlite',
  'aiomysql', 'pymysql', 'builtins', 'collections', 'functools', 'contextlib', 'concurrent', 'anyio', 'httpx', 'requests',
  'resp', 'client', 'mock', 'mocker', 'monkeypatch', 'caplog', 'capsys', 'tmp_path', 'event', 'ctx', 'context', 'task', 'tasks',
  'loop', 'future', 'fut', 'pool', 'cursor', 'cur', 'redis', 'cache', 'celery', 'timezone', 'np', 'pd', 'numpy', 'pandas', 'django',
  'flask', 'env', 'environ', 'path', 'pathlib', 'signal', 'threading', 'subprocess', 'decimal', 'enum', 'dataclasses',
]);
// Variables whose name says nothing about the class: resolve them through the shown source.
const GENERIC_VARIABLES = new Set([
  'result', 'res', 'obj', 'row', 'item', 'instance', 'entity', 'record', 'r', 'x', 'o', 'data', 'value', 'ret', 'found',
  'existing', 'db_obj', 'model', 'target', 'rv', 'out', 'payload', 'body', 'sub', 'params', 'req', 'msg', 'message', 'job',
  'cfg', 'conf', 'doc', 'rec', 'entry', 'val', 'v', 'k', 'y', 'i', 'e', 'err', 'ex', 'dto', 'form', 'd', 'tmp', 'current',
  'new', 'old', 'updated', 'created', 'db_item', 'db_user', 'in_data', 'schema', 'resp_data', 'response_data',
]);
// Classes that organise code rather than map tables: `UserRepository.get`, `BillingService.charge`.
const NOT_MODEL_SUFFIX = /(?:Repository|Repo|Service|Manager|Client|Factory|Handler|Controller|Router|Config|Settings|Mixin|Test|Tests|Case|Schema|Out|In|Create|Update|Read|Response|Request)$/;
// Library classes that appear where a model would (`coroutine 'AsyncSession.get' was never awaited`).
const LIBRARY_CLASSES = new Set([
  'Session', 'AsyncSession', 'Connection', 'AsyncConnection', 'Engine', 'AsyncEngine', 'Result', 'AsyncResult', 'ScalarResult',
  'Query', 'Row', 'Mapper', 'Select', 'Insert', 'Update', 'Delete', 'Table', 'Column', 'MetaData', 'Base', 'DeclarativeBase',
  'BaseModel', 'ValidationError', 'FastAPI', 'APIRouter', 'Request', 'Response', 'HTTPException', 'Depends', 'Mapped', 'List',
  'Optional', 'Dict', 'Any', 'None', 'NoneType', 'Task', 'Future', 'InstanceState', 'AsyncAdapt_asyncpg_connection',
  'Field', 'ModelField', 'FieldInfo', 'TypeAdapter', 'Celery', 'Path', 'Query', 'Body',
]);
const NOT_ATTRIBUTES = new Set([
  'py', 'pyc', 'com', 'org', 'net', 'io', 'me', 'dev', 'txt', 'json', 'yaml', 'yml', 'toml', 'ini', 'cfg', 'conf', 'md', 'html', 'log', 'sql',
  'sh', 'env', 'lock', 'local', 'internal', 'svc', 'cluster', 'scalar_one', 'scalars', 'execute', 'commit', 'all', 'first', 'one',
  // Flask-SQLAlchemy's `User.query` and Django's `User.objects` are managers, not relationships.
  'query', 'objects', 'metadata', 'c', 'columns', 'table', '__table__',
]);

function pascal(snake: string): string {
  return snake.split(/_+/).filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');
}

/** `organizations` -> `organization`, `categories` -> `category`, `addresses` -> `address`. */
export function singular(word: string): string {
  const w = word.toLowerCase();
  if (w === 'people') return word[0] === 'P' ? 'Person' : 'person';
  if (w === 'children') return word.slice(0, -3);
  if (/(?:ss|us|is)$/.test(w)) return word;
  if (/ies$/.test(w)) return word.slice(0, -3) + 'y';
  if (/(?:sses|shes|ches|xes|zzes)$/.test(w)) return word.slice(0, -2);
  if (/[^s]s$/.test(w)) return word.slice(0, -1);
  return word;
}

export function isPlural(word: string): boolean {
  const w = word.toLowerCase();
  if (/(?:_list|_set|_ids|children|people)$/.test(w)) return true;
  return singular(w) !== w;
}

/** `organizations` / `order_items` -> `Organization` / `OrderItem`. */
export function classNameForTable(table: string): string {
  const bare = table.replace(/^["`[]|["`\]]$/g, '').split('.').pop() ?? table;
  const parts = bare.split('_');
  parts[parts.length - 1] = singular(parts[parts.length - 1] ?? '');
  return pascal(parts.join('_'));
}

const SQL_TABLE = /\b(?:FROM|JOIN|INTO|UPDATE)\s+(?:"?\w{1,63}"?\.)?"?([A-Za-z_]\w{0,62})"?/gi;

export function tablesInSql(sql: string): string[] {
  const out: string[] = [];
  for (const m of sql.slice(0, 3000).matchAll(SQL_TABLE)) {
    const t = m[1];
    if (t && !/^(?:select|where|values|set|lateral|unnest|only)$/i.test(t) && !out.includes(t)) out.push(t);
  }
  return out;
}

interface Collected {
  models: string[];
  attributes: { model: string | null; attr: string }[];
  tables: string[];
  fields: string[];
  schemas: string[];
}

function add<T>(list: T[], value: T | null | undefined): void {
  if (value !== null && value !== undefined && value !== '' && !list.includes(value)) list.push(value);
}

function addModel(c: Collected, name: string | null | undefined): void {
  if (name && !LIBRARY_CLASSES.has(name)) add(c.models, name);
}

// Error-type tags name no model: pydantic v1 `(type=type_error.none.not_allowed)`, v2 `'type': 'missing'`.
const TYPE_TAGS = /\(?type=[\w.]{1,120}\)?|'type': '[\w.]{1,120}'/g;
// FastAPI puts where a value came from before the field: ('body', 'email'), ('response', 'id').
const LOC_PREFIXES = new Set(['body', 'query', 'path', 'response', 'header', 'cookie', '__root__']);

function fromMessage(message: string, c: Collected): void {
  const text = message.slice(0, 4000).replace(TYPE_TAGS, '');
  for (const m of text.matchAll(/<(?:[\w.]{1,200}\.)?([A-Z]\w{0,80})(?: object)? at 0x[0-9a-fA-F]{4,16}>/g)) addModel(c, m[1]);
  for (const m of text.matchAll(/Mapper\[([A-Z]\w{0,80})\((\w{1,63})\)\]/g)) { add(c.models, m[1]); add(c.tables, m[2]); }
  for (const m of text.matchAll(/Mapper\|([A-Z]\w{0,80})\|(\w{1,63})/g)) { add(c.models, m[1]); add(c.tables, m[2]); }
  for (const m of text.matchAll(/mapped class ([A-Z]\w{0,80})->(\w{1,63})/g)) { add(c.models, m[1]); add(c.tables, m[2]); }
  for (const m of text.matchAll(/(?:['"`]|relationship |attribute )([A-Z]\w{0,80})\.([a-z_]\w{0,80})(?=['"`\s,;.]|$)/g)) {
    // `coroutine 'Repo.mark_synced' was never awaited` names a method, not a model attribute.
    if (LIBRARY_CLASSES.has(m[1] ?? '') || /coroutine\s?'?$/.test(text.slice(Math.max(0, (m.index ?? 0) - 11), (m.index ?? 0) + 1))) continue;
    addModel(c, m[1]);
    if (!c.attributes.some((a) => a.model === m[1] && a.attr === m[2])) c.attributes.push({ model: m[1] ?? null, attr: m[2] ?? '' });
  }
  for (const m of text.matchAll(/of attribute '(\w{1,80})'/g)) {
    if (!c.attributes.some((a) => a.attr === m[1])) c.attributes.push({ model: null, attr: m[1] ?? '' });
  }
  // Pydantic: "1 validation error for UserRead\norganization\n  Input should be ..."
  const pyd = /\b\d{1,5} validation errors? for ([A-Za-z_]\w{0,80})\n([\s\S]{0,3000})/.exec(text);
  if (pyd) {
    add(c.schemas, pyd[1]);
    for (const m of (pyd[2] ?? '').matchAll(/^([A-Za-z_][\w.]{0,200})$/gm)) {
      const loc = (m[1] ?? '').split('.').filter((p) => !/^\d+$/.test(p) && !LOC_PREFIXES.has(p));
      add(c.fields, loc[loc.length - 1]);
    }
  }
  for (const m of text.matchAll(/input_type=([A-Z]\w{0,80})/g)) if (!/^(?:dict|str|int|list|NoneType|float|bool|tuple)$/.test(m[1] ?? '')) add(c.models, m[1]);
  for (const m of text.matchAll(/'loc': \(((?:'\w{1,80}'|\d{1,6})(?:, (?:'\w{1,80}'|\d{1,6})){0,8}),?\)/g)) {
    const loc = (m[1] ?? '').split(', ').map((p) => p.replace(/'/g, '')).filter((p) => !/^\d+$/.test(p) && !LOC_PREFIXES.has(p));
    add(c.fields, loc[loc.length - 1]);
  }
}

/** Finds the class a variable holds from the source shown in the paste. */
function resolveVariable(variable: string, sources: string[]): string | null {
  const v = variable.replace(/[^\w]/g, '');
  const assign = new RegExp(`\\b${v}\\s*(?::\\s*([A-Z]\\w{0,80}))?\\s*=\\s*(.{0,300})`);
  let multiline: string | null = null;
  for (let i = 0; i < sources.length; i++) {
    const m = assign.exec(sources[i] ?? '');
    if (!m) continue;
    if (m[1]) return m[1];
    // The value may continue on the next shown lines: `result = (\n await session.execute(select(User)...`
    multiline = [m[2] ?? '', ...sources.slice(i + 1, i + 4)].join(' ');
    const cls = /\bselect\(\s*([A-Z]\w{0,80})|\.get\(\s*([A-Z]\w{0,80})\s*,|\.query\(\s*([A-Z]\w{0,80})|^\s*([A-Z]\w{0,80})\(/.exec(multiline);
    if (cls) return cls[1] ?? cls[2] ?? cls[3] ?? cls[4] ?? null;
  }
  for (const line of sources) {
    const loop = new RegExp(`\\bfor ${v} in (?:await )?\\w{1,80}\\.(\\w{1,80})`).exec(line);
    if (loop?.[1]) return pascal(singular(loop[1]));
  }
  return null;
}

/**
 * `user.organization.name` -> {variable: user, attr: organization}: the first ORM attribute read.
 * In prose (no code line) only a lone `a.b` counts: `staging.internal`, `django.db.utils`,
 * `pg_hba.conf` and `dialects:postgres.asyncpg` are hosts, modules and files.
 */
function attributeAccesses(code: string, prose = false): { variable: string; attr: string }[] {
  const out: { variable: string; attr: string }[] = [];
  const line = code.replace(TYPE_TAGS, '').replace(/(["'])(?:(?!\1).){0,300}\1/g, '""');
  const pattern = prose
    ? // `Task reports.build_daily[1f9c...]` is Celery naming a task, not an attribute read.
      /(?<![\w.:/@-])([a-z_]\w{0,80})\.([a-z_]\w{0,80})\b(?![\w.:/([-])/g
    : // `(?!\.[A-Z])` skips module paths of exception types: `asyncpg.exceptions.DataError`.
      /(?<![\w.])([a-z_]\w{0,80})\.([a-z_]\w{0,80})\b(?!\s*\(|\.[A-Z])/g;
  for (const m of line.slice(0, 1000).matchAll(pattern)) {
    const variable = m[1] ?? '';
    const attr = m[2] ?? '';
    if (NOT_OBJECTS.has(variable) || NOT_ATTRIBUTES.has(attr) || attr.startsWith('__') || variable.length < 1) continue;
    out.push({ variable, attr });
  }
  return out;
}

/** The innermost frame of user code across the chain, primary record first. */
function userCodeLines(parsed: ParsedPaste, primary: ErrorRecord | undefined): string[] {
  const lines: string[] = [];
  const ordered = primary ? [primary, ...parsed.records.filter((r) => r !== primary)] : parsed.records;
  for (const r of ordered) {
    for (let i = r.frames.length - 1; i >= 0; i--) {
      const f = r.frames[i];
      if (f && !f.library && f.code) { lines.push(f.code); break; }
    }
  }
  return lines;
}

export function userFunction(parsed: ParsedPaste, primary: ErrorRecord | undefined): string | null {
  for (const r of primary ? [primary, ...parsed.records] : parsed.records) {
    for (let i = r.frames.length - 1; i >= 0; i--) {
      const f = r.frames[i];
      if (f && !f.library && f.func && f.func !== '<module>' && /^\w+$/.test(f.func)) return f.func;
    }
  }
  return null;
}

/**
 * Pulls out the names a snippet needs. Order matters: the primary error first, then the rest
 * of the chain, then the user's failing line, then the SQL.
 */
export function extractEntities(parsed: ParsedPaste, primaryIndex: number, signatureCaptures: Record<string, string> = {}): Entities {
  const c: Collected = { models: [], attributes: [], tables: [], fields: [], schemas: [] };
  const primary = parsed.records[primaryIndex];
  const ordered = primary ? [primary, ...parsed.records.filter((r) => r !== primary)] : parsed.records;
  for (const r of ordered) fromMessage(r.message, c);
  if (signatureCaptures.model) addModel(c, signatureCaptures.model);
  if (signatureCaptures.schema) add(c.schemas, signatureCaptures.schema);
  if (signatureCaptures.field) add(c.fields, signatureCaptures.field);
  if (signatureCaptures.table) add(c.tables, signatureCaptures.table);
  if (signatureCaptures.related_model) addModel(c, signatureCaptures.related_model);
  if (signatureCaptures.related_table) add(c.tables, signatureCaptures.related_table);

  let variable: string | null = null;
  const codeLines = userCodeLines(parsed, primary);
  // A short paste with no frames ("getting X when I read user.organization"): read the prose,
  // but not SQL (`users.id AS users_id` names a table, not a variable).
  const prose = codeLines.length === 0 && parsed.lines.length <= 5;
  if (prose) {
    // Indented lines and frame headers of a short paste are library code, not the user's words.
    codeLines.push(...parsed.lines.filter((l) => !/^\s|^File "|\b(?:SELECT|INSERT|UPDATE|DELETE|FROM|WHERE)\b|^\[(?:SQL|parameters):|^(?:DETAIL|HINT):/.test(l)));
  }
  // Pydantic schemas named in the user's code: `UserOut.from_orm(user)`, `class UserOut(BaseModel)`.
  for (const line of [...codeLines, ...parsed.sourceLines]) {
    for (const m of line.matchAll(/\b([A-Z]\w{0,80})\.(?:from_orm|model_validate(?:_json)?|parse_obj|model_dump|model_construct)\(|\bclass ([A-Z]\w{0,80})\((?:BaseModel|SQLModel)\b/g)) add(c.schemas, m[1] ?? m[2]);
    // Textual SQL in the user's code names tables too: `text("SELECT ... FROM schedules")`.
    if (!prose && /\b(?:FROM|JOIN|INTO|UPDATE)\s+["`]?[a-z_]/.test(line)) tablesInSql(line).forEach((t) => add(c.tables, t));
  }
  for (const code of codeLines) {
    // `select(User).where(User.email == body.email)`: the class attribute names the model.
    const classRef = /(?<![\w.])([A-Z][A-Za-z0-9]{1,80})\.([a-z_][a-z0-9_]{0,80})\b(?!\s*\()/.exec(code.replace(TYPE_TAGS, ''));
    if (classRef?.[1] && classRef[2] && c.attributes.length === 0 && !LIBRARY_CLASSES.has(classRef[1]) && !/(?:Error|Exception|Warning)$/.test(classRef[1]) && !NOT_MODEL_SUFFIX.test(classRef[1])) {
      addModel(c, classRef[1]);
      // `Invoice.query` names the model; `query` is a manager, not one of its attributes.
      if (!NOT_ATTRIBUTES.has(classRef[2])) c.attributes.push({ model: classRef[1], attr: classRef[2] });
    }
    const accesses = attributeAccesses(code, prose);
    const first = accesses[0];
    if (first && c.attributes.length === 0) {
      variable = first.variable;
      const resolved = resolveVariable(first.variable, parsed.sourceLines) ?? (GENERIC_VARIABLES.has(first.variable) ? null : pascal(first.variable));
      if (resolved) addModel(c, resolved);
      c.attributes.push({ model: resolved, attr: first.attr });
    }
    for (const m of code.matchAll(/\bselect\(\s*([A-Z]\w{0,80})|\.get\(\s*([A-Z]\w{0,80})\s*,/g)) addModel(c, m[1] ?? m[2]);
  }
  // pytest shows the test's source above the failing line: `result = await session.execute(select(User))`.
  if (c.models.length === 0) {
    for (const line of parsed.sourceLines) {
      const m = /\bselect\(\s*([A-Z]\w{0,80})|\.get\(\s*([A-Z]\w{0,80})\s*,|\.query\(\s*([A-Z]\w{0,80})/.exec(line);
      if (m) { addModel(c, m[1] ?? m[2] ?? m[3]); break; }
    }
    if (firstAttrMissingModel(c)) (c.attributes[0] as { model: string | null }).model = c.models[0] ?? null;
  }
  for (const r of ordered) if (r.sql) tablesInSql(r.sql).forEach((t) => add(c.tables, t));

  // The class a relationship points to: a table from the SQL, else the attribute's own name.
  const firstAttr = c.attributes[0];
  if (firstAttr && !firstAttr.model && c.models[0]) firstAttr.model = c.models[0];
  // The class a relationship points to: a table from the SQL, else the attribute's own name.
  // Only relationships have one: `user.id`, `team.name` and `cache.warm` do not.
  let related: string | null = null;
  if (firstAttr && (isRelationshipLike(firstAttr.attr, parsed, primary) || (c.tables.length > 0 && isPlural(firstAttr.attr)))) {
    const guess = pascal(singular(firstAttr.attr));
    const fromTables = c.tables.map(classNameForTable).find((m) => m !== firstAttr.model);
    related = c.models.find((m) => m === guess && m !== firstAttr.model) ?? fromTables ?? guess;
    if (related === firstAttr.model) related = null;
  } else if (!firstAttr && c.tables.length && c.models.length === 0) {
    c.tables.forEach((t) => add(c.models, classNameForTable(t)));
  }
  if (related) addModel(c, related);

  const captures: Record<string, string> = { ...signatureCaptures };
  const model = firstAttr?.model ?? c.models[0];
  if (model && !captures.model) captures.model = model;
  if (firstAttr && !captures.attribute) captures.attribute = firstAttr.attr;
  if (related && !captures.related_model && related !== model) captures.related_model = related;
  if (variable && !captures.variable) captures.variable = variable;
  else if (model && !captures.variable) captures.variable = model.replace(/^[A-Z]/, (ch) => ch.toLowerCase()).replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);
  if (c.tables[0] && !captures.table) captures.table = c.tables[0];
  if (c.schemas[0] && !captures.schema) captures.schema = c.schemas[0];
  if (c.fields[0] && !captures.field) captures.field = c.fields[0];
  const fn = userFunction(parsed, primary);
  if (fn && !captures.function) captures.function = fn;
  if (captures.related_model && captures.attribute) {
    captures.relationship_annotation = isPlural(captures.attribute) ? `list["${captures.related_model}"]` : `"${captures.related_model}"`;
  }

  return {
    models: [...c.models, ...c.schemas.filter((s) => !c.models.includes(s))],
    attributes: c.attributes.map((a) => (a.model ? `${a.model}.${a.attr}` : a.attr)),
    tables: c.tables,
    fields: c.fields,
    captures,
  };
}

function firstAttrMissingModel(c: Collected): boolean {
  return c.attributes.length > 0 && !c.attributes[0]?.model && c.models.length > 0;
}

/** Only a relationship has a target class; reading a column (`user.email`) has none. */
function isRelationshipLike(attr: string, parsed: ParsedPaste, primary: ErrorRecord | undefined): boolean {
  if (!primary) return false;
  if (/^(?:id|name|email|title|status|created_at|updated_at|value|data|type)$/.test(attr)) return false;
  const lazyFrames = parsed.records.some((r) => r.frames.some((f) => /orm\/strategies\.py/.test(f.file)));
  return lazyFrames || /lazy|relationship/i.test(primary.message) || isPlural(attr);
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
