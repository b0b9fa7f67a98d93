"""PostgreSQL feature_not_supported (0A000) "cached plan must not change result type": a migration
changes a table while connections keep prepared statements for SELECT * on it."""
import labkit
from kits.pg_admin import admin_sql


async def asyncpg_select_star(fix):
    import asyncpg

    admin_sql("CREATE TABLE items (id int PRIMARY KEY, name text)", "INSERT INTO items VALUES (1, 'a')")
    query = "SELECT id, name FROM items WHERE id = $1" if fix == "explicit-columns" else "SELECT * FROM items WHERE id = $1"
    if fix not in (None, "explicit-columns", "reset-after-migration", "disable-statement-cache"):
        raise labkit.UnknownFix(fix)
    options = {"statement_cache_size": 0} if fix == "disable-statement-cache" else {}
    conn = await asyncpg.connect(labkit.pg_dsn(), **options)
    try:
        await conn.fetchrow(query, 1)  # prepared and cached by asyncpg on this connection
        admin_sql("ALTER TABLE items ADD COLUMN price numeric")  # the migration, from another session
        if fix == "reset-after-migration":
            await conn.reload_schema_state()  # what a deploy hook (or pool.expire_connections()) does
        async with conn.transaction():
            await conn.fetchrow(query, 1)
    finally:
        await conn.close()


def psycopg3_prepared(fix):
    # psycopg 3 prepares a query after prepare_threshold (5) executions on a connection.
    import psycopg

    admin_sql("CREATE TABLE items (id int PRIMARY KEY, name text)", "INSERT INTO items VALUES (1, 'a')")
    if fix is None or fix == "disable-statement-cache":
        query = "SELECT * FROM items WHERE id = %s"
    elif fix == "explicit-columns":
        query = "SELECT id, name FROM items WHERE id = %s"
    else:
        raise labkit.UnknownFix(fix)
    options = {"prepare_threshold": None} if fix == "disable-statement-cache" else {}
    with psycopg.connect(labkit.pg_dsn(), **options) as conn:
        for _ in range(6):
            conn.execute(query, [1]).fetchone()
        conn.commit()
        admin_sql("ALTER TABLE items ADD COLUMN price numeric")
        conn.execute(query, [1]).fetchone()


labkit.run({"asyncpg-select-star": asyncpg_select_star, "psycopg3-prepared": psycopg3_prepared})
