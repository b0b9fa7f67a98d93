"""env.py and an async engine: a sync env.py given an asyncpg URL, or the async template's asyncio.run() called from a running loop."""
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
        await connection.run_sync(do_run_migrations)
    await connectable.dispose()


def run_migrations_online():
%(online)s


run_migrations_online()
'''

PLAIN_ONLINE = "    asyncio.run(run_async_migrations())"
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
        project = project_with(ASYNC_ENV % {"online": PLAIN_ONLINE})
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
        project = project_with(ASYNC_ENV % {"online": SHARED_ONLINE})
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine(labkit.pg_url("asyncpg"))

        def upgrade(connection):
            project.cfg.attributes["connection"] = connection
            command.upgrade(project.cfg, "head")

        async with engine.begin() as conn:
            await conn.run_sync(upgrade)
        await engine.dispose()
    else:
        project = project_with(ASYNC_ENV % {"online": PLAIN_ONLINE})
        if fix == "run-in-thread":
            await asyncio.to_thread(command.upgrade, project.cfg, "head")
        else:
            command.upgrade(project.cfg, "head")
    project.url = labkit.pg_url("psycopg2")
    assert project.current() == ["a1f3c0de5b71"]


SCENARIOS = {
    "sync-env-async-url": sync_env_async_url,
    "in-running-loop": in_running_loop,
}

labkit.run(SCENARIOS)
