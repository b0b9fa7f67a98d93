"""Shared pieces for the ORM mapping, query-result and IntegrityError programs.

Each program defines its models inside the scenario, so every run starts from a clean
registry; this kit only hands out the parts both SQLAlchemy lines share.
"""
from __future__ import annotations

from typing import Any, Optional

import labkit


def is_2x() -> bool:
    return labkit.major("sqlalchemy") >= 2


def base() -> Any:
    """A fresh declarative Base: DeclarativeBase on 2.0 (so Mapped[] annotations work), else declarative_base()."""
    if is_2x():
        from sqlalchemy.orm import DeclarativeBase

        class Base(DeclarativeBase):
            pass

        return Base
    from sqlalchemy.orm import declarative_base

    return declarative_base()


def sqlite_session(Base: Any) -> Any:
    """An in-memory SQLite database with Base's tables, for mapping faults that need a flush."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    session = Session(engine)
    _open_sessions.append(session)
    return session


_open_sessions: list = []


def pg_engine(driver: str = "psycopg2", **kw: Any) -> Any:
    """A sync engine on the run's PostgreSQL database."""
    from sqlalchemy import create_engine

    if driver == "psycopg" and not is_2x():
        raise labkit.NotApplicable("SQLAlchemy 1.4 has no dialect for psycopg 3 (postgresql+psycopg came in 2.0)")
    return create_engine(labkit.pg_url(driver), **kw)


def pg_session(Base: Any, driver: str = "psycopg2") -> Any:
    """A Session on a fresh PostgreSQL database holding Base's tables."""
    from sqlalchemy.orm import Session

    engine = pg_engine(driver)
    Base.metadata.create_all(engine)
    return Session(engine)


def async_pg_engine(driver: str = "asyncpg") -> Any:
    from sqlalchemy.ext.asyncio import create_async_engine

    if driver == "psycopg" and not is_2x():
        raise labkit.NotApplicable("SQLAlchemy 1.4 has no dialect for psycopg 3 (postgresql+psycopg came in 2.0)")
    return create_async_engine(labkit.pg_url(driver))


async def async_pg_session(Base: Any, driver: str = "asyncpg") -> Any:
    """An AsyncSession on a fresh PostgreSQL database holding Base's tables."""
    from sqlalchemy.ext.asyncio import AsyncSession

    engine = async_pg_engine(driver)
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    return AsyncSession(engine, expire_on_commit=False)


def expect_fix(fix: Optional[str], *known: str) -> None:
    """Fails the run (UnknownFix) for a fix id this scenario does not implement."""
    if fix is not None and fix not in known:
        raise labkit.UnknownFix(fix)


def fail_on_warnings(category_name: str, fn: Any, *args: Any) -> Any:
    """Runs fn under `reported_warnings(category_name)` and returns its result."""
    with reported_warnings(category_name):
        return fn(*args)


class reported_warnings:
    """A block after which each `category_name` warning it raised is printed exactly as Python
    shows it (`file.py:12: SAWarning: ...` and the source line), and the run exits 1: the warning
    is this fault's error, and the lab needs a non-zero exit. With the fix applied nothing is
    printed and the run goes on."""

    def __init__(self, category_name: str) -> None:
        import warnings

        self.category_name = category_name
        self._catcher = warnings.catch_warnings(record=True)

    def __enter__(self) -> "reported_warnings":
        import warnings

        self._caught = self._catcher.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc: Any) -> None:
        import sys
        import warnings

        self._catcher.__exit__(*exc)
        for w in self._caught:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
        if exc[0] is None and any(w.category.__name__ == self.category_name for w in self._caught):
            for session in _open_sessions:  # so interpreter exit prints no unrelated ResourceWarning
                session.close()
                session.get_bind().dispose()
            sys.exit(1)


def write_app(files: "dict[str, str]") -> None:
    """Writes a small multi-module project (path -> source) under the run's working directory
    and makes it importable, for errors that depend on which modules a process imported."""
    import os
    import sys
    import textwrap

    root = os.getcwd()
    for path, source in files.items():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as fh:
            fh.write(textwrap.dedent(source).lstrip("\n"))
    if root not in sys.path:
        sys.path.insert(0, root)


def run_script(path: str) -> None:
    """Runs an entry point of the project written by write_app, as `python scripts/x.py` would."""
    import os
    import runpy

    runpy.run_path(os.path.join(os.getcwd(), path), run_name="__main__")


ALEMBIC_ENV = """
    from alembic import context
    from sqlalchemy import engine_from_config, pool

    config = context.config


    def run_migrations_online():
        connectable = engine_from_config(
            config.get_section(config.config_ini_section),
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
        with connectable.connect() as connection:
            context.configure(connection=connection, target_metadata=None)
            with context.begin_transaction():
                context.run_migrations()


    run_migrations_online()
"""


def alembic_upgrade(url: str, upgrade_body: str, imports: str = "") -> None:
    """Writes an Alembic project (alembic.ini with `url`, the stock env.py, one revision whose
    upgrade() is `upgrade_body`) and runs `alembic upgrade head` on it, in-process."""
    import textwrap

    from alembic import command
    from alembic.config import Config

    body = textwrap.indent(textwrap.dedent(upgrade_body).strip("\n"), " " * 16)
    write_app({
        "alembic.ini": f"""
            [alembic]
            script_location = migrations
            sqlalchemy.url = {url}
        """,
        "migrations/env.py": ALEMBIC_ENV,
        "migrations/script.py.mako": "",
        "migrations/versions/0001_backfill.py": f"""
            from alembic import op
            import sqlalchemy as sa
            {imports}

            revision = "0001"
            down_revision = None


            def upgrade() -> None:
{body}
        """,
    })
    command.upgrade(Config("alembic.ini"), "head")


def run_pytest(test_path: str, source: str, **models: Any) -> None:
    """Writes one test module (importing `from models import ...` for the objects given) and runs
    pytest on it in-process; exits with pytest's code, so a failing test is the run's failure."""
    import sys

    import pytest

    module = type(sys)("models")  # the app's models, as the test module imports them
    module.__dict__.update(models)
    sys.modules["models"] = module
    write_app({test_path: source})
    sys.exit(int(pytest.main(["-q", "-p", "no:cacheprovider", test_path])))
