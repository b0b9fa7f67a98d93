"""type / role / setting does not exist (42704), through psycopg2 and asyncpg.

missing-extension-type: a citext column in a database without CREATE EXTENSION citext (pgvector's
"vector" behaves the same; the lab's PostgreSQL has contrib, not pgvector).
missing-type: an enum column whose CREATE TYPE the migration never ran.
missing-role: GRANT to a role that was never created.
unknown-setting: SET of a misspelt configuration parameter.
"""
from kits.pg_errors import admin, both_drivers, execute, expect_fix

import labkit


def missing_extension_type(driver, fix):
    expect_fix(fix, ["create-extension"])
    if fix == "create-extension":
        admin("CREATE EXTENSION IF NOT EXISTS citext")
    execute(driver, ["CREATE TABLE users (id serial PRIMARY KEY, email citext NOT NULL)"])


def missing_type(driver, fix):
    expect_fix(fix, ["create-type"])
    if fix == "create-type":  # what sa.Enum(..., create_type=True) / the migration emits first
        admin("CREATE TYPE orderstatus AS ENUM ('pending', 'paid', 'shipped')")
    execute(driver, ["CREATE TABLE orders (id serial PRIMARY KEY, status orderstatus NOT NULL)"])


def missing_role(driver, fix):
    expect_fix(fix, ["create-role"])
    admin("CREATE TABLE reports (id serial PRIMARY KEY)")
    role = f"reporting_{labkit.pg_dsn().rsplit('/', 1)[1]}"[:63]  # per run: roles are cluster-wide
    if fix == "create-role":
        admin(f'CREATE ROLE "{role}" NOLOGIN')
    try:
        execute(driver, [f'GRANT SELECT ON reports TO "{role}"'] if fix else ['GRANT SELECT ON reports TO "reporting"'])
    finally:
        if fix == "create-role":
            admin(f'REVOKE ALL ON reports FROM "{role}"', f'DROP ROLE IF EXISTS "{role}"')


def unknown_setting(driver, fix):
    expect_fix(fix, ["fix-parameter-name"])
    name = "statement_timeout" if fix == "fix-parameter-name" else "statment_timeout"
    execute(driver, [f"SET {name} = '5s'", "SELECT 1"])


labkit.run(both_drivers({
    "missing-extension-type": missing_extension_type,
    "missing-type": missing_type,
    "missing-role": missing_role,
    "unknown-setting": unknown_setting,
}))
