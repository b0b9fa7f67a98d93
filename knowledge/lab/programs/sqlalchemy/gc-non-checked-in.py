"""SAWarning: The garbage collector is trying to clean up non-checked-in connection ...
(knowledge/faults/sqlalchemy/gc-non-checked-in.yaml).

An AsyncSession is opened without `async with` and never closed; when the object is collected
its pooled asyncpg connection was never returned. SQLAlchemy 2.0 warns; 1.4.46 logs
"Exception during reset or similar" with a MissingGreenlet instead (a different trace), so the
scenario applies to 2.0 only.
"""
import gc
import warnings

import labkit
from kits import orm_session as kit
from kits import sqla_drivers as drv
from sqlalchemy import select
from sqlalchemy.exc import SAWarning
from sqlalchemy.ext.asyncio import AsyncSession


async def load_users(engine, m, fix):
    if fix is None:
        session = AsyncSession(engine)                 # never closed
        return (await session.execute(select(m.User))).scalars().all()
    if fix == "async-with-session":
        async with AsyncSession(engine) as session:
            return (await session.execute(select(m.User))).scalars().all()
    if fix == "close-in-finally":
        session = AsyncSession(engine)
        try:
            return (await session.execute(select(m.User))).scalars().all()
        finally:
            await session.close()
    raise labkit.UnknownFix(fix)


async def leaked_session(fix):
    if labkit.major("sqlalchemy") < 2:
        raise labkit.NotApplicable("SQLAlchemy 1.4.46 does not emit this warning for a leaked asyncpg connection")
    m = kit.define()
    engine = await kit.async_engine(m)
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        for _ in range(3):
            assert len(await load_users(engine, m, fix)) == 3
        gc.collect()
    await engine.dispose()
    drv.raise_first_warning(records, SAWarning)


labkit.run({"leaked-session": leaked_session})
