"""Shared pieces for the application-stack programs: asyncio, pydantic, FastAPI, pytest-asyncio, Alembic.

Programs define their schemas and endpoints inside the scenario (the fault lives there); this
kit only hands out what several programs share: the fix check, a small ORM, a TestClient, a
pytest run in a temporary project, and a temporary Alembic environment.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from typing import Any, Dict, Optional

import labkit


def expect_fix(fix: Optional[str], *known: str) -> None:
    """Raises UnknownFix unless fix is None or one of the fixes this scenario implements."""
    if fix is not None and fix not in known:
        raise labkit.UnknownFix(fix)


def pydantic2() -> bool:
    return labkit.major("pydantic") >= 2


def only_on_pydantic(major: int, why: str) -> None:
    """For a fault that exists in one pydantic line only: the other world is NotApplicable, with why."""
    if labkit.major("pydantic") != major:
        raise labkit.NotApplicable(f"pydantic {labkit.version('pydantic')}: {why}")


# --- a small ORM: users belong to an organization -------------------------------------------


def orm() -> Any:
    """Fresh declarative models (Column style, which both SQLAlchemy lines accept)."""
    from sqlalchemy import Column, ForeignKey, Integer, String
    from sqlalchemy.orm import declarative_base, relationship

    Base = declarative_base()

    class Organization(Base):
        __tablename__ = "organizations"
        id = Column(Integer, primary_key=True)
        name = Column(String(80), nullable=False)

    class User(Base):
        __tablename__ = "users"
        id = Column(Integer, primary_key=True)
        email = Column(String(120), nullable=False)
        first_name = Column(String(80))
        last_name = Column(String(80))
        organization_id = Column(ForeignKey("organizations.id"))
        organization = relationship(Organization)

    for cls in (Organization, User):
        cls.__qualname__ = cls.__name__   # as if defined at module level: <kits.app_stack.User object at ...>

    class Models:
        pass

    models = Models()
    models.Base, models.User, models.Organization = Base, User, Organization
    return models


def sqlite_session(models: Any) -> Any:
    """An in-memory SQLite session with one user (ana) in one organization (Acme)."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    engine = create_engine("sqlite://")
    models.Base.metadata.create_all(engine)
    session = Session(engine)
    org = models.Organization(name="Acme")
    session.add(models.User(email="ana@example.com", first_name="Ana", last_name="Silva", organization=org))
    session.commit()
    return session


class pg_async_session:
    """`async with pg_async_session(models) as (engine, session):` on the run's database, seeded like sqlite_session."""

    def __init__(self, models: Any, **engine_kw: Any) -> None:
        self.models, self.engine_kw = models, engine_kw

    async def __aenter__(self) -> Any:
        from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

        m = self.models
        self.engine = create_async_engine(labkit.pg_url("asyncpg"), **self.engine_kw)
        async with self.engine.begin() as conn:
            await conn.run_sync(m.Base.metadata.create_all)
        self.session = AsyncSession(self.engine, expire_on_commit=False)
        self.session.add(m.User(email="ana@example.com", first_name="Ana", last_name="Silva",
                                organization=m.Organization(name="Acme")))
        await self.session.commit()
        return self.engine, self.session

    async def __aexit__(self, *exc: Any) -> None:
        await self.session.close()
        await self.engine.dispose()


def orm_schema() -> Any:
    """A BaseModel that reads ORM objects: from_attributes on pydantic 2, orm_mode on pydantic 1."""
    from pydantic import BaseModel

    if pydantic2():
        from pydantic import ConfigDict

        class ORMSchema(BaseModel):
            model_config = ConfigDict(from_attributes=True)
    else:
        class ORMSchema(BaseModel):
            class Config:
                orm_mode = True
    return ORMSchema


def async_db(models: Any, users: int = 1) -> Any:
    """Seeds the run's database and returns an async_sessionmaker for an app's get_session dependency.

    NullPool: TestClient runs the app in its own event loop, and no connection outlives a request.
    """
    import asyncio

    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
    from sqlalchemy.orm import sessionmaker
    from sqlalchemy.pool import NullPool

    engine = create_async_engine(labkit.pg_url("asyncpg"), poolclass=NullPool)

    async def seed() -> None:
        async with engine.begin() as conn:
            await conn.run_sync(models.Base.metadata.create_all)
        async with AsyncSession(engine) as session:
            org = models.Organization(name="Acme")
            session.add(models.User(email="ana@example.com", first_name="Ana", last_name="Silva", organization=org))
            for n in range(1, users):
                session.add(models.User(email=f"user{n}@example.com"))
            await session.commit()

    asyncio.run(seed())
    return sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


