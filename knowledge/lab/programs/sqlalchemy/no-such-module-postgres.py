"""NoSuchModuleError: Can't load plugin: sqlalchemy.dialects:postgres (a postgres:// URL)."""
import os

from sqlalchemy import create_engine, text

import labkit
from kits import orm_mapping as kit


def platform_style_url():
    """What Heroku-style platforms inject: postgres://user:pass@host:port/db."""
    return "postgres://" + labkit.pg_dsn().split("://", 1)[1]


def platform_url(fix):
    """The app builds its engine from the DATABASE_URL the platform injected."""
    kit.expect_fix(fix, "rewrite-at-startup", "async-scheme", "use-postgresql-scheme")
    os.environ["DATABASE_URL"] = platform_style_url()
    if fix == "use-postgresql-scheme":
        os.environ["DATABASE_URL"] = "postgresql+psycopg2://" + labkit.pg_dsn().split("://", 1)[1]
    if fix == "async-scheme":
        import asyncio

        from sqlalchemy.ext.asyncio import create_async_engine

        database_url = os.environ["DATABASE_URL"]
        scheme, _, rest = database_url.partition("://")
        if scheme in ("postgres", "postgresql", "postgres+asyncpg"):
            database_url = "postgresql+asyncpg://" + rest

        engine = create_async_engine(database_url)

        async def ping():
            async with engine.connect() as conn:
                assert (await conn.execute(text("SELECT 1"))).scalar() == 1
            await engine.dispose()

        return asyncio.run(ping())
    if fix == "rewrite-at-startup":
        database_url = os.environ["DATABASE_URL"]
        # postgres://... and postgres+driver://... -> postgresql://..., postgresql+driver://...
        if database_url.startswith(("postgres://", "postgres+")):
            database_url = "postgresql" + database_url[len("postgres"):]

        engine = create_engine(database_url)
    else:
        engine = create_engine(os.environ["DATABASE_URL"])
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1


def config_url(fix):
    """alembic.ini has sqlalchemy.url = postgres://...; `alembic upgrade head` fails in env.py."""
    kit.expect_fix(fix, "use-postgresql-scheme")
    url = platform_style_url()
    if fix == "use-postgresql-scheme":
        url = "postgresql+psycopg2://" + labkit.pg_dsn().split("://", 1)[1]
    kit.alembic_upgrade(url.replace("%", "%%"), 'op.execute("CREATE TABLE notes (id serial PRIMARY KEY)")')


labkit.run({
    "platform-url": platform_url,
    "config-url": config_url,
})
