"""column ... does not exist (42703), through psycopg2 and asyncpg.

not-migrated: the model gained accounts.plan_id, no migration added it to the table.
typo-or-case: the query names usrname; PostgreSQL's HINT suggests users.username.
double-quoted-string: a string literal written in double quotes, which PostgreSQL reads as a column name.
"""
from kits.pg_errors import admin, both_drivers, execute, expect_fix

import labkit


def not_migrated(driver, fix):
    expect_fix(fix, ["add-column"])
    admin("CREATE TABLE accounts (id serial PRIMARY KEY, name text NOT NULL)")
    if fix == "add-column":  # what the Alembic revision's op.add_column does
        admin("ALTER TABLE accounts ADD COLUMN plan_id integer")
    execute(driver, ["SELECT accounts.id, accounts.name, accounts.plan_id FROM accounts"])


def typo_or_case(driver, fix):
    expect_fix(fix, ["use-real-name"])
    admin("CREATE TABLE users (id serial PRIMARY KEY, username text NOT NULL)")
    column = "users.username" if fix == "use-real-name" else "users.usrname"
    execute(driver, [f"SELECT users.id, {column} FROM users"])


def double_quoted_string(driver, fix):
    expect_fix(fix, ["bind-parameters"])
    admin("CREATE TABLE users (id serial PRIMARY KEY, username text NOT NULL)")
    if fix == "bind-parameters":
        from kits.pg_errors import Session

        session = Session(driver)
        try:
            session.execute("SELECT id FROM users WHERE username = " + ("%s" if driver == "psycopg2" else "$1"), "admin")
        finally:
            session.close()
        return
    execute(driver, ['SELECT id FROM users WHERE username = "admin"'])


labkit.run(both_drivers({"not-migrated": not_migrated, "typo-or-case": typo_or_case, "double-quoted-string": double_quoted_string}))
