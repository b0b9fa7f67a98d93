#!/usr/bin/python3
"""Writes bot/triage/names/postgres-messages.ts: PostgreSQL's own translations of the server messages that name a
table, column or constraint, read from the message catalogs Debian ships (postgresql-15: /usr/share/locale/*/LC_MESSAGES/
postgres-15.mo). A server with lc_messages set to another language sends these instead of the English wording
(pretix#4343: `ERREUR:  la colonne pretixbase_event.sales_channels n'existe pas`).

Run with Debian's python (gettext reads the .mo files): /usr/bin/python3 bot/build/postgres-messages.py
"""
import json
import os
import re

from pg_catalogs import ROOT, distinct, generated_header, load_catalogs

# msgid -> the role of each argument, in the msgid's order. `key` is a single column in `Key (%s)=(%s)`; `keypair` is the
# whole `(col)=(value)` of `Key %s already exists.`; None is an argument that names nothing (a value, a type).
MESSAGES = [
    ('column %s.%s does not exist', ['table', 'column']),
    ('column "%s" does not exist', ['column']),
    ('column "%s" of relation "%s" does not exist', ['column', 'table']),
    ('relation "%s" does not exist', ['table']),
    ('relation "%s" already exists', ['table']),
    ('column "%s" of relation "%s" already exists', ['column', 'table']),
    ('column reference "%s" is ambiguous', ['column']),
    ('column "%s" is of type %s but expression is of type %s', ['column', None, None]),
    ('column "%s" of relation "%s" contains null values', ['column', 'table']),
    ('duplicate key value violates unique constraint "%s"', ['constraint']),
    ('Key %s already exists.', ['keypair']),
    ('could not create unique index "%s"', ['constraint']),
    ('Key %s is duplicated.', ['keypair']),
    ('null value in column "%s" of relation "%s" violates not-null constraint', ['column', 'table']),
    ('new row for relation "%s" violates check constraint "%s"', ['table', 'constraint']),
    ('insert or update on table "%s" violates foreign key constraint "%s"', ['table', 'constraint']),
    ('update or delete on table "%s" violates foreign key constraint "%s" on table "%s"', ['related_table', 'constraint', 'table']),
    ('Key (%s)=(%s) is not present in table "%s".', ['key', None, 'related_table']),
    ('Key (%s)=(%s) is still referenced from table "%s".', ['key', None, 'table']),
    ('there is no unique constraint matching given keys for referenced table "%s"', ['related_table']),
    ('invalid reference to FROM-clause entry for table "%s"', ['table']),
    ('There is an entry for table "%s", but it cannot be referenced from this part of the query.', ['table']),
    ('missing FROM-clause entry for table "%s"', ['table']),
    ('permission denied for table %s', ['table']),
    # DDL on a constraint the database lacks (a migration dropping a key an earlier one never made, or named otherwise):
    # `constraint "table_name" of relation "tables" does not exist` (ALTER TABLE ... DROP CONSTRAINT), `... for table ...`
    # (COMMENT ON CONSTRAINT and friends), and the one created twice.
    ('constraint "%s" of relation "%s" does not exist', ['constraint', 'table']),
    ('constraint "%s" for table "%s" does not exist', ['constraint', 'table']),
    ('constraint "%s" for relation "%s" already exists', ['constraint', 'table']),
]
# The English wordings bot/triage/names/sources/database.ts does not read yet.
ENGLISH = {
    'invalid reference to FROM-clause entry for table "%s"',
    'There is an entry for table "%s", but it cannot be referenced from this part of the query.',
    'missing FROM-clause entry for table "%s"',
    'constraint "%s" of relation "%s" does not exist',
    'constraint "%s" for table "%s" does not exist',
}

root = ROOT
catalogs = load_catalogs()

rows = []
for msgid, roles in MESSAGES:
    wordings = {}
    if msgid in ENGLISH:
        wordings['en'] = msgid
    for lang, cat in catalogs.items():
        text = cat.get(msgid)
        if not text:
            continue
        # A translation must carry every argument (ka leaves some out); line breaks in a catalog entry are layout.
        if len(re.findall(r'%(?:\d\$)?s', text)) != len(roles):
            continue
        wordings[lang] = re.sub(r'\s*\n\s*', ' ', text)
    rows.append({'msgid': msgid, 'roles': roles, 'wordings': distinct(wordings)})

out = os.path.join(root, 'bot', 'triage', 'names', 'postgres-messages.ts')
with open(out, 'w', encoding='utf-8') as f:
    f.write(generated_header('bot/build/postgres-messages.py'))
    f.write("import type { Role } from './roles.js';\n\n")
    f.write('export interface PostgresMessage {\n  msgid: string;\n  /** The role of each argument in msgid order; `key`/`keypair` read a column out of `Key (col)=(value)`. */\n')
    f.write("  roles: (Role | 'key' | 'keypair' | null)[];\n  /** lang -> the server's wording; `%s`, `%2$s` are the arguments. */\n  wordings: Record<string, string>;\n}\n\n")
    f.write('export const POSTGRES_MESSAGES: readonly PostgresMessage[] = ')
    f.write('[\n')
    for r in rows:
        f.write('  {\n    msgid: ' + json.dumps(r['msgid']) + ',\n    roles: ' + json.dumps(r['roles']).replace('"', "'") + ',\n    wordings: {\n')
        for lang, text in r['wordings'].items():
            f.write('      ' + json.dumps(lang) + ': ' + json.dumps(text, ensure_ascii=False) + ',\n')
        f.write('    },\n  },\n')
    f.write('];\n')
print(out, sum(len(r['wordings']) for r in rows), 'wordings in', len(catalogs), 'languages')
