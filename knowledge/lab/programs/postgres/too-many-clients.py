"""More connections than PostgreSQL (max_connections=100) or a role allows.

The app connects as an ordinary role (not a superuser), as apps do, so the last
superuser_reserved_connections slots stay free for other runs on the same server.
"""
import asyncio

import labkit
from kits.pg_drivers import settle, temporary_role

WORKERS, REPLICAS = 4, 2  # 8 app processes, each with its own engine (its own pool)
CONCURRENT = 15           # requests each process serves at once


async def serve(engine, held: list) -> None:
    from sqlalchemy import text

    async with engine.connect():  # start-up: the first connection initialises the dialect alone
        pass

    async def request() -> None:
        async with engine.connect() as conn:
            held[0] += 1
            held[1] = max(held[1], held[0])
            try:
                await conn.execute(text("SELECT pg_sleep(0.5)"))
            finally:
                held[0] -= 1

    await asyncio.gather(*(request() for _ in range(CONCURRENT)))


def pools_oversubscribed(fix):
    from sqlalchemy.ext.asyncio import create_async_engine

    if fix not in (None, "size-pools-to-budget"):
        raise labkit.UnknownFix(fix)

    async def main(role):
        url = role.url("asyncpg", password="app-password")
        if fix is None:  # the defaults: pool_size=5 + max_overflow=10 = 15 per process, 120 in all
            engines = [create_async_engine(url) for _ in range(WORKERS * REPLICAS)]
        else:
            # budget: 4 workers x 2 replicas x (3 + 2) = 40, well under max_connections (100) minus
            # the reserved slots and whatever the lab's other runs hold on the same server
            engines = [
                create_async_engine(url, pool_size=3, max_overflow=2, pool_timeout=30)
                for _ in range(WORKERS * REPLICAS)
            ]
        held = [0, 0]  # connections held now, most held at once
        await settle(asyncio.gather(*(e.dispose() for e in engines)), *(serve(e, held) for e in engines))
        labkit.measure(connections=held[1], requests=WORKERS * REPLICAS * CONCURRENT)

    async def scenario():
        with temporary_role("app-password") as role:
            await main(role)

    return scenario()


def connection_leak(fix):
    """A dependency that builds an engine per request and never disposes it."""
    from sqlalchemy import select, text
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

    REQUESTS = 130

    async def main(role):
        url = role.url("asyncpg", password="app-password")
        if fix is None:
            alive = []  # what keeps each request's engine (and its pool) around

            async def get_session():
                engine = create_async_engine(url)
                alive.append(engine)
                return AsyncSession(engine)

            async def handler(n):
                session = await get_session()
                await session.execute(select(n))
                await session.commit()

            for n in range(REQUESTS):
                await handler(n)
            return
        if fix == "one-engine-close-sessions":
            from sqlalchemy.ext.asyncio import async_sessionmaker

            engine = create_async_engine(url, pool_size=5, max_overflow=5)
            SessionLocal = async_sessionmaker(engine, expire_on_commit=False)
        elif fix == "one-engine-close-sessions/sessionmaker":
            from sqlalchemy.orm import sessionmaker

            engine = create_async_engine(url, pool_size=5, max_overflow=5)
            SessionLocal = sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
        else:
            raise labkit.UnknownFix(fix)

        async def get_session():
            async with SessionLocal() as session:  # returned to the pool even on errors
                yield session

        async def handler(n):
            async for session in get_session():
                await session.execute(select(n))
                await session.commit()

        try:
            for n in range(REQUESTS):
                await handler(n)
            async with engine.connect() as conn:
                opened = (await conn.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE usename = current_user"))).scalar()
        finally:
            await engine.dispose()
        labkit.measure(connections=opened, requests=REQUESTS)

    async def scenario():
        with temporary_role("app-password") as role:
            await main(role)

    return scenario()


def role_limit(fix):
    """A role with CONNECTION LIMIT 3 (a managed plan's cap) and a pool that needs 5."""
    import psycopg2
    from sqlalchemy import create_engine, text

    with temporary_role("app-password") as role:
        admin = psycopg2.connect(labkit.pg_dsn())
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute(f'ALTER ROLE "{role.name}" CONNECTION LIMIT 3')
            if fix == "raise-role-limit":
                database = labkit.pg_dsn().rsplit("/", 1)[1]
                cur.execute("SELECT rolname, rolconnlimit FROM pg_roles WHERE rolname = %s", (role.name,))
                cur.execute("SELECT datname, datconnlimit FROM pg_database WHERE datname = %s", (database,))
                cur.execute(f'ALTER ROLE "{role.name}" CONNECTION LIMIT 50')
            elif fix is not None:
                raise labkit.UnknownFix(fix)
        admin.close()
        engine = create_engine(role.url("psycopg2", password="app-password"), pool_size=5)
        conns = []
        try:
            for _ in range(5):
                conns.append(engine.connect())
                conns[-1].execute(text("SELECT 1"))
        finally:
            for conn in conns:
                conn.close()
            engine.dispose()


labkit.run({
    "pools-oversubscribed": pools_oversubscribed,
    "connection-leak": connection_leak,
    "role-or-database-limit": role_limit,
})
