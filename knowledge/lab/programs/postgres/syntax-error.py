"""PostgreSQL syntax_error (42601): another driver's placeholders, and an unquoted reserved word."""
import labkit
from kits.pg_admin import admin_sql


async def percent_s_on_asyncpg(fix):
    # Code moved from psycopg2 to asyncpg keeps its %s placeholders.
    import asyncpg

    admin_sql("CREATE TABLE users (id int PRIMARY KEY, email text)", "INSERT INTO users VALUES (1, 'ada@example.com')")
    if fix is None:
        sql = "SELECT id FROM users WHERE email = %s"
    elif fix == "driver-placeholders":
        sql = "SELECT id FROM users WHERE email = $1"
    else:
        raise labkit.UnknownFix(fix)
    conn = await asyncpg.connect(labkit.pg_dsn())
    try:
        assert await conn.fetchval(sql, "ada@example.com") == 1
    finally:
        await conn.close()


def colon_param_in_driver_sql(fix):
    # SQLAlchemy's :name style handed to the driver directly (exec_driver_sql / cursor.execute).
    from sqlalchemy import create_engine, text

    admin_sql("CREATE TABLE users (id int PRIMARY KEY, email text)", "INSERT INTO users VALUES (1, 'ada@example.com')")
    engine = create_engine(labkit.pg_url("psycopg2"))
    try:
        with engine.connect() as conn:
            if fix is None:
                row = conn.exec_driver_sql("SELECT id FROM users WHERE email = :email", {"email": "ada@example.com"}).first()
            elif fix == "driver-placeholders":
                row = conn.execute(text("SELECT id FROM users WHERE email = :email"), {"email": "ada@example.com"}).first()
            else:
                raise labkit.UnknownFix(fix)
            assert row[0] == 1
    finally:
        engine.dispose()


def reserved_word(fix):
    # A table named "user": a reserved word in PostgreSQL.
    import psycopg2

    if fix is None:
        ddl = "CREATE TABLE user (id int PRIMARY KEY, name text)"
    elif fix == "quote-identifier":
        ddl = 'CREATE TABLE "user" (id int PRIMARY KEY, name text)'
    else:
        raise labkit.UnknownFix(fix)
    conn = psycopg2.connect(labkit.pg_dsn())
    try:
        with conn, conn.cursor() as cur:
            cur.execute(ddl)
    finally:
        conn.close()


labkit.run({"percent-s-on-asyncpg": percent_s_on_asyncpg, "colon-param-in-driver-sql": colon_param_in_driver_sql, "reserved-word": reserved_word})
