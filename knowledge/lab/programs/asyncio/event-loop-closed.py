"""Using an event loop after it closed: a kept loop reference, or pooled connections outliving asyncio.run()."""
import asyncio

from sqlalchemy import text

import labkit
from kits import app_stack as kit

loop = None


async def load_fixtures():
    global loop
    loop = asyncio.get_running_loop()
    await asyncio.sleep(0)


async def import_orders():
    await asyncio.sleep(0)
    return 3


def loop_reused_after_run(fix):
    """setup() kept the running loop; after asyncio.run() returned, the script calls run_until_complete on it."""
    kit.expect_fix(fix, "single-runner")
    if fix == "single-runner":
        with asyncio.Runner() as runner:
            runner.run(load_fixtures())
            assert runner.run(import_orders()) == 3
        return
    asyncio.run(load_fixtures())
    assert loop.run_until_complete(import_orders()) == 3


def engine_not_disposed(fix):
    """A job runs in asyncio.run(); the engine is disposed later, in another loop, when its connection's loop is closed."""
    kit.expect_fix(fix, "dispose-engine-in-loop", "nullpool-for-short-loops", "single-runner")
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
    from sqlalchemy.pool import NullPool

    if fix == "nullpool-for-short-loops":
        engine = create_async_engine(labkit.pg_url("asyncpg"), poolclass=NullPool)
    else:
        engine = create_async_engine(labkit.pg_url("asyncpg"))

    async def main():
        try:
            async with AsyncSession(engine) as session:
                assert (await session.execute(text("SELECT 1"))).scalar() == 1
        finally:
            if fix == "dispose-engine-in-loop":
                await engine.dispose()

    with kit.raise_logged_errors("sqlalchemy.pool"):
        if fix == "single-runner":
            with asyncio.Runner() as runner:
                runner.run(main())
                runner.run(engine.dispose())
        else:
            asyncio.run(main())
            asyncio.run(engine.dispose())   # shutdown hook, in a loop of its own


# one line below, so a traceback's source line never shows scenario names
SCENARIOS = {
    "loop-reused-after-run": loop_reused_after_run,
    "engine-not-disposed": engine_not_disposed,
}

labkit.run(SCENARIOS)
