"""asyncpg InterfaceError: cannot call Connection.fetch(): connection has been released back to the pool
(knowledge/faults/asyncpg/connection-released.yaml).
"""
import asyncio

import asyncpg
import labkit


async def returned_from_block(fix):
    pool = await asyncpg.create_pool(labkit.pg_dsn(), min_size=1, max_size=2)

    async def get_conn():
        async with pool.acquire() as conn:
            return conn                       # released when the block exits

    try:
        if fix is None:
            conn = await get_conn()
            rows = await conn.fetch("SELECT 1 AS x")
        elif fix == "work-inside-acquire":
            async with pool.acquire() as conn:
                rows = await conn.fetch("SELECT 1 AS x")
        else:
            raise labkit.UnknownFix(fix)
        assert rows[0]["x"] == 1
    finally:
        await pool.close()


async def background_task(fix):
    pool = await asyncpg.create_pool(labkit.pg_dsn(), min_size=1, max_size=2)

    async def log_visit(conn):
        await asyncio.sleep(0.1)
        await conn.fetch("SELECT 1")

    async def log_visit_own():
        await asyncio.sleep(0.1)
        async with pool.acquire() as conn:
            await conn.fetch("SELECT 1")

    try:
        async with pool.acquire() as conn:    # the request handler's connection
            await conn.fetch("SELECT 1")
            if fix is None:
                task = asyncio.create_task(log_visit(conn))
            elif fix == "acquire-in-task":
                task = asyncio.create_task(log_visit_own())
            else:
                raise labkit.UnknownFix(fix)
        await task
    finally:
        await pool.close()


labkit.run({"returned-from-block": returned_from_block, "background-task": background_task})
