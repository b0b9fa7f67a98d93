import type { Frame } from '../types.js';

/** Word lists and naming conventions the extractors share. */

// Names that are variables or modules, never ORM objects: `session.execute`, `self.x`, `os.path`.
export const NOT_OBJECTS = new Set([
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
export const GENERIC_VARIABLES = new Set([
  'result', 'res', 'obj', 'row', 'item', 'instance', 'entity', 'record', 'r', 'x', 'o', 'data', 'value', 'ret', 'found',
  'existing', 'db_obj', 'model', 'target', 'rv', 'out', 'payload', 'body', 'sub', 'params', 'req', 'msg', 'message', 'job',
  'cfg', 'conf', 'doc', 'rec', 'entry', 'val', 'v', 'k', 'y', 'i', 'e', 'err', 'ex', 'dto', 'form', 'd', 'tmp', 'current',
  'new', 'old', 'updated', 'created', 'db_item', 'db_user', 'in_data', 'schema', 'resp_data', 'response_data',
]);
// Classes that organise code rather than map tables: `UserRepository.get`, `BillingService.charge`.
export const NOT_MODEL_SUFFIX = /(?:Repository|Repo|Service|Manager|Client|Factory|Handler|Controller|Router|Config|Settings|Mixin|Test|Tests|Case|Schema|Out|In|Create|Update|Read|Response|Request)$/;
// Library classes that appear where a model would (`coroutine 'AsyncSession.get' was never awaited`).
export const LIBRARY_CLASSES = new Set([
  'Session', 'AsyncSession', 'Connection', 'AsyncConnection', 'Engine', 'AsyncEngine', 'Result', 'AsyncResult', 'ScalarResult',
  'Query', 'Row', 'Mapper', 'Select', 'Insert', 'Update', 'Delete', 'Table', 'Column', 'MetaData', 'Base', 'DeclarativeBase',
  'BaseModel', 'ValidationError', 'FastAPI', 'APIRouter', 'Request', 'Response', 'HTTPException', 'Depends', 'Mapped', 'List',
  'Optional', 'Dict', 'Any', 'None', 'NoneType', 'Task', 'Future', 'InstanceState', 'AsyncAdapt_asyncpg_connection',
  'Field', 'ModelField', 'FieldInfo', 'TypeAdapter', 'Celery', 'Path', 'Body', 'IdentitySet', 'BaseQuery',
  // Extension and application objects: `type object 'SQLAlchemy' has no attribute 'Model'` names Flask-SQLAlchemy's `db`.
  'SQLAlchemy', 'Flask', 'Blueprint', 'Redis', 'StrictRedis', 'Alembic', 'Migrate', 'Starlette', 'Django',
  // SQLAlchemy's collection and attribute plumbing: `'InstrumentedList' object has no attribute 'paginate'`.
  'InstrumentedList', 'InstrumentedSet', 'InstrumentedDict', 'InstrumentedAttribute', 'AppenderQuery', 'Relationship',
  'RelationshipProperty', 'ColumnProperty', 'AssociationProxy', 'LoaderCallableStatus',
  // Django's stand-ins for the request's user: `<SimpleLazyObject: <django.contrib.auth.models.AnonymousUser object at 0x..>>`
  // is the value a view passed, not the model the error is about.
  'AnonymousUser', 'SimpleLazyObject',
]);
// Builtins and plumbing Python's own messages name (`'NoneType' object has no attribute`): never a model.
export const PLUMBING_TYPES = new Set([
  'NoneType', 'None', 'str', 'int', 'float', 'bool', 'bytes', 'dict', 'list', 'tuple', 'set', 'frozenset', 'object', 'type',
  'module', 'function', 'method', 'coroutine', 'generator', 'async_generator', 'builtin_function_or_method', 'property',
  'Session', 'AsyncSession', 'Query', 'BaseQuery', 'Result', 'ScalarResult', 'CursorResult', 'ChunkedIteratorResult', 'AsyncResult',
  'Row', 'Engine', 'AsyncEngine', 'InstanceState', 'Select', 'LoaderCallableStatus', 'datetime', 'date', 'time', 'timedelta',
  'Decimal', 'UUID', 'Future', 'Task', 'Mapper', 'Table', 'Column',
  'SQLAlchemy', 'Flask', 'Blueprint', 'Redis', 'StrictRedis', 'Celery', 'FastAPI', 'APIRouter',
  'InstrumentedList', 'InstrumentedSet', 'InstrumentedDict', 'InstrumentedAttribute', 'AppenderQuery', 'Relationship',
  'RelationshipProperty', 'ColumnProperty', 'AssociationProxy',
]);
export const NOT_ATTRIBUTES = new Set([
  'py', 'pyc', 'com', 'org', 'net', 'io', 'me', 'dev', 'txt', 'json', 'yaml', 'yml', 'toml', 'ini', 'cfg', 'conf', 'md', 'html', 'log', 'sql',
  'sh', 'env', 'lock', 'local', 'internal', 'svc', 'cluster', 'scalar_one', 'scalars', 'execute', 'commit', 'all', 'first', 'one',
  // Flask-SQLAlchemy's `User.query` and Django's `User.objects` are managers, not relationships.
  'query', 'objects', 'metadata', 'c', 'columns', 'table', '__table__',
]);
// Frameworks whose frames are plumbing even when installed outside site-packages (a Lambda bundle
// puts SQLAlchemy in /var/task/sqlalchemy/, an old build in .../build/sqlalchemy/).
// The standard library's packages count only under a lib folder (`C:\Python34\lib\asyncio\`): a
// project may have its own `asyncio/` folder (`.../backend-tools/python/asyncio/app.py`).
const FRAMEWORK_DIR = /[\\/][Ll]ib[\\/](?:asyncio|concurrent|multiprocessing)[\\/]|[\\/](?:sqlalchemy|pydantic|pydantic_core|starlette|fastapi|uvicorn|gunicorn|flask|werkzeug|celery|kombu|django|asyncpg|psycopg2?|anyio|greenlet|_pytest|pluggy|alembic|aiohttp|httpx|sqlmodel|flask_sqlalchemy|flask_restful|flask_restx|connexion|waitress|pyramid|tornado)[\\/]/;

// A home folder is named after its account, not a package: cvat's image runs as user `django`
// (`/home/django/cvat/apps/quality_control/signals.py` is cvat's code).
const HOME_DIR = /^(?:\/home|\/Users|[A-Za-z]:[\\/]Users)[\\/][^\\/]{1,100}(?=[\\/])/;

// A framework's own test suite in its checkout (`spanner-orm/django_tests/django/tests/custom_pk/tests.py` run by a
// backend's developer) is the code they run, not the framework's plumbing.
const FRAMEWORK_TESTS = /[\\/](?:sqlalchemy|pydantic|starlette|fastapi|flask|celery|kombu|django|asyncpg|psycopg2?|alembic|aiohttp|httpx|sqlmodel|flask_sqlalchemy|tornado)[\\/]tests?[\\/][^\\/]{1,100}[\\/]/;

// A folder and the `..` after it cancel out, and `.` is the folder itself: a test run from a framework's checkout imports the framework through
// `C:\dev\src\sqlalchemy\test\..\lib\sqlalchemy\orm\mapper.py` (sqlalchemy#382), which is `lib\sqlalchemy\`, not a test folder.
const PARENT_STEP = /[\\/](?!\.\.[\\/])[^\\/]{1,100}[\\/]\.\.(?=[\\/])/;

function withoutParentSteps(file: string): string {
  // `SQLAlchemy-0.7.10/./test/sql/test_query.py` (a build running the suite from `.`) is `SQLAlchemy-0.7.10/test/...`.
  let out = file.includes('/./') || file.includes('\\.\\') ? file.replace(/[\\/]\.(?=[\\/])/g, '') : file;
  for (let i = 0; i < 8 && out.includes('..'); i++) {
    const next = out.replace(PARENT_STEP, '');
    if (next === out) break;
    out = next;
  }
  return out;
}

// A project's migration scripts live in a folder named after alembic by its own `alembic init alembic`
// (`/app/alembic/versions/47433d30de82_create_indexattempt_table.py`, `alembic/env.py`): the user's code, which the
// package itself (`alembic/runtime/`, `alembic/ddl/`...) never ships.
const MIGRATION_SCRIPT = /[\\/]alembic[\\/](?:versions[\\/][^\\/]{1,200}|env)\.py$/;

export function isFrameworkPath(file: string): boolean {
  const path = withoutParentSteps(file).replace(HOME_DIR, '').replace(/^(?=[a-z_]+[\\/])/, '/');
  return FRAMEWORK_DIR.test(path) && !(FRAMEWORK_TESTS.test(path) && !/(?:site|dist)-packages[\\/]/.test(path)) && !(path.includes('alembic') && MIGRATION_SCRIPT.test(path) && !/(?:site|dist)-packages[\\/]alembic[\\/]/.test(path));
}

// A console-script wrapper: `.build/venv/bin/themev1tov2`, `/nix/store/...-pytrainer-2.0.0/bin/..pytrainer-wrapped`.
const ENTRY_POINT = /[\\/]bin[\\/](?![^\\/]{0,100}\.py$)[^\\/]{1,100}$/;

/** The folders of a path, `/home/a/tuskar/db/api.py` -> [home, a, tuskar, db]. */
function folders(file: string): string[] {
  return file.split(/[\\/]/).slice(0, -1).filter(Boolean);
}

/**
 * A project folder named like a framework (`/Users/Matt/Projects/flask/app/__init__.py`, Flask-Blogging#81) is the user's when
 * another frame shows an installed environment inside it (`/Users/Matt/Projects/flask/venv/lib/python2.7/site-packages/...`):
 * a framework's own package folder never holds one.
 */
function holdsEnvironment(file: string, siblings: readonly Frame[]): boolean {
  const path = withoutParentSteps(file);
  const m = FRAMEWORK_DIR.exec(path);
  if (!m || /(?:site|dist)-packages[\\/]/.test(path)) return false;
  const folder = path.slice(0, m.index + m[0].length);
  return siblings.some((s) => {
    const other = withoutParentSteps(s.file);
    return other.length > folder.length && other.startsWith(folder) && /(?:site|dist)-packages[\\/]/.test(other.slice(folder.length));
  });
}

/**
 * A frame that is plumbing, not the user's code: a framework's own folder, or a console-script
 * wrapper. A folder named like a framework inside the user's project (`tuskar/db/sqlalchemy/api.py`
 * beside `tuskar/api/controllers/v1.py`) is the user's: another user frame shares at least four
 * of its folders, below which the framework-named folder sits deeper than one level.
 */
export function isPlumbingFrame(frame: Frame, siblings: readonly Frame[]): boolean {
  if (ENTRY_POINT.test(frame.file)) return true;
  if (!isFrameworkPath(frame.file)) return false;
  if (holdsEnvironment(frame.file, siblings)) return false;
  const own = folders(withoutParentSteps(frame.file));
  return !siblings.some((s) => {
    // A test of the framework's own suite (its checkout's `sqlalchemy/test/...`) sits beside the framework, not in a
    // project that merely has a folder of the framework's name.
    if (s === frame || s.library || isFrameworkPath(s.file) || ENTRY_POINT.test(s.file) || FRAMEWORK_TESTS.test(withoutParentSteps(s.file))) return false;
    const other = folders(withoutParentSteps(s.file));
    let common = 0;
    while (common < own.length && common < other.length && own[common] === other[common]) common++;
    return common >= 4 && own.length - common >= 2;
  });
}

export function pascal(snake: string): string {
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

/** `organizations` / `order_items` -> `Organization` / `OrderItem`: the usual declarative naming. */
export function classNameForTable(table: string): string {
  const bare = table.replace(/^["`[]|["`\]]$/g, '').split('.').pop() ?? table;
  const parts = bare.split('_');
  parts[parts.length - 1] = singular(parts[parts.length - 1] ?? '');
  return pascal(parts.join('_'));
}

/** `Order` -> `order`, `OrderItem` -> `order_item`: the variable a snippet may call it. */
export function snakeName(cls: string): string {
  return cls.replace(/^[A-Z]/, (ch) => ch.toLowerCase()).replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);
}

// `FROM users`, `JOIN "public"."orders"`, `INSERT INTO [GRUPPI]`, `ALTER TABLE event_copyrights`; a generated name
// may start with digits (`INSERT INTO `718ead..._resources``) but a bare number is never a table.
const SQL_TABLE = /\b(?:FROM|JOIN|INTO|UPDATE|ALTER TABLE)\s+(?:(?:"\w{1,63}"|\w{1,63})\.)?["`[]?(\d{0,40}[A-Za-z_]\w{0,62})["`\]]?/gi;

// A word PostgreSQL, MySQL and SQLite all reserve is a table only when quoted (`INSERT INTO "table"`): unquoted it is the
// poster's stand-in for one (a title's `` `INSERT INTO table` errors ``, `SELECT * FROM table WHERE ...`). Unreserved words
// are real tables (DataJunction's `INSERT INTO database`).
function isPlaceholderTable(name: string, matched: string): boolean {
  return /^(?:table|from|into|join)$/i.test(name) && !/["`\]]$/.test(matched);
}

export function tablesInSql(sql: string): string[] {
  const out: string[] = [];
  for (const m of sql.slice(0, 3000).matchAll(SQL_TABLE)) {
    const t = m[1];
    if (t && !/^(?:select|where|values|set|lateral|unnest|only|column)$/i.test(t) && !isPlaceholderTable(t, m[0]) && !out.includes(t)) out.push(t);
  }
  return out;
}

/** Drops a module path: `app.models.user.User` -> `User`, `__main__.TeamOut` -> `TeamOut`. */
export function bareClass(dotted: string): string {
  return dotted.slice(dotted.lastIndexOf('.') + 1);
}

// What a poster types in place of a name they hide (`relation "XXX" does not exist`, `table '***'`): not a name,
// so no class is derived from it and the snippet keeps its placeholder. A bare lower-case `hidden` is a real column
// (django-celery-results' `taskresult.hidden`: `no such column: hidden`); a mask is bracketed or capitalised.
const HIDDEN_NAME = /^(?:[Xx]{2,12}|[Yy]{3,12}|[Zz]{3,12}|\*{2,12}|\.{3}|…|\[?(?:REDACTED|[Rr]edacted|HIDDEN|Hidden)\]?|\[hidden\])$/;

export function isHiddenName(value: string): boolean {
  return HIDDEN_NAME.test(value);
}

// A poster's template in place of a real pair (olivierpons.fr titles its post `IntegrityError: table__new.colonne may not be
// NULL` and quotes the real `main_groupe__new.exemple` below): the words for "table" and "column" in the languages posts are
// written in. Django's SQLite remake marker (`new__x`, `x__new`) and a schema prefix do not make them names. Only these
// bare words count: `my_table`, `nombre_tabla` or a quoted `"table"` may be real.
const STAND_IN_TABLE = /^(?:table|tabla|tabela|tabelle|tableau|tabella|table_name|tablename)$/i;
const STAND_IN_COLUMN = /^(?:column|colonne|columna|coluna|colonna|spalte|column_name|columnname)$/i;

/** A table or column name that is the poster's generic word for one (`table.column`, `table__new.colonne`). */
export function isStandInName(role: string, value: string): boolean {
  if (role === 'table' || role === 'related_table' || role === 'variable') return STAND_IN_TABLE.test(value.replace(/^new__|__new$/g, '').split('.').pop() ?? value);
  if (role === 'column') return STAND_IN_COLUMN.test(value);
  return false;
}

// Log prefixes the normaliser leaves on a traceback's lines: Apache's and mod_wsgi's
// `[Sat Jan 14 00:03:34 2012] [error] [client 192.168.1.14] ` in front of every frame line, an OBS build log's
// `[  124s] ` in front of every line of a pytest run.
const BRACKET_PREFIX = /^\[[^[\]\n]{1,80}\] ?/;

export function stripBrackets(line: string): string {
  let out = line;
  for (let i = 0; i < 5 && out.startsWith('['); i++) out = out.replace(BRACKET_PREFIX, '');
  return out;
}
