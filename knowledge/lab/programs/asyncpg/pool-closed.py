"""asyncpg InterfaceError: pool is closed / pool is closing
(knowledge/faults/asyncpg/pool-closed.yaml).

Application shutdown closed the pool while work still used it: a background task that outlives
the request, a consumer loop still running, a test fixture that closed the pool first.
"""
import asyncio

import asyncpg
import labkit


async def background_after_shutdown(fix):
    pool = await asyncpg.create_pool(labkit.pg_dsn(), min_size=1, max_size=2)

    async def audit_later():
        await asyncio.sleep(0.3)                  # a fire-and-forget task, still pending
        await pool.execute("SELECT 1")

    task = asyncio.create_task(audit_later())
    # ... the app's shutdown hook:
    if fix is None:
        await pool.close()
        await task
    elif fix == "drain-tasks-before-close":
        await asyncio.gather(task)                # or cancel it: task.cancel()
        await pool.close()
    else:
        raise labkit.UnknownFix(fix)


async def acquire_while_closing(fix):
    pool = await asyncpg.create_pool(labkit.pg_dsn(), min_size=1, max_size=2)
    held = await pool.acquire()                   # a long job holds a connection

    async def release_later():
        await asyncio.sleep(0.3)
        await pool.release(held)

    asyncio.create_task(release_later())
    if fix is None:
        closing = asyncio.create_task(pool.close())   # waits for `held` to be released
        await asyncio.sleep(0.1)
        await pool.fetchval("SELECT 1")               # a new request during shutdown
        await closing
    elif fix == "drain-tasks-before-close":
        await pool.fetchval("SELECT 1")               # requests finish before close() starts
        await asyncio.sleep(0.4)
        await pool.close()
    else:
        raise labkit.UnknownFix(fix)


labkit.run({"background-after-shutdown": background_after_shutdown, "acquire-while-closing": acquire_while_closing})
