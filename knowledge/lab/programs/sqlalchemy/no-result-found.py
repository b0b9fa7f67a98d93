"""NoResultFound: scalar_one() / one() got no row."""
from sqlalchemy import Column, Integer, String, select

import labkit
from kits import orm_mapping as kit


def models():
    Base = kit.base()

    class User(Base):
        __tablename__ = "users"
        id = Column(Integer, primary_key=True)
        email = Column(String(200))

    return Base, User


def missing_row(fix):
    """GET /users/42 in a FastAPI app; there is no user 42."""
    kit.expect_fix(fix, "one-or-none-404", "session-get", "map-exception-handler")
    from fastapi import FastAPI, HTTPException
    from fastapi.testclient import TestClient
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
    from sqlalchemy.pool import NullPool

    Base, User = models()
    sync = kit.pg_engine()
    Base.metadata.create_all(sync)
    engine = create_async_engine(labkit.pg_url("asyncpg"), poolclass=NullPool)
    app = FastAPI()

    if fix == "map-exception-handler":
        from fastapi.responses import JSONResponse
        from sqlalchemy.exc import NoResultFound

        @app.exception_handler(NoResultFound)
        async def not_found(request, exc):
            return JSONResponse(status_code=404, content={"detail": "Not found"})

    @app.get("/users/{item_id}")
    async def read_user(item_id: int):
        async with AsyncSession(engine) as session:
            stmt = select(User).where(User.id == item_id)
            if fix == "one-or-none-404":
                user = (await session.execute(stmt)).scalar_one_or_none()
                if user is None:
                    raise HTTPException(status_code=404, detail="User not found")
            elif fix == "session-get":
                user = await session.get(User, item_id)
                if user is None:
                    raise HTTPException(status_code=404, detail="User not found")
            else:
                user = (await session.execute(stmt)).scalar_one()
            return {"id": user.id, "email": user.email}

    response = TestClient(app).get("/users/42")
    assert response.status_code == 404, response.status_code


TEST_MODULE = '''
import pytest
import pytest_asyncio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from models import User, url


async def load_user(session, email):
    """The code under test: the app's own session, the app's own query."""
    return (await session.execute(select(User).where(User.email == email))).scalar_one()


@pytest_asyncio.fixture
async def engine():
    engine = create_async_engine(url, poolclass=NullPool)
    yield engine
    await engine.dispose()

%(fixtures)s
'''
BROKEN = '''
@pytest_asyncio.fixture
async def user(engine):
    async with AsyncSession(engine) as fixture_session:   # its own session, never committed
        u = User(email="ada@example.com")
        fixture_session.add(u)
        yield u


@pytest.mark.asyncio
async def test_load_user(engine, user):
    async with AsyncSession(engine) as app_session:
        assert (await load_user(app_session, "ada@example.com")).email == "ada@example.com"
'''
# the fix flush-test-data as the fault file prints it: one session, flushed
FIXED = '''
@pytest_asyncio.fixture
async def session(engine):
    async with AsyncSession(engine) as session:
        yield session
        await session.rollback()


@pytest_asyncio.fixture
async def user(session):
    u = User(email="ada@example.com")
    session.add(u)
    await session.flush()   # now visible to queries on this session
    return u


@pytest.mark.asyncio
async def test_load_user(session, user):
    assert (await load_user(session, "ada@example.com")).email == "ada@example.com"
'''


def test_data_not_visible(fix):
    """A pytest fixture adds the user in its own session; the code under test queries another."""
    kit.expect_fix(fix, "flush-test-data")
    Base, User = models()
    Base.metadata.create_all(kit.pg_engine())
    fixtures = BROKEN if fix is None else FIXED
    kit.run_pytest("tests/test_users.py", TEST_MODULE % {"fixtures": fixtures}, User=User, url=labkit.pg_url("asyncpg"))


labkit.run({
    "missing-row": missing_row,
    "test-data-not-visible": test_data_not_visible,
})
