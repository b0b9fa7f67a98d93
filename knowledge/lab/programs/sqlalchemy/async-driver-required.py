"""The asyncio extension needs an async driver (knowledge/faults/sqlalchemy/async-driver-required.yaml).

create_async_engine() (or async_engine_from_config(), as Alembic's async env.py calls it) gets
a URL with no driver or a sync one; each fix connects and runs SELECT 1.
"""
import asyncio
import os

import labkit
from sqlalchemy import select, text


async def _check(engine):
    async with engine.connect() as conn:
        assert (await conn.execute(select(1))).scalar() == 1
    await engine.dispose()


def _fixed(fix):
    """Applies one fix to the run's database; returns True when it handled the run."""
    from sqlalchemy.ext.asyncio import create_async_engine
    dsn = labkit.pg_dsn()  # postgresql://lab:lab@host:port/db, as DATABASE_URL usually is
    if fix == "async-driver-url":
        engine = create_async_engine(dsn.replace("postgresql://", "postgresql+asyncpg://", 1))
    elif fix == "derive-async-url":
        from sqlalchemy.engine import make_url
        os.environ["DATABASE_URL"] = dsn + "?sslmode=disable"
        url = make_url(os.environ["DATABASE_URL"])
        if url.drivername in ("postgres", "postgresql", "postgresql+psycopg2"):
            url = url.set(drivername="postgresql+asyncpg")
            url = url.difference_update_query(["sslmode"])
        engine = create_async_engine(url)
    elif fix == "psycopg3-both":
        from sqlalchemy import create_engine
        URL = dsn.replace("postgresql://", "postgresql+psycopg://", 1)
        sync_engine = create_engine(URL)
        with sync_engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
        engine = create_async_engine(URL)
    elif fix == "use-sync-engine":
        from sqlalchemy import create_engine
        from sqlalchemy.orm import sessionmaker
        engine = create_engine(dsn.replace("postgresql://", "postgresql+psycopg2://", 1))
        SessionLocal = sessionmaker(engine)
        with SessionLocal() as session:
            assert session.execute(text("SELECT 1")).scalar() == 1
        return True
    elif fix is None:
        return False
    else:
        raise labkit.UnknownFix(fix)
    asyncio.run(_check(engine))
    return True


def url_without_driver(fix):
    if _fixed(fix):
        return
    from sqlalchemy.ext.asyncio import create_async_engine
    engine = create_async_engine(labkit.pg_dsn())  # the fault: postgresql:// picks psycopg2
    asyncio.run(_check(engine))


def sync_driver_in_url(fix):
    if _fixed(fix):
        return
    from sqlalchemy.ext.asyncio import create_async_engine
    engine = create_async_engine(labkit.pg_dsn().replace("postgresql://", "postgresql+psycopg2://", 1))
    asyncio.run(_check(engine))


def shared_url(fix):
    if _fixed(fix):
        return
    from sqlalchemy.ext.asyncio import async_engine_from_config
    # the sync app's URL, shared with an async migration env (alembic init -t async)
    section = {"sqlalchemy.url": labkit.pg_dsn()}
    connectable = async_engine_from_config(section, prefix="sqlalchemy.")
    asyncio.run(_check(connectable))


labkit.run({
    "url-without-driver": url_without_driver,
    "sync-driver-in-url": sync_driver_in_url,
    "shared-url": shared_url,
})
