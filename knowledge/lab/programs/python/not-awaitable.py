"""Awaiting something that is not awaitable: a sync method, a Result, a function object, a MagicMock."""
import asyncio
from unittest.mock import AsyncMock, MagicMock, patch

from sqlalchemy import select

import labkit
from kits import app_stack as kit


def sync_method(fix):
    """await session.add(user) on an AsyncSession (add() is a plain method)."""
    kit.expect_fix(fix, "remove-await")

    async def main():
        m = kit.orm()
        async with kit.pg_async_session(m) as (engine, session):
            user = m.User(email="bea@example.com")
            if fix == "remove-await":
                session.add(user)
            else:
                await session.add(user)
            await session.commit()
            await session.refresh(user)
            assert user.id is not None

    return main()


def result_awaited(fix):
    """await result.scalars().all(): the Result is already in memory."""
    kit.expect_fix(fix, "await-only-the-query")

    async def main():
        m = kit.orm()
        async with kit.pg_async_session(m) as (engine, session):
            result = await session.execute(select(m.User))
            if fix == "await-only-the-query":
                rows = result.scalars().all()
                rows2 = (await session.scalars(select(m.User))).all()
                assert len(rows2) == 1
            else:
                rows = await result.scalars().all()
            assert len(rows) == 1

    return main()


def function_not_called(fix):
    """await session.commit (no parentheses)."""
    kit.expect_fix(fix, "call-then-await")

    async def main():
        m = kit.orm()
        async with kit.pg_async_session(m) as (engine, session):
            session.add(m.User(email="bea@example.com"))
            if fix == "call-then-await":
                await session.commit()
            else:
                await session.commit

    return main()


def asyncio_api_argument(fix):
    """asyncio.run(main) - the function, not a coroutine."""
    kit.expect_fix(fix, "call-then-await")

    async def main():
        await asyncio.sleep(0)

    if fix == "call-then-await":
        asyncio.run(main())
    else:
        asyncio.run(main)


async def fetch_profile(user_id):
    await asyncio.sleep(0)
    return {"id": user_id}


async def greet(user_id):
    profile = await fetch_profile(user_id)
    return f"hello {profile['id']}"


def magicmock_awaited(fix):
    """A test patches the async fetch_profile with MagicMock."""
    kit.expect_fix(fix, "use-asyncmock")
    mock = AsyncMock(return_value={"id": 7}) if fix == "use-asyncmock" else MagicMock()
    with patch(f"{__name__}.fetch_profile", new=mock):
        assert asyncio.run(greet(7)) == "hello 7"


class LegacyClient:
    def fetch(self, order_id):   # a plain def (blocking I/O in real code)
        return {"id": order_id}


def sync_function_awaited(fix):
    """await legacy_client.fetch(order_id) where fetch() is a plain def."""
    kit.expect_fix(fix, "remove-await", "to-thread")
    legacy_client = LegacyClient()

    async def main(order_id):
        if fix == "remove-await":
            return legacy_client.fetch(order_id)
        if fix == "to-thread":
            return await asyncio.to_thread(legacy_client.fetch, order_id)
        return await legacy_client.fetch(order_id)

    assert asyncio.run(main(3)) == {"id": 3}


async def stream_rows():
    for n in range(3):
        yield n


def async_generator_awaited(fix):
    """await stream_rows() on an async generator."""
    kit.expect_fix(fix, "iterate-async-generator")

    async def main():
        if fix == "iterate-async-generator":
            return [row async for row in stream_rows()]
        return await stream_rows()

    assert asyncio.run(main()) == [0, 1, 2]


# one line below, so a traceback's source line never shows scenario names
SCENARIOS = {
    "sync-function-awaited": sync_function_awaited,
    "async-generator-awaited": async_generator_awaited,
    "sqlalchemy-sync-method": sync_method,
    "sqlalchemy-result-awaited": result_awaited,
    "function-not-called": function_not_called,
    "asyncio-api-argument": asyncio_api_argument,
    "magicmock-awaited": magicmock_awaited,
}

labkit.run(SCENARIOS)
