"""permission denied for table / schema / sequence (42501), through psycopg2 and asyncpg.

The app connects as its own login role, not the owner that ran the migrations.
table: SELECT on a table the owner never granted.
schema-public: CREATE TABLE in public as a non-owner: PostgreSQL 15 no longer grants CREATE on
public to everyone (on 14 and older it worked).
sequence: INSERT into a serial table with INSERT granted on the table but not USAGE on its sequence.
"""
from kits.pg_drivers import temporary_role
from kits.pg_errors import Session, admin, both_drivers, expect_fix

import labkit


def as_app(driver, role, statements):
    from urllib.parse import urlsplit

    base = urlsplit(labkit.pg_dsn())
    dsn = f"postgresql://{role.name}:app-password@{base.hostname}:{base.port}{base.path}"
    session = Session(driver, dsn=dsn)
    try:
        for sql in statements:
            session.execute(sql)
        session.commit() if driver == "psycopg2" else None
    finally:
        session.close()


def cleanup(role):
    admin(f'DROP OWNED BY "{role.name}"')


def table(driver, fix):
    expect_fix(fix, ["grant-privileges"])
    with temporary_role("app-password") as role:
        try:
            admin("CREATE TABLE invoices (id serial PRIMARY KEY)")
            if fix == "grant-privileges":
                admin(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role.name}"')
            as_app(driver, role, ["SELECT id FROM invoices"])
        finally:
            cleanup(role)


def schema_public(driver, fix):
    expect_fix(fix, ["grant-create-on-schema"])
    with temporary_role("app-password") as role:
        try:
            admin("REVOKE CREATE ON SCHEMA public FROM PUBLIC")  # PostgreSQL 15's default, also on older servers
            if fix == "grant-create-on-schema":
                admin(f'GRANT USAGE, CREATE ON SCHEMA public TO "{role.name}"')
            as_app(driver, role, ["CREATE TABLE alembic_version (version_num varchar(32) NOT NULL)"])
        finally:
            cleanup(role)


def sequence(driver, fix):
    expect_fix(fix, ["grant-sequence-usage"])
    with temporary_role("app-password") as role:
        try:
            admin("CREATE TABLE labels (id serial PRIMARY KEY, name text NOT NULL)", f'GRANT SELECT, INSERT ON labels TO "{role.name}"')
            if fix == "grant-sequence-usage":
                admin(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role.name}"')
            as_app(driver, role, ["INSERT INTO labels (name) VALUES ('urgent')"])
        finally:
            cleanup(role)


labkit.run(both_drivers({"table": table, "schema-public": schema_public, "sequence": sequence}))
