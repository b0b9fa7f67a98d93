"""asyncpg's named prepared statements behind PgBouncer in transaction mode.

Four app processes (like `uvicorn --workers 4`) each run 5 concurrent connections through the
lab's PgBouncer, every round 6 times over, since the collisions are intermittent.
"""
import asyncio
from uuid import uuid4

import labkit
from kits.pg_drivers import prefork_rounds, settle

CONNECTIONS = 5
TRANSACTIONS = 8


def make_schema() -> None:
    import psycopg2

    conn = psycopg2.connect(labkit.pg_dsn())
    with conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE orders (id serial PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL)")
        cur.execute("INSERT INTO orders (customer_id, status) SELECT n % 10, 'open' FROM generate_series(1, 100) n")
    conn.close()


async def sqlalchemy_app(engine) -> None:
    from sqlalchemy import text

    async def client(n: int) -> None:
        for i in range(TRANSACTIONS):
            async with engine.begin() as conn:
                await conn.execute(text("SELECT id, status FROM orders WHERE customer_id = :c"), {"c": (n + i) % 10})
                await conn.execute(text("SELECT count(*) FROM orders WHERE status = :s"), {"s": "open"})

    async with engine.connect():  # start-up: the first connection initialises the dialect alone
        pass
    await settle(engine.dispose(), *(client(n) for n in range(CONNECTIONS)))


def default_engine(url, caches_off: bool):
    from sqlalchemy.ext.asyncio import create_async_engine

    if caches_off:
        # What users try first: both statement caches off; the names stay sequential.
        return create_async_engine(url, connect_args={"statement_cache_size": 0, "prepared_statement_cache_size": 0})
    return create_async_engine(url)


def unique_names_engine(url):
    from asyncpg import Connection
    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlalchemy.pool import NullPool

    class UniqueNameConnection(Connection):
        def _get_unique_id(self, prefix):
            return f"__asyncpg_{prefix}_{uuid4()}__"

    return create_async_engine(
        url,
        poolclass=NullPool,
        connect_args={
            "statement_cache_size": 0,
            "prepared_statement_cache_size": 0,
            "connection_class": UniqueNameConnection,
        },
    )


def name_func_engine(url):
    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlalchemy.pool import NullPool

    return create_async_engine(
        url,
        poolclass=NullPool,
        connect_args={
            "statement_cache_size": 0,
            "prepared_statement_cache_size": 0,
            "prepared_statement_name_func": lambda: f"__asyncpg_{uuid4()}__",
        },
    )


def direct_engine(_url):
    from sqlalchemy.ext.asyncio import create_async_engine

    return create_async_engine(labkit.pg_url("asyncpg"), pool_size=5, max_overflow=5)


def psycopg_engine(_url):
    from sqlalchemy.ext.asyncio import create_async_engine

    return create_async_engine(labkit.pg_url("psycopg", via="pgbouncer"), connect_args={"prepare_threshold": None})


SQLALCHEMY_FIXES = {
    "sqlalchemy-no-cache-unique-names": unique_names_engine,
    "sqlalchemy-no-cache-unique-names/name-func": name_func_engine,
    "session-mode-or-direct": direct_engine,
    "switch-to-psycopg": psycopg_engine,
}


def sqlalchemy_scenario(caches_off: bool):
    def scenario(fix):
        if fix is not None and fix not in SQLALCHEMY_FIXES:
            raise labkit.UnknownFix(fix)
        url = labkit.pg_url("asyncpg", via="pgbouncer")
        make_engine = SQLALCHEMY_FIXES[fix] if fix else (lambda url: default_engine(url, caches_off))
        make_schema()
        prefork_rounds(lambda worker: sqlalchemy_app(make_engine(url)))

    return scenario


async def raw_asyncpg_app(fix) -> None:
    import asyncpg

    dsn = labkit.pg_dsn(via="pgbouncer")
    if fix is None:
        pool = await asyncpg.create_pool(dsn=dsn, min_size=CONNECTIONS, max_size=CONNECTIONS)
    elif fix == "asyncpg-statement-cache-off":
        pool = await asyncpg.create_pool(
            dsn=dsn,
            statement_cache_size=0,
            min_size=CONNECTIONS,
            max_size=CONNECTIONS,
        )
    else:
        raise labkit.UnknownFix(fix)

    async def client(n: int) -> None:
        for i in range(TRANSACTIONS):
            async with pool.acquire() as conn:
                await conn.fetch("SELECT id, status FROM orders WHERE customer_id = $1", (n + i) % 10)
                await conn.fetchval("SELECT count(*) FROM orders WHERE status = $1", "open")

    await settle(pool.close(), *(client(n) for n in range(CONNECTIONS)))


def raw_asyncpg(fix):
    if fix not in (None, "asyncpg-statement-cache-off"):
        raise labkit.UnknownFix(fix)
    make_schema()
    prefork_rounds(lambda worker: raw_asyncpg_app(fix))


labkit.run({
    "sqlalchemy-dialect": sqlalchemy_scenario(caches_off=False),
    "sqlalchemy-caches-off": sqlalchemy_scenario(caches_off=True),
    "raw-asyncpg": raw_asyncpg,
})
