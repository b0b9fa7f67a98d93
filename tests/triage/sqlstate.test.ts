import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../bot/kb/load.js';
import { createEngine } from '../../bot/triage/diagnose.js';
import { normaliseInput } from '../../bot/triage/normalise.js';
import { parsePaste } from '../../bot/triage/parse.js';
import { isBroadSqlstate, sqlstatesOf } from '../../bot/triage/sqlstate.js';

import { isCi } from '../store/postgres-cluster.js';

const ROOT = join(import.meta.dirname, '..', '..');
const statesIn = (text: string): string[] => [...new Set(parsePaste(normaliseInput(text)).records.flatMap((r) => r.sqlstates))];

// Real pastes, trimmed, each from the thread named beside it.
describe('SQLSTATEs read from pastes', () => {
  it.each([
    [
      'asyncpg class in a traceback (https://github.com/Rapptz/RoboDanny/issues/114)',
      '  File "asyncpg/protocol/protocol.pyx", line 168, in prepare\nasyncpg.exceptions.UndefinedTableError: relation "tags" does not exist',
      ['42P01'],
    ],
    [
      "SQLAlchemy's asyncpg wrapper quoting the class (https://github.com/Kostiantyn-Salnykov/fastapi_quickstart/issues/1)",
      `sqlalchemy.exc.ProgrammingError: (sqlalchemy.dialects.postgresql.asyncpg.ProgrammingError) <class 'asyncpg.exceptions.UndefinedTableError'>: relation "user" does not exist\n[SQL: INSERT INTO "user" (id, first_name) VALUES (%s, %s)]`,
      ['42P01'],
    ],
    [
      'psycopg2 class as SQLAlchemy prints it (https://github.com/psycopg/psycopg2/issues/1611)',
      ' [23:55:26] - ERROR - (psycopg2.errors.UndefinedColumn) column flow.user_id does not exist',
      ['42703'],
    ],
    [
      'psycopg2 class from a logged repr (https://github.com/psycopg/psycopg2/issues/1620)',
      "2023-09-11 22:45:35,033 ERROR <class 'psycopg2.errors.UndefinedColumn'>: column u.id does not exist",
      ['42703'],
    ],
    [
      'pgx appends the code (https://github.com/jackc/pgx/issues/1063)',
      'ERROR: column "owner" of relation "users" does not exist (SQLSTATE 42703)',
      ['42703'],
    ],
    [
      'PHP PDO on PostgreSQL (https://github.com/lightbase/cacic/issues/8)',
      'SQLSTATE[42P01]: Undefined table: 7 ERROR: relation "relatorio_coleta" does not exist',
      ['42P01'],
    ],
    [
      'server log with log_error_verbosity = verbose (https://github.com/pipelinedb/pipelinedb/issues/1175)',
      'ERROR:  42P01: relation "stream" does not exist at character 13\nLOCATION:  parserOpenTable, parse_relation.c:990',
      ['42P01'],
    ],
    [
      "node-postgres' error object (https://github.com/mckaywrigley/paul-graham-gpt/issues/5)",
      "error {\n  code: '42P01',\n  details: null,\n  hint: null,\n  message: 'relation \"public.pg\" does not exist'\n}",
      ['42P01'],
    ],
  ])('%s', (_name, text, states) => {
    expect(statesIn(text)).toEqual(states);
  });

  it.each([
    ["MySQL's SQLSTATE is not PostgreSQL's (https://github.com/pixeline/bugs/issues/1)", "SQLSTATE[42S02]: Base table or view not found: 1146 Table 'databasenamedb.tags' doesn't exist"],
    ['a DB-API class carries no SQLSTATE', 'sqlalchemy.exc.IntegrityError: (sqlite3.IntegrityError) UNIQUE constraint failed: users.email'],
    ["Python's own SyntaxError is not psycopg's 42601", '  File "/app/x.py", line 3\n    def f(:\n          ^\nSyntaxError: invalid syntax'],
  ])('none in %s', (_name, text) => {
    expect(statesIn(text)).toEqual([]);
  });

  it('reads each driver by its own table: asyncpg StringDataRightTruncation is the 01004 warning, psycopg the 22001 error', () => {
    expect(sqlstatesOf('asyncpg.exceptions.StringDataRightTruncationError', 'value too long for type character varying(5)')).toEqual(['22001']);
    expect(sqlstatesOf('psycopg.errors.StringDataRightTruncation', 'value too long for type character varying(5)')).toEqual(['22001']);
    expect(sqlstatesOf('asyncpg.exceptions.StringDataRightTruncation', '')).toEqual([]);
  });

  it('knows the one broad code', () => {
    expect(isBroadSqlstate('28000')).toBe(true);
    expect(isBroadSqlstate('42P01')).toBe(false);
  });
});

