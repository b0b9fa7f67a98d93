import { describe, expect, it } from 'vitest';
import { POSTGRES_MESSAGES } from '../../bot/triage/names/postgres-messages.js';
import type { Diagnosis } from '../../bot/triage/types.js';
import { shippedEngine } from '../helpers.js';

// The classes of miss of tests/corpus/names/held-out-17.yaml's first run, each tested on a real paste from ANOTHER
// public thread (never a held-out line), cut from the search tool's excerpt of that thread, so a fix that fitted one
// paste would fail here.

const engine = shippedEngine();

function role(text: string, r: string): { value: string; source: string; guess: boolean } | undefined {
  return engine.diagnose(text).entities.names.find((n) => n.role === r);
}

function names(text: string): Diagnosis['entities']['names'] {
  return engine.diagnose(text).entities.names;
}

describe("PostgreSQL's messages in the server's language, read with its own translations", () => {
  it('German UndefinedColumn names the column and its relation: Spalte »x« von Relation »y« existiert nicht', () => {
    // https://github.com/OpenEnergyPlatform/open-MaStR/issues/367 (the last frame, the error and its LINE 1, as posted).
    const paste = [
      '  File "C:\\Users\\kotthoff\\Anaconda3\\envs\\dbt\\lib\\site-packages\\psycopg2\\extras.py", line 1299, in execute_values',
      "    cur.execute(b''.join(parts))",
      'psycopg2.errors.UndefinedColumn: FEHLER:  Spalte »Nachtkennzeichnung« von Relation »wind_extended« existiert nicht',
      'LINE 1: ..., "Adresszusatz", "GeplantesInbetriebnahmedatum", "Nachtkenn...',
    ].join('\n');
    // The translated line is read back in English (bot/triage/translated-server.ts): the matched fault's signature names it.
    expect(role(paste, 'column')).toMatchObject({ value: 'Nachtkennzeichnung', source: 'signature', guess: false });
    expect(role(paste, 'table')).toMatchObject({ value: 'wind_extended', guess: false });
  });

  it('Russian unique violation under another driver (PHP PDO): the constraint and the column of its DETAIL key', () => {
    // https://github.com/paulzi/yii2-nested-sets/issues/10 (the error as posted, inside its inline-code backtick; the INSERT's values cut).
    const paste = [
      '`SQLSTATE[23505]: Unique violation: 7 ОШИБКА: повторяющееся значение ключа нарушает ограничение уникальности "category_pkey" DETAIL: Ключ "(id)=(1)" уже существует. The SQL being executed was: INSERT INTO "module_category" ("name", "slug", "sort_order", "status", "created_at", "updated_at", "lft", "rgt", "depth") VALUES (\'Пылесосы\', \'pylesosy\', 1, FALSE, 1531748095, 1531748095, 2, 3, 1) RETURNING "id"',
      '`',
    ].join('\n');
    expect(role(paste, 'constraint')).toMatchObject({ value: 'category_pkey', source: 'signature', guess: false });
    expect(role(paste, 'column')).toMatchObject({ value: 'id', source: 'message', guess: false });
  });

  it('every wording read is a translation of the message it is filed under (same number of arguments)', () => {
    for (const m of POSTGRES_MESSAGES) {
      for (const [lang, w] of Object.entries(m.wordings)) {
        expect(w.match(/%(?:\d\$)?s/g)?.length, `${m.msgid} [${lang}]`).toBe(m.roles.length);
      }
    }
  });
});

