"""IntegrityError: duplicate key value violates unique constraint (asyncpg, psycopg2, psycopg 3)."""
import asyncio

from sqlalchemy import Column, Integer, String, select, text

import labkit
from kits import orm_mapping as kit


def models():
    Base = kit.base()

    class User(Base):
        __tablename__ = "users"
        id = Column(Integer, primary_key=True)
        email = Column(String(200), unique=True, nullable=False)
        name = Column(String(100))

    return Base, User


def duplicate_input(driver):
    """POST /signup twice with the same email: the second INSERT hits users_email_key."""

    def scenario(fix):
        kit.expect_fix(fix, "catch-and-409", "upsert-on-conflict", "check-first")
        Base, User = models()
        data = {"email": "ada@example.com", "name": "Ada"}
        if driver == "psycopg2":
            if fix is not None:
                raise labkit.UnknownFix(fix)  # the fixes are async; they run on the async drivers
            session = kit.pg_session(Base, "psycopg2")
            for _ in range(2):
                session.add(User(**data))
                session.commit()
            return

        async def signup(session):
            if fix == "catch-and-409":
                from fastapi import HTTPException
                from sqlalchemy.exc import IntegrityError

                try:
                    async with session.begin_nested():          # SAVEPOINT: undo only this insert
                        session.add(User(**data))
                except IntegrityError as exc:                    # raised by the flush at block exit
                    raise HTTPException(status_code=409, detail="email already exists") from exc
                await session.commit()
            elif fix == "upsert-on-conflict":
                from sqlalchemy.dialects.postgresql import insert

                stmt = (
                    insert(User)
                    .values(**data)
                    .on_conflict_do_nothing(index_elements=["email"])
                )
                await session.execute(stmt)
                await session.commit()
            elif fix == "check-first":
                from fastapi import HTTPException

                taken = await session.scalar(
                    select(User.id).where(User.email == data["email"])
                )
                if taken is not None:
                    raise HTTPException(status_code=409, detail="email already exists")
                session.add(User(**data))
                await session.commit()
            else:
                session.add(User(**data))
                await session.commit()

        async def main():
            session = await kit.async_pg_session(Base, driver)
            async with session:
                await signup(session)
                try:
                    await signup(session)
                except Exception as exc:
                    if fix is None or type(exc).__name__ != "HTTPException" or exc.status_code != 409:
                        raise
                rows = (await session.execute(select(User))).scalars().all()
                assert len(rows) == 1

        asyncio.run(main())

    return scenario


def race_condition(fix):
    """Two requests run get_or_create_user() at once: both look, neither finds, both insert."""
    kit.expect_fix(fix, "upsert-on-conflict", "catch-and-409")
    from sqlalchemy.ext.asyncio import AsyncSession

    Base, User = models()
    data = {"email": "ada@example.com", "name": "Ada"}

    async def get_or_create_user(session, email):
        if fix == "upsert-on-conflict":
            from sqlalchemy.dialects.postgresql import insert

            stmt = (
                insert(User)
                .values(**data)
                .on_conflict_do_nothing(index_elements=["email"])
            )
            await session.execute(stmt)
            await session.commit()
            return (await session.execute(select(User).where(User.email == email))).scalar_one()
        user = (await session.execute(select(User).where(User.email == email))).scalar_one_or_none()
        await both_checked()  # the race, made deterministic: the other request SELECTs meanwhile
        if user is None:
            if fix == "catch-and-409":
                from fastapi import HTTPException
                from sqlalchemy.exc import IntegrityError

                try:
                    async with session.begin_nested():          # SAVEPOINT: undo only this insert
                        session.add(User(**data))
                except IntegrityError as exc:                    # raised by the flush at block exit
                    raise HTTPException(status_code=409, detail="email already exists") from exc
                await session.commit()
                return None
            user = User(**data)
            session.add(user)
            await session.commit()
        return user

    checked = []

    async def both_checked():
        checked.append(1)
        while len(checked) < 2:
            await asyncio.sleep(0.01)

    async def request():
        async with AsyncSession(engine) as session:
            try:
                return await get_or_create_user(session, data["email"])
            except Exception as exc:
                if fix is None or type(exc).__name__ != "HTTPException" or exc.status_code != 409:
                    raise

    async def main():
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        await asyncio.gather(request(), request())
        async with AsyncSession(engine) as session:
            assert len((await session.execute(select(User))).scalars().all()) == 1
        await engine.dispose()

    engine = kit.async_pg_engine()
    asyncio.run(main())


