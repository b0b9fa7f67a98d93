"""env.py and an async engine: a sync env.py given an asyncpg URL, the async template's asyncio.run() called from a running loop, or its run_sync() left unawaited."""
import asyncio
import os

from alembic import command

import labkit
from kits import app_stack as kit
from kits import web_stack

# alembic init (generic template), reduced: a sync Engine from the ini's URL
SYNC_ENV = '''
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
target_metadata = None


def run_migrations_online():
    connectable = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
'''

# alembic init -t async, reduced; SHARE adds the cookbook's connection sharing
ASYNC_ENV = '''
import asyncio
from alembic import context
from sqlalchemy import pool
from sqlalchemy.ext.asyncio import async_engine_from_config

config = context.config
target_metadata = None


def do_run_migrations(connection):
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations():
    connectable = async_engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)
    async with connectable.connect() as connection:
        %(run_sync)s
    await connectable.dispose()


def run_migrations_online():
%(online)s


run_migrations_online()
'''

PLAIN_ONLINE = "    asyncio.run(run_async_migrations())"
AWAITED = "await connection.run_sync(do_run_migrations)"
# a hand-written async env.py that forgot the await: the coroutine is dropped, nothing is migrated
UNAWAITED = "connection.run_sync(do_run_migrations)"
SHARED_ONLINE = '''    connection = config.attributes.get("connection")
    if connection is None:
        asyncio.run(run_async_migrations())
    else:
        do_run_migrations(connection)'''


def project_with(env):
    project = web_stack.alembic_project(url=labkit.pg_url("asyncpg"))
    with open(os.path.join(project.root, "migrations", "env.py"), "w") as fh:
        fh.write(env)
    project.revision("a1f3c0de5b71", None, "users")
    return project


def sync_env_async_url(fix):
    """The app's postgresql+asyncpg:// URL in alembic.ini, and the generic (sync) env.py."""
    kit.expect_fix(fix, "async-template", "sync-driver-for-migrations")
    if fix == "async-template":
        project = project_with(ASYNC_ENV % {"online": PLAIN_ONLINE, "run_sync": AWAITED})
    else:
        project = project_with(SYNC_ENV)
    if fix == "sync-driver-for-migrations":
        project.cfg.set_main_option("sqlalchemy.url", labkit.pg_url("psycopg2"))
    command.upgrade(project.cfg, "head")
    if fix == "sync-driver-for-migrations":
        project.url = labkit.pg_url("psycopg2")
    else:
        project.url = labkit.pg_url("psycopg2")   # current() reads the version table with a sync driver
    assert project.current() == ["a1f3c0de5b71"]


async def in_running_loop(fix):
    """command.upgrade() called from async code (a FastAPI lifespan, an async test fixture)."""
    kit.expect_fix(fix, "run-in-thread", "share-connection")
    if fix == "share-connection":
        project = project_with(ASYNC_ENV % {"online": SHARED_ONLINE, "run_sync": AWAITED})
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine(labkit.pg_url("asyncpg"))

        def upgrade(connection):
            project.cfg.attributes["connection"] = connection
            command.upgrade(project.cfg, "head")

        async with engine.begin() as conn:
            await conn.run_sync(upgrade)
        await engine.dispose()
    else:
        project = project_with(ASYNC_ENV % {"online": PLAIN_ONLINE, "run_sync": AWAITED})
        if fix == "run-in-thread":
            await asyncio.to_thread(command.upgrade, project.cfg, "head")
        else:
            command.upgrade(project.cfg, "head")
    project.url = labkit.pg_url("psycopg2")
    assert project.current() == ["a1f3c0de5b71"]


def unawaited_run_sync(fix):
    """The async env.py calls connection.run_sync(do_run_migrations) without await: Python warns
    that the coroutine was never awaited, `upgrade head` returns, and no revision was applied."""
    kit.expect_fix(fix, "await-run-sync")
    run_sync = AWAITED if fix == "await-run-sync" else UNAWAITED
    project = project_with(ASYNC_ENV % {"online": PLAIN_ONLINE, "run_sync": run_sync})
    command.upgrade(project.cfg, "head")
    project.url = labkit.pg_url("psycopg2")
    applied = project.current()
    assert applied == ["a1f3c0de5b71"], f"alembic upgrade head returned, but the database is at {applied or 'no revision'}"


SCENARIOS = {
    "sync-env-async-url": sync_env_async_url,
    "in-running-loop": in_running_loop,
    "unawaited-run-sync": unawaited_run_sync,
}

labkit.run(SCENARIOS)
