"""relation "..." does not exist (42P01), through psycopg2 and asyncpg.

not-migrated: the app queries a table its migrations never created in this database.
quoted-name: the table was created unquoted (folded to orders) and the app names it quoted,
"Orders", as an ORM does for __tablename__ = "Orders": a different name to PostgreSQL.
wrong-schema: the query names public.orders while the table lives in schema app.
"""
from kits.pg_errors import admin, both_drivers, execute, expect_fix

import labkit


def not_migrated(driver, fix):
    expect_fix(fix, ["run-migrations"])
    if fix == "run-migrations":  # what `alembic upgrade head` / metadata.create_all would do
        admin("CREATE TABLE orders (id serial PRIMARY KEY, total numeric NOT NULL)")
    execute(driver, ["SELECT id, total FROM orders"])


def quoted_name(driver, fix):
    expect_fix(fix, ["match-case"])
    admin("CREATE TABLE orders (id serial PRIMARY KEY, total numeric NOT NULL)")
    sql = "SELECT id, total FROM orders" if fix == "match-case" else 'SELECT id, total FROM "Orders"'
    execute(driver, [sql])


def wrong_schema(driver, fix):
    expect_fix(fix, ["qualify-schema", "search-path"])
    admin("CREATE SCHEMA app", "CREATE TABLE app.orders (id serial PRIMARY KEY, total numeric NOT NULL)")
    if fix == "qualify-schema":
        execute(driver, ["SELECT id, total FROM app.orders"])
    elif fix == "search-path":
        execute(driver, ["SET search_path TO app, public", "SELECT id, total FROM orders"])
    else:
        execute(driver, ["SELECT id, total FROM public.orders"])


labkit.run(both_drivers({"not-migrated": not_migrated, "quoted-name": quoted_name, "wrong-schema": wrong_schema}))
