"""QueuePool limit reached, connection timed out (knowledge/faults/sqlalchemy/queue-pool-timeout.yaml).

A pool of 1 connection, no overflow and a 1 s timeout: either a handler keeps its connection
open (a leak) or more requests than the pool allows run at once. Fixes report the most
connections held at once.
"""
import asyncio

import labkit
from kits import pool_args as kit
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

REQUESTS = 8  # concurrent requests, each holding its connection for 0.3 s


async def leaked_sessions(fix):
    engine = kit.async_engine(**kit.SMALL_POOL)
    request_state = []  # what keeps each request's connection open: nothing closes it
    if fix is None:

        async def handler(n):
            conn = await engine.connect()
            request_state.append(conn)
            return (await conn.execute(text("SELECT CAST(:n AS integer)"), {"n": n})).scalar()
    else:
        if fix == "close-sessions":
            from sqlalchemy.ext.asyncio import async_sessionmaker

            SessionLocal = async_sessionmaker(engine, expire_on_commit=False)
        elif fix == "close-sessions/sessionmaker":
            from sqlalchemy.orm import sessionmaker

            SessionLocal = sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
        else:
            raise labkit.UnknownFix(fix)

        async def handler(n):
            async with SessionLocal() as session:
                async with session.begin():
                    return (await session.execute(text("SELECT CAST(:n AS integer)"), {"n": n})).scalar()

    try:
        results = [await handler(n) for n in range(3)]
        assert results == [0, 1, 2], results
        labkit.measure(connections=engine.pool.checkedout())  # still checked out after the requests
    finally:  # the program's own clean-up, so the loop's shutdown adds no noise to the trace
        for conn in request_state:
            await conn.close()
        await engine.dispose()


async def concurrency_exceeds_pool(fix):
    from sqlalchemy.orm import sessionmaker

    slots = None
    if fix is None:
        engine = kit.async_engine(**kit.SMALL_POOL)
    elif fix == "size-pool":
        engine = kit.async_engine(pool_size=20, max_overflow=10, pool_timeout=30, pool_pre_ping=True)
    elif fix == "cap-concurrency":
        engine = kit.async_engine(**kit.SMALL_POOL)
        slots = asyncio.Semaphore(kit.SMALL_POOL["pool_size"])  # db_slots = asyncio.Semaphore(pool_size)
    elif fix == "nullpool-external-pooler":
        from sqlalchemy.pool import NullPool

        engine = kit.async_engine(via="pgbouncer", poolclass=NullPool, connect_args={"statement_cache_size": 0})
    else:
        raise labkit.UnknownFix(fix)
    SessionLocal = sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
    peak = kit.Peak()

    async def request(n):
        if slots is not None:
            async with slots, SessionLocal() as session:
                with peak:
                    return (await session.execute(text("SELECT CAST(:n AS integer) FROM pg_sleep(0.3)"), {"n": n})).scalar()
        async with SessionLocal() as session:
            with peak:
                return (await session.execute(text("SELECT CAST(:n AS integer) FROM pg_sleep(0.3)"), {"n": n})).scalar()

    results = await asyncio.gather(*(request(n) for n in range(REQUESTS)))
    assert sorted(results) == list(range(REQUESTS)), results
    labkit.measure(connections=peak.most, requests=REQUESTS)
    await engine.dispose()


labkit.run({
    "leaked-sessions": leaked_sessions,
    "concurrency-exceeds-pool": concurrency_exceeds_pool,
})