describe('the FROM-clause wordings name the table a query referenced', () => {
  it('missing FROM-clause entry for table "account" (psycopg2 under SQLAlchemy, a repr\'d [SQL: ...] after it)', () => {
    // https://github.com/Netflix/security_monkey/pull/1124 (the last frames, the error, its LINE 3 and the start of the trailer).
    const paste = [
      'File "build/bdist.linux-x86_64/egg/sqlalchemy/engine/default.py", line 507, in do_execute',
      'cursor.execute(statement, parameters)',
      'ProgrammingError: (psycopg2.ProgrammingError) missing FROM-clause entry for table "account"',
      'LINE 3: ...evision.id JOIN account_type ON account_type.id = account.ac...',
      '^',
      "[SQL: 'SELECT anon_1.item_id AS anon_1_item_id, anon_1.item_region AS anon_1_item_region, anon_1.item_name AS anon_1_item_name, anon_1.item_arn AS anon_1_item_arn",
    ].join('\n');
    expect(role(paste, 'table')).toMatchObject({ value: 'account', source: 'message', guess: false });
  });

  it("an alias the query used (Django's U0) is not a table", () => {
    // https://github.com/nautobot/nautobot/issues/6806 (the chained exception's summary as posted).
    const paste = [
      '  File "/usr/local/lib/python3.11/site-packages/django_prometheus/db/common.py", line 69, in execute',
      '    return super().execute(*args, **kwargs)',
      '           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
      '',
      'The above exception (missing FROM-clause entry for table "u0"',
      'LINE 37: ...on_mymodel"."name" = \'MyModel\' AND (__tree.tree_pk = U0.id))',
      '                                                                 ^',
      ') was the direct cause of the following exception:',
    ].join('\n');
    expect(names(paste).filter((n) => n.value === 'u0')).toEqual([]);
  });
});

describe("Django's wordings about a field a query asked for", () => {
  it("select_related on a reverse relation: Invalid field name(s) given in select_related: 'variables'", () => {
    // https://github.com/django-mptt/django-mptt/issues/748 (the view's line and the error, as posted).
    const paste = [
      "queryset = DocumentNode.objects.select_related('variables').filter(id=pk)",
      '',
      "django.core.exceptions.FieldError: Invalid field name(s) given in select_related: 'variables'",
    ].join('\n');
    expect(role(paste, 'attribute')).toMatchObject({ value: 'variables', source: 'message', guess: false });
  });

  it('several invalid names: the first one named is the attribute', () => {
    // https://github.com/Bcfg2/bcfg2/issues/356 (the debug page's first lines, as posted).
    const paste = [
      'FieldError at /elements/bad',
      '',
      "Invalid field name(s) given in select_related: 'target_perms', 'linkentry', 'current_perms'. Choices are: (none)",
      '',
      'Request Method: \tGET',
    ].join('\n');
    expect(role(paste, 'attribute')).toMatchObject({ value: 'target_perms', source: 'message' });
  });

  it("FieldDoesNotExist names the model and its missing field: DBItem has no field named 'fn'", () => {
    // https://github.com/kyokenn/djradicale/pull/7 (the docker compose lines of the first traceback's end, as posted).
    const paste = [
      'kalendar_kontakty_1  |   File "/usr/lib/python3.5/site-packages/django/db/models/options.py", line 619, in get_field',
      "kalendar_kontakty_1  |     raise FieldDoesNotExist('%s has no field named %r' % (self.object_name, field_name))",
      "kalendar_kontakty_1  | django.core.exceptions.FieldDoesNotExist: DBItem has no field named 'fn'",
    ].join('\n');
    expect(role(paste, 'model')).toMatchObject({ value: 'DBItem', source: 'message', guess: false });
    expect(role(paste, 'attribute')).toMatchObject({ value: 'fn', source: 'message', guess: false });
  });
});

describe("SQLAlchemy's registry names the relationship's target it found twice", () => {
  it('Multiple classes found for path "User": the class the relationship() string named', () => {
    // https://github.com/fastapi/fastapi/issues/4313 (the "Example Code" block, which holds only the error).
    const paste = 'sqlalchemy.exc.InvalidRequestError: Multiple classes found for path "User" in the registry of this declarative base. Please use a fully module-qualified path.';
    expect(role(paste, 'related_model')).toMatchObject({ value: 'User', source: 'mapper', guess: false });
  });

  it('in a title, quoted, above a log of warnings', () => {
    // https://github.com/airflow-helm/charts/issues/870 (the title and the first warning line of the log).
    const paste = [
      'airflow-sync-user \'sqlalchemy.exc.InvalidRequestError: Multiple classes found for path "Permission"\'',
      '',
      '/home/airflow/.local/lib/python3.11/site-packages/airflow/configuration.py:812 DeprecationWarning: The sql_alchemy_conn option in [core] has been moved to the sql_alchemy_conn option in [database] - the old setting has been used, but please update your config.',
    ].join('\n');
    expect(role(paste, 'related_model')).toMatchObject({ value: 'Permission', source: 'mapper' });
  });
});
