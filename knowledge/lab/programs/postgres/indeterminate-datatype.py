"""PostgreSQL indeterminate_datatype (42P18): a server-side parameter the server cannot type."""
import labkit
from kits.pg_admin import admin_sql


async def sqlalchemy_asyncpg_untyped_bind(fix):
    # json_build_object() takes "any": SQLAlchemy sends $1 with no type for a bare bindparam.
    from sqlalchemy import String, bindparam, cast, func, select
    from sqlalchemy.ext.asyncio import create_async_engine

    if fix is None:
        label = bindparam("label")
    elif fix == "cast-parameter":
        label = cast(bindparam("label"), String)
    elif fix == "typed-bindparam":
        label = bindparam("label", type_=String)
    else:
        raise labkit.UnknownFix(fix)
    stmt = select(func.json_build_object("label", label))
    engine = create_async_engine(labkit.pg_url("asyncpg"))
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(stmt, {"label": "north"})).scalar() == {"label": "north"}
    finally:
        await engine.dispose()


async def asyncpg_optional_filter(fix):
    # "($1 IS NULL OR ...)" optional filters: $1 alone in IS NULL has no type to infer.
    import asyncpg

    admin_sql("CREATE TABLE events (id serial PRIMARY KEY, kind text)", "INSERT INTO events (kind) VALUES ('a'), ('b')")
    if fix is None:
        sql = "SELECT count(*) FROM events WHERE $1 IS NULL OR kind IS NOT NULL"
    elif fix == "cast-parameter":
        sql = "SELECT count(*) FROM events WHERE $1::text IS NULL OR kind IS NOT NULL"
    else:
        raise labkit.UnknownFix(fix)
    conn = await asyncpg.connect(labkit.pg_dsn())
    try:
        assert await conn.fetchval(sql, None) == 2
    finally:
        await conn.close()


async def sqlalchemy_text_reused_after_is_null(fix):
    # text() over asyncpg, "(:kind IS NULL OR kind = :kind)": both become $1; its first use gave it
    # no type and the second did, so the server says the same words under SQLSTATE 42P08
    # (asyncpg's AmbiguousParameterError), not 42P18.
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    admin_sql("CREATE TABLE events (id serial PRIMARY KEY, kind text)", "INSERT INTO events (kind) VALUES ('a'), ('b')")
    if fix is None:
        sql = "SELECT count(*) FROM events WHERE :kind IS NULL OR kind = :kind"
    elif fix == "cast-parameter":
        sql = "SELECT count(*) FROM events WHERE CAST(:kind AS text) IS NULL OR kind = :kind"
    else:
        raise labkit.UnknownFix(fix)
    engine = create_async_engine(labkit.pg_url("asyncpg"))
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text(sql), {"kind": None})).scalar() == 2
    finally:
        await engine.dispose()


def psycopg3_server_side_param(fix):
    # psycopg 3 binds server-side: a Python str goes out as "unknown", and concat() takes "any".
    import psycopg

    if fix is None:
        sql = "SELECT concat(%s, '-', 42)"
    elif fix == "cast-parameter":
        sql = "SELECT concat(%s::text, '-', 42)"
    elif fix == "client-side-binding":
        sql = "SELECT concat(%s, '-', 42)"
    else:
        raise labkit.UnknownFix(fix)
    options = {"cursor_factory": psycopg.ClientCursor} if fix == "client-side-binding" else {}
    with psycopg.connect(labkit.pg_dsn(), **options) as conn:
        assert conn.execute(sql, ["order"]).fetchone()[0] == "order-42"


labkit.run({
    "sqlalchemy-asyncpg-untyped-bind": sqlalchemy_asyncpg_untyped_bind,
    "asyncpg-optional-filter": asyncpg_optional_filter,
    "psycopg3-server-side-param": psycopg3_server_side_param,
    "sqlalchemy-text-reused-after-is-null": sqlalchemy_text_reused_after_is_null,
})