// The table is data generated from Debian's drivers; regenerating it in this world must give
// what the file says for this world (the file is the union with the trixie chroot's).
const DEBIAN_PYTHON = '/usr/bin/python3';
const hasDrivers = existsSync(DEBIAN_PYTHON) && existsSync('/usr/lib/python3/dist-packages/asyncpg') && existsSync('/usr/lib/python3/dist-packages/psycopg') && existsSync('/usr/lib/python3/dist-packages/psycopg2');
describe.skipIf(!hasDrivers)('knowledge/sqlstates/sqlstates.json', () => {
  it("matches a fresh run of the generator on this machine's drivers", () => {
    const fresh = JSON.parse(execFileSync(DEBIAN_PYTHON, [join(ROOT, 'knowledge/sqlstates/generate.py'), '--world', 'bookworm', '--stdout'], { encoding: 'utf8' })) as {
      sources: Record<string, Record<string, string>>;
      codes: Record<string, string>;
      classes: Record<string, Record<string, string>>;
    };
    const file = JSON.parse(readFileSync(join(ROOT, 'knowledge/sqlstates/sqlstates.json'), 'utf8')) as typeof fresh;
    expect(file.sources.bookworm).toEqual(fresh.sources.bookworm);
    for (const [code, name] of Object.entries(fresh.codes)) expect(file.codes[code], code).toBe(name);
    for (const [driver, classes] of Object.entries(fresh.classes)) {
      for (const [cls, code] of Object.entries(classes)) expect(file.classes[driver]?.[cls], `${driver} ${cls}`).toBe(code);
    }
  });
});

// The server's translated severities (`ERREUR:  `, `FEHLER:  `) are data from Debian's PostgreSQL
// translations; CI installs the server, so there the comparison must run.
const hasTranslations = existsSync(DEBIAN_PYTHON) && existsSync('/usr/share/locale/fr/LC_MESSAGES') && readdirSync('/usr/share/locale/fr/LC_MESSAGES').some((f) => /^postgres-\d+\.mo$/.test(f));
describe.skipIf(!hasTranslations && !isCi())('knowledge/sqlstates/severities.json', () => {
  it("holds every severity word of this machine's PostgreSQL translations (a fresh run of its generator)", () => {
    type Severities = { source: { languages: string[] }; severities: Record<string, string[]> };
    const here = JSON.parse(execFileSync(DEBIAN_PYTHON, [join(ROOT, 'knowledge/sqlstates/severities.py'), '--here'], { encoding: 'utf8' })) as Severities;
    const committed = JSON.parse(readFileSync(join(ROOT, 'knowledge/sqlstates/severities.json'), 'utf8')) as Severities;
    expect(committed.source.languages).toEqual(expect.arrayContaining(here.source.languages));
    for (const [severity, words] of Object.entries(here.severities)) expect(committed.severities[severity], severity).toEqual(expect.arrayContaining(words));
  });

  it('makes a server line in another language error output, and leaves a sentence alone', () => {
    const engine = createEngine(loadKnowledge().faults);
    for (const line of ['ERREUR:  la relation « comptes » n\'existe pas', 'FEHLER:  Relation »konten« existiert nicht', 'ОШИБКА:  отношение "accounts" не существует']) {
      expect(engine.diagnose(line).errorOutput, line).toBe(true);
    }
    expect(engine.diagnose('any idea why the French server says ERREUR when the table is missing?').errorOutput).toBe(false);
  });
});
