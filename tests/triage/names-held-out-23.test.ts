import { describe, expect, it } from 'vitest';
import { shippedEngine } from '../helpers.js';

// The classes of miss of tests/corpus/names/held-out-23.yaml's first run, each tested on a real paste from ANOTHER public
// thread (never a held-out line), cut from the search tool's excerpt of that thread, so a fix fitted to one paste fails here.

const engine = shippedEngine();

function role(text: string, r: string): { value: string; source: string; guess: boolean } | undefined {
  return engine.diagnose(text).entities.names.find((n) => n.role === r);
}

describe("Django's %r-quoted names under Python 2 (`u'name'`)", () => {
  it("FieldDoesNotExist's `has no field named u'x'` names the model and its field, without the repr's u", () => {
    // https://github.com/triaquae/CrazyMonitor/issues/1 (the title as posted: `manage.py migrate` on Django 1.9, Python 2.7).
    const paste = "django.core.exceptions.FieldDoesNotExist: ActionCondtion has no field named u'severity'";
    expect(role(paste, 'model')).toMatchObject({ value: 'ActionCondtion', source: 'message', guess: false });
    expect(role(paste, 'attribute')).toMatchObject({ value: 'severity', source: 'message', guess: false });
  });

  it('the same wording quoted in a pull request, in a code block', () => {
    // https://github.com/django-import-export/django-import-export/pull/112 (the first code block of the description as posted).
    const paste = "We replace the standard Django error message:\n\n```\nFieldDoesNotExist: Author has no field named u'nonexistent'\n```";
    expect(role(paste, 'model')).toMatchObject({ value: 'Author', guess: false });
    expect(role(paste, 'attribute')).toMatchObject({ value: 'nonexistent', guess: false });
  });
});

describe('a constraint name whose closing quote is missing', () => {
  it('a name cut inside by the end of the paste names no constraint (only the table the message names)', () => {
    // https://github.com/pygame/pygameweb/issues/38 (the error line of the description, cut inside the constraint's name as a
    // search excerpt or a shortened title would end; the whole name is `users_groups_users_id_fkey`).
    const paste = [
      '    cursor.execute(statement, parameters)',
      'psycopg2.IntegrityError: insert or update on table "users_groups" violates foreign key constraint "users_groups_users_id',
    ].join('\n');
    expect(role(paste, 'table')).toMatchObject({ value: 'users_groups', guess: false });
    expect(role(paste, 'constraint')).toBeUndefined();
  });

  it("a quote on the next line does not close the name: DETAIL's `table \"users\"` is not part of it", () => {
    // The same paste with its DETAIL line, the constraint's name cut at the same place (a wrapped or retyped first line).
    const paste = [
      'psycopg2.IntegrityError: insert or update on table "users_groups" violates foreign key constraint "users_groups_users_id',
      'DETAIL:  Key (users_id)=(95) is not present in table "users".',
    ].join('\n');
    expect(role(paste, 'constraint')).toBeUndefined();
    expect(role(paste, 'column')).toMatchObject({ value: 'users_id', guess: false });
    expect(role(paste, 'related_table')).toMatchObject({ value: 'users', guess: false });
  });

  it('the whole message, quotes closed, still names everything', () => {
    // https://github.com/pygame/pygameweb/issues/38 (the two lines of the error as posted).
    const paste = [
      'psycopg2.IntegrityError: insert or update on table "users_groups" violates foreign key constraint "users_groups_users_id_fkey"',
      'DETAIL:  Key (users_id)=(95) is not present in table "users".',
    ].join('\n');
    expect(role(paste, 'constraint')).toMatchObject({ value: 'users_groups_users_id_fkey', guess: false });
    expect(role(paste, 'table')).toMatchObject({ value: 'users_groups', guess: false });
  });
});