class raise_logged_errors:
    """`with raise_logged_errors("sqlalchemy.pool"):` re-raises the first exception a library only logged.

    Some faults never propagate (the pool logs "Exception terminating connection" and carries on);
    the log already printed the real traceback, and re-raising it makes the run fail the way a
    strict test suite (or a log alert) would.
    """

    def __init__(self, logger: str) -> None:
        import logging

        self.logger, self.records = logging.getLogger(logger), []
        outer = self

        class Keep(logging.Handler):
            def emit(self, record: Any) -> None:
                if record.exc_info:
                    outer.records.append(record)

        self.handler = Keep(level=logging.ERROR)

    def __enter__(self) -> "raise_logged_errors":
        self.logger.addHandler(self.handler)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.logger.removeHandler(self.handler)
        if self.records and exc[0] is None:
            raise self.records[0].exc_info[1]


def test_client(app: Any) -> Any:
    """Starlette's TestClient: the app runs in-process, and server errors propagate as tracebacks."""
    from fastapi.testclient import TestClient

    return TestClient(app)


def fail_on_client_error(response: Any) -> None:
    """A client that got a 4xx prints what it got (the body users paste) and exits 1."""
    if response.status_code >= 400:
        sys.stderr.write(f"{response.status_code} {response.reason_phrase}\n{response.text}\n")
        sys.exit(1)


# --- pytest in a throwaway project ----------------------------------------------------------


def run_pytest(files: Dict[str, str], *args: str) -> None:
    """Writes files into a temporary project and runs the real pytest there.

    Pytest's own output is this program's output (what users paste); a failed session exits 1,
    a clean one returns.
    """
    with tempfile.TemporaryDirectory() as root:
        for name, text in files.items():
            with open(os.path.join(root, name), "w") as fh:
                fh.write(textwrap.dedent(text).lstrip())
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
            cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300,
        )
    sys.stdout.write(proc.stdout)
    sys.stdout.flush()
    if proc.returncode != 0:
        sys.exit(1)


# --- a temporary Alembic environment --------------------------------------------------------

_ENV_PY = '''
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config


def run_migrations_online():
    connectable = engine_from_config(
        config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=config.attributes.get("target_metadata"))
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
'''

_MAKO = '''"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
'''


class AlembicProject:
    """migrations/ with env.py and versions/, an alembic.ini pointing at url; cfg is its Config."""

    def __init__(self, url: Optional[str] = None) -> None:
        from alembic.config import Config

        self._tmp = tempfile.TemporaryDirectory()
        self.root = self._tmp.name
        self.url = url or "sqlite:///" + os.path.join(self.root, "app.db")
        self.versions = os.path.join(self.root, "migrations", "versions")
        os.makedirs(self.versions)
        with open(os.path.join(self.root, "migrations", "env.py"), "w") as fh:
            fh.write(_ENV_PY)
        with open(os.path.join(self.root, "migrations", "script.py.mako"), "w") as fh:
            fh.write(_MAKO)
        ini = os.path.join(self.root, "alembic.ini")
        with open(ini, "w") as fh:
            fh.write(f"[alembic]\nscript_location = {self.root}/migrations\nsqlalchemy.url = {self.url}\n")
        self.cfg = Config(ini)
        os.chdir(self.root)

    def revision(self, rev: str, down: Optional[str], table: Optional[str] = None,
                 branch_labels: Optional[str] = None) -> str:
        """Writes versions/<rev>_....py by hand (as a developer's file would be); table creates one."""
        body = f"op.create_table({table!r}, sa.Column('id', sa.Integer, primary_key=True))" if table else "pass"
        undo = f"op.drop_table({table!r})" if table else "pass"
        labels = f"({branch_labels!r},)" if branch_labels else "None"
        path = os.path.join(self.versions, f"{rev}_{table or 'step'}.py")
        with open(path, "w") as fh:
            fh.write(
                f'"""{table or "step"}"""\nfrom alembic import op\nimport sqlalchemy as sa\n\n'
                f"revision = {rev!r}\ndown_revision = {down!r}\nbranch_labels = {labels}\ndepends_on = None\n\n\n"
                f"def upgrade():\n    {body}\n\n\ndef downgrade():\n    {undo}\n"
            )
        return path

    def cli(self, *argv: str) -> None:
        """Runs `alembic <argv>` through Alembic's own command-line entry point; a FAILED command exits 1."""
        from alembic.config import main

        main(argv=["-c", os.path.join(self.root, "alembic.ini"), *argv], prog="alembic")

    def heads(self) -> list:
        from alembic.script import ScriptDirectory

        return list(ScriptDirectory.from_config(self.cfg).get_heads())

    def current(self) -> list:
        from sqlalchemy import create_engine
        from alembic.migration import MigrationContext

        engine = create_engine(self.url)
        with engine.connect() as conn:
            heads = list(MigrationContext.configure(conn).get_current_heads())
        engine.dispose()
        return heads
