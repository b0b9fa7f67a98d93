"""A coroutine used as if it were its result: a missing await before .attribute, .scalars(), `async with`."""
import asyncio
from contextlib import asynccontextmanager

from sqlalchemy import select

import labkit
from kits import app_stack as kit


async def load_profile(user_id):
    await asyncio.sleep(0)

    class Profile:
        email = "ana@example.com"

    return Profile()


def missing_await(fix):
    """profile = load_profile(1); profile.email"""
    kit.expect_fix(fix, "await-where-produced", "make-caller-async")

    def show_email(user_id):
        profile = load_profile(user_id)
        return profile.email

    async def show_email_async(user_id):
        profile = await load_profile(user_id)
        return profile.email

    async def main():
        if fix in ("await-where-produced", "make-caller-async"):
            return await show_email_async(1)
        return show_email(1)

    assert asyncio.run(main()) == "ana@example.com"


def execute_not_awaited(fix):
    """session.execute(select(User)).scalars().all() on an AsyncSession."""
    kit.expect_fix(fix, "await-session-execute")

    async def main():
        m = kit.orm()
        async with kit.pg_async_session(m) as (engine, session):
            if fix == "await-session-execute":
                result = await session.execute(select(m.User))
                rows = result.scalars().all()
                assert (await session.scalars(select(m.User))).all() == rows
            else:
                rows = session.execute(select(m.User)).scalars().all()
            assert len(rows) == 1

    return main()


def async_context_manager(fix):
    """`async with get_session() as session:` where get_session is a plain async def."""
    kit.expect_fix(fix, "asynccontextmanager")

    async def main():
        m = kit.orm()
        async with kit.pg_async_session(m) as (engine, _):
            from sqlalchemy.ext.asyncio import AsyncSession

            def async_session():
                return AsyncSession(engine)

            if fix == "asynccontextmanager":
                @asynccontextmanager
                async def get_session():
                    async with async_session() as session:
                        yield session
            else:
                async def get_session():
                    return async_session()

            async with get_session() as session:
                assert (await session.scalars(select(m.User))).all()

    return main()


# one line below, so a traceback's source line never shows scenario names
SCENARIOS = {
    "missing-await": missing_await,
    "sqlalchemy-execute-not-awaited": execute_not_awaited,
    "async-context-manager": async_context_manager,
}

labkit.run(SCENARIOS)