def sequence_out_of_sync(fix):
    """An import wrote users with explicit ids; the next ordinary INSERT gets id 1 again."""
    kit.expect_fix(fix, "reset-sequence")
    from sqlalchemy.orm import Session

    Base, User = models()
    engine = kit.pg_engine()
    Base.metadata.create_all(engine)
    with engine.begin() as conn:  # the data import
        conn.execute(text("INSERT INTO users (id, email) VALUES (1, 'a@example.com'), (2, 'b@example.com')"))
        if fix == "reset-sequence":
            conn.execute(text("""
                SELECT setval(pg_get_serial_sequence('users', 'id'),
                              (SELECT COALESCE(MAX(id), 0) + 1 FROM users), false);
            """))
    with Session(engine) as session:
        session.add(User(email="c@example.com"))
        session.commit()


TESTS = '''
import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from models import User, url


@pytest_asyncio.fixture
async def engine():
    engine = create_async_engine(url, poolclass=NullPool)
    yield engine
    await engine.dispose()

%s

@pytest.mark.asyncio
async def test_signup(session):
    session.add(User(email=%s))
    await session.commit()


@pytest.mark.asyncio
async def test_signup_again(session):
    session.add(User(email=%s))
    await session.commit()
'''
COMMITTING = '''
@pytest_asyncio.fixture
async def session(engine):
    async with AsyncSession(engine) as s:   # commits for real: rows outlive the test
        yield s
'''
# the fix isolate-test-data as the fault file prints it
ISOLATED = '''
import uuid

@pytest_asyncio.fixture
async def session(engine):
    async with engine.connect() as conn:
        trans = await conn.begin()
        async with AsyncSession(bind=conn, join_transaction_mode="create_savepoint") as s:
            yield s
        await trans.rollback()

def unique_email() -> str:
    return f"user-{uuid.uuid4().hex[:8]}@example.com"
'''

# its 1.4 form: unique values only (1.4's AsyncSession has no join_transaction_mode)
UNIQUE_VALUES = '''
import uuid

def unique_email() -> str:
    return f"user-{uuid.uuid4().hex[:8]}@example.com"
'''


def test_data_collision(fix):
    """Two tests insert the same hard-coded email and commit; the second one fails."""
    kit.expect_fix(fix, "isolate-test-data", "isolate-test-data/unique-values")
    Base, User = models()
    Base.metadata.create_all(kit.pg_engine())
    if fix == "isolate-test-data":
        source = TESTS % (ISOLATED, '"ada@example.com"', "unique_email()")
    elif fix == "isolate-test-data/unique-values":
        source = TESTS % (COMMITTING + UNIQUE_VALUES, "unique_email()", "unique_email()")
    else:
        source = TESTS % (COMMITTING, '"ada@example.com"', '"ada@example.com"')
    kit.run_pytest("tests/test_signup.py", source, User=User, url=labkit.pg_url("asyncpg"))


labkit.run({
    "duplicate-input": duplicate_input("asyncpg"),
    "duplicate-input-psycopg2": duplicate_input("psycopg2"),
    "duplicate-input-psycopg": duplicate_input("psycopg"),
    "race-condition": race_condition,
    "sequence-out-of-sync": sequence_out_of_sync,
    "test-data-collision": test_data_collision,
})
