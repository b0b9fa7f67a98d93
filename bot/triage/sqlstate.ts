import table from '../../knowledge/sqlstates/sqlstates.json' with { type: 'json' };

/*
 * PostgreSQL SQLSTATEs carried by a paste. The code and class tables are data, generated from the
 * drivers Debian installs (knowledge/sqlstates/generate.py); this module only reads text.
 */

type Driver = keyof typeof table.classes;

const KNOWN = new Set(Object.keys(table.codes));
const BROAD = new Set(Object.keys(table.broad));

// Class names any stack uses for something else: Python's builtins and the DB-API names every
// driver (and SQLAlchemy) raises without a SQLSTATE. Only trusted behind a driver's module path.
const AMBIGUOUS = new Set(['SyntaxError', 'SystemError', 'Warning', 'Error', 'InterfaceError', 'DatabaseError', 'DataError', 'OperationalError', 'IntegrityError', 'InternalError', 'ProgrammingError', 'NotSupportedError']);

/** A class name printed without its module (`UndefinedTableError: ...`): one code across drivers, else none. */
const UNQUALIFIED = new Map<string, string>();
{
  const seen = new Map<string, Set<string>>();
  for (const classes of Object.values(table.classes) as Record<string, string>[]) {
    for (const [name, code] of Object.entries(classes)) {
      const codes = seen.get(name) ?? new Set<string>();
      codes.add(code);
      seen.set(name, codes);
    }
  }
  for (const [name, codes] of seen) if (codes.size === 1 && !AMBIGUOUS.has(name)) UNQUALIFIED.set(name, [...codes][0] as string);
}

// `asyncpg.exceptions.UndefinedTableError`, `<class 'asyncpg.exceptions.UndefinedTableError'>`,
// `(psycopg2.errors.UndefinedTable)`, `psycopg.errors.UndefinedTable`.
const DRIVER_CLASS = /\b(asyncpg(?:\.exceptions)?|psycopg2?(?:\.errors)?)\.([A-Z][A-Za-z]{2,80})\b/g;
// Ruby's pg gem names its classes after the same conditions (`PG::UndefinedTable`, `PG::GroupingError`);
// read like a class printed without its module: only a name one code has across the Python drivers
// counts (the gem's own `PG::TRDeadlockDetected` matches none and gives no code).
const PG_GEM_CLASS = /\bPG::([A-Z][A-Za-z]{2,80})\b/g;
// `SQLSTATE 42P01` (pgx), `(SQLSTATE=42P01)`, `SQLSTATE[23505]` (PDO), `pgcode='42P01'`,
// `sqlstate: 42P01`, `'sqlstate': '42P01'`, `SQL state: 42P01` (JDBC, pgAdmin).
const EXPLICIT = /\b(?:SQLSTATE|[Ss]qlstate|SQLState|sqlState|sql_state|pgcode|SQL [Ss]tate|state_code)['"]?\s{0,3}(?:[:=]\s{0,3})?[[('"]?([0-9A-Z]{5})(?![0-9A-Za-z])/g;
// The server's verbose form: `ERROR:  42P01: relation "x" does not exist` (psql's VERBOSITY
// verbose, log_error_verbosity = verbose).
const VERBOSE = /(?:^|\s)(?:ERROR|FATAL|PANIC):\s{1,3}([0-9A-Z]{5}):\s/g;
// The same line once the log prefix and level are taken off (normalise.ts): `42P01: relation ...`.
const VERBOSE_HEAD = /^\s{0,3}([0-9A-Z]{5}):\s/;
// node-postgres prints the error object: `severity: 'ERROR', code: '42703',`, and JSON loggers
// `"code": "23P01"` (quoted, so a port or a count is never read as one).
const NODE_PG = /\bcode['"]?:\s{0,2}['"]([0-9A-Z]{5})['"]/g;

function classCode(driver: string, name: string): string | null {
  const key: Driver = driver.startsWith('asyncpg') ? 'asyncpg' : driver.startsWith('psycopg2') ? 'psycopg2' : 'psycopg';
  const code = (table.classes[key] as Record<string, string>)[name];
  return code ?? null;
}

/**
 * The SQLSTATEs an error record carries, from its exception type and its message: explicit
 * codes and the drivers' per-SQLSTATE exception classes. Only codes PostgreSQL defines count
 * (MySQL's `SQLSTATE[42S02]` is not one).
 */
export function sqlstatesOf(type: string, message: string): string[] {
  const out = new Set<string>();
  const add = (code: string | null | undefined): void => {
    // Class 00 is success, 01 and 02 are warnings and "no data": not errors to diagnose.
    if (code && KNOWN.has(code) && !/^0[0-2]/.test(code)) out.add(code);
  };
  if (type) {
    const dot = type.lastIndexOf('.');
    if (dot > 0) add(classCode(type.slice(0, dot), type.slice(dot + 1)));
    else if (type.startsWith('PG::')) add(UNQUALIFIED.get(type.slice(4)));
    else add(UNQUALIFIED.get(type));
  }
  const text = message.length > 8000 ? message.slice(0, 8000) : message;
  for (const m of text.matchAll(DRIVER_CLASS)) add(classCode(m[1] as string, m[2] as string));
  if (text.includes('PG::')) for (const m of text.matchAll(PG_GEM_CLASS)) add(UNQUALIFIED.get(m[1] as string));
  for (const m of text.matchAll(EXPLICIT)) add(m[1]);
  for (const m of text.matchAll(VERBOSE)) add(m[1]);
  if (!type) add(VERBOSE_HEAD.exec(text)?.[1]);
  for (const m of text.matchAll(NODE_PG)) add(m[1]);
  return [...out];
}

/** True for a driver's per-SQLSTATE exception class (`psycopg2.errors.UndefinedTable`, `UndefinedTableError`). */
export function isSqlstateClass(type: string): boolean {
  return sqlstatesOf(type, '').length > 0;
}

/** A SQLSTATE PostgreSQL raises for unrelated conditions: it corroborates a signature, never matches alone. */
export function isBroadSqlstate(code: string): boolean {
  return BROAD.has(code);
}
