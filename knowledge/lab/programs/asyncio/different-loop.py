"""An object bound to one event loop used from another: a module-level engine, a module-level Lock."""
import asyncio

from sqlalchemy import text

import labkit
from kits import app_stack as kit


def engine_shared(fix):
    """One AsyncEngine, two asyncio.run() jobs: the second checks out the first loop's pooled connection."""
    kit.expect_fix(fix, "dispose-before-new-loop", "nullpool")
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
    from sqlalchemy.pool import NullPool

    if fix == "nullpool":
        engine = create_async_engine(labkit.pg_url("asyncpg"), poolclass=NullPool)
    else:
        engine = create_async_engine(labkit.pg_url("asyncpg"))

    async def run_job():
        try:
            async with AsyncSession(engine) as session:
                assert (await session.execute(text("SELECT 1"))).scalar() == 1
        finally:
            if fix == "dispose-before-new-loop":
                await engine.dispose()

    asyncio.run(run_job())
    asyncio.run(run_job())


def primitive_other_loop(fix):
    """A module-level asyncio.Lock guards a token refresh; a second asyncio.run() contends for it."""
    kit.expect_fix(fix, "create-in-running-loop/in-coroutine")
    state = {"lock": None if fix else asyncio.Lock()}

    async def refresh(n):
        async with state["lock"]:
            await asyncio.sleep(0.01)

    async def job():
        if fix == "create-in-running-loop/in-coroutine":
            state["lock"] = asyncio.Lock()   # created inside the running loop
        await asyncio.gather(refresh(1), refresh(2))

    asyncio.run(job())
    asyncio.run(job())


def app_lock(fix):
    """The same Lock at import time in a FastAPI app, used by an endpoint under the TestClient's loop."""
    kit.expect_fix(fix, "create-in-running-loop")
    from contextlib import asynccontextmanager

    from fastapi import FastAPI, Request

    refresh_lock = asyncio.Lock()
    if fix == "create-in-running-loop":
        @asynccontextmanager
        async def lifespan(app: FastAPI):
            app.state.refresh_lock = asyncio.Lock()      # created inside the running loop
            yield

        app = FastAPI(lifespan=lifespan)
    else:
        app = FastAPI()
        app.state.refresh_lock = refresh_lock

    async def warm_up():
        async def one():
            async with refresh_lock:
                await asyncio.sleep(0.01)
        await asyncio.gather(one(), one())

    @app.get("/refresh")
    async def refresh(request: Request):
        async def one():
            async with request.app.state.refresh_lock:
                await asyncio.sleep(0.01)
        await asyncio.gather(one(), one())
        return {"ok": True}

    asyncio.run(warm_up())                      # startup code that took the lock in its own asyncio.run()
    with kit.test_client(app) as client:
        assert client.get("/refresh").json() == {"ok": True}


# one line below, so a traceback's source line never shows scenario names
SCENARIOS = {
    "engine-shared-across-loops": engine_shared,
    "primitive-created-in-other-loop": primitive_other_loop,
    "app-lock-created-at-import": app_lock,
}

labkit.run(SCENARIOS)
