"""asyncpg ConnectionDoesNotExistError: connection was closed in the middle of operation
(knowledge/faults/asyncpg/connection-closed-mid-operation.yaml).

The server side of the connection went away: killed while a query ran (restart, failover,
OOM, statement/idle timeout, admin), or killed while the connection sat idle in a pool and the
next checkout used the dead socket. The lab kills the backend with pg_terminate_backend from a
second connection.
"""
import asyncio

import asyncpg
import labkit
from kits import sqla_drivers as drv
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine


async def killed_mid_query(fix):
    async def report():
        conn = await asyncpg.connect(labkit.pg_dsn())
        try:
            drv.terminate_later(conn.get_server_pid(), 0.5)
            return await conn.fetchval("SELECT count(*) FROM pg_sleep(1.5)")
        finally:
            await conn.close()

    if fix is None:
        await report()
    elif fix == "retry-idempotent":
        for attempt in range(3):
            try:
                if attempt == 0:
                    await report()
                else:
                    conn = await asyncpg.connect(labkit.pg_dsn())
                    await conn.fetchval("SELECT count(*) FROM pg_sleep(0.1)")
                    await conn.close()
                break
            except (asyncpg.exceptions.ConnectionDoesNotExistError, ConnectionError):
                await asyncio.sleep(0.2 * (attempt + 1))
        else:
            raise RuntimeError("gave up")
        labkit.measure(attempts=attempt + 1)
    else:
        raise labkit.UnknownFix(fix)


async def stale_pooled_connection(fix):
    kw = {}
    if fix == "pool-pre-ping":
        kw = {"pool_pre_ping": True}
    elif fix is not None:
        raise labkit.UnknownFix(fix)
    engine = create_async_engine(labkit.pg_url("asyncpg"), **kw)
    async with engine.connect() as conn:         # leaves one idle connection in the pool
        pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar()
    drv.terminate_backend(pid)                    # a restart / proxy idle timeout while it sat there
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT 1"))).scalar() == 1
    await engine.dispose()


labkit.run({"killed-mid-query": killed_mid_query, "stale-pooled-connection": stale_pooled_connection})
