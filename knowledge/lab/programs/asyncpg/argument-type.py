"""asyncpg DataError: invalid input for query argument $N (knowledge/faults/asyncpg/argument-type.yaml).

asyncpg encodes each argument for the type PostgreSQL inferred and never converts Python types:
a str for an integer key, an int for a text column or an untyped parameter, a dict for jsonb
through text(), a millisecond timestamp for an integer column, a huge id from a URL.
"""
import labkit
from kits import pool_args as kit
from sqlalchemy import BigInteger, Column, Integer, String, bindparam, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import declarative_base

INT32_MAX = 2**31 - 1


def models(reading_column=None):
    Base = declarative_base()

    class User(Base):
        __tablename__ = "users"
        id = Column(Integer, primary_key=True)
        email = Column(String, nullable=False)

    class Account(Base):
        __tablename__ = "accounts"
        id = Column(Integer, primary_key=True)
        external_id = Column(String, nullable=False)  # an id another system gives us, stored as text

    class Event(Base):
        __tablename__ = "events"
        id = Column(Integer, primary_key=True)
        meta = Column(JSONB)

    class Reading(Base):
        __tablename__ = "readings"
        id = Column(Integer, primary_key=True)
        taken_at_ms = reading_column if reading_column is not None else Column(Integer)

    return Base, User, Account, Event, Reading


async def database(Base, User, Account, Event):
    engine = kit.async_engine()
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    async with AsyncSession(engine) as session:
        session.add_all([User(id=42, email="ada@example.com"), Account(id=1, external_id="12345"), Event(id=981)])
        await session.commit()
    return engine


async def wrong_python_type(fix):
    Base, User, Account, Event, _ = models()
    engine = await database(Base, User, Account, Event)
    payload = {"sub": "42"}  # a JWT claim: always a string
    async with AsyncSession(engine) as session:
        if fix is None:
            user = await session.get(User, payload["sub"])
        elif fix == "convert-in-python":
            user_id = int(payload["sub"])
            user = await session.get(User, user_id)
        else:
            raise labkit.UnknownFix(fix)
    assert user.email == "ada@example.com"
    await engine.dispose()


async def text_column(fix):
    """A text() query: PostgreSQL infers $1 from the varchar column (an ORM comparison would
    instead send the int and fail on the server: operator does not exist, another fault)."""
    Base, User, Account, Event, _ = models()
    engine = await database(Base, User, Account, Event)
    external_id = 12345  # parsed from a webhook as a number
    stmt = text("SELECT id FROM accounts WHERE external_id = :external_id")
    async with AsyncSession(engine) as session:
        if fix is None:
            account_id = (await session.execute(stmt, {"external_id": external_id})).scalar_one()
        elif fix == "send-str-or-fix-column":
            account_id = (await session.execute(stmt, {"external_id": str(external_id)})).scalar_one()
        else:
            raise labkit.UnknownFix(fix)
    assert account_id == 1
    await engine.dispose()


async def untyped_parameter(fix):
    engine = kit.async_engine()
    limit = 20
    async with engine.connect() as conn:
        if fix is None:
            stmt = text("SELECT :limit AS page_size")
        elif fix == "type-the-parameter":
            stmt = text("SELECT :limit AS page_size").bindparams(bindparam("limit", type_=Integer))
        elif fix == "type-the-parameter/cast-in-sql":
            stmt = text("SELECT CAST(:limit AS integer) AS page_size")
        else:
            raise labkit.UnknownFix(fix)
        page_size = (await conn.execute(stmt, {"limit": limit})).scalar()
    assert page_size == 20, page_size
    await engine.dispose()


async def untyped_parameter_asyncpg(fix):
    conn = await kit.asyncpg_table("SELECT 1")
    limit = 20
    try:
        if fix is None:
            page_size = await conn.fetchval("SELECT $1 AS page_size", limit)
        elif fix == "type-the-parameter/cast-in-sql":  # the asyncpg line both forms print
            page_size = await conn.fetchval("SELECT $1::integer AS page_size", limit)
        else:
            raise labkit.UnknownFix(fix)
    finally:
        await conn.close()
    assert page_size == 20, page_size


async def json_not_serialized(fix):
    Base, User, Account, Event, _ = models()
    engine = await database(Base, User, Account, Event)
    meta = {"source": "web", "campaign": "spring"}
    async with AsyncSession(engine) as session:
        if fix is None:
            stmt = text("UPDATE events SET meta = :meta WHERE id = :id")
        elif fix == "json-column-or-codec":
            stmt = text("UPDATE events SET meta = :meta WHERE id = :id").bindparams(bindparam("meta", type_=JSONB))
        else:
            raise labkit.UnknownFix(fix)
        await session.execute(stmt, {"meta": meta, "id": 981})
        await session.commit()
        stored = (await session.execute(select(Event.meta))).scalar_one()
    assert stored == meta, stored
    await engine.dispose()


async def integer_out_of_range(fix):
    if fix is None:
        Base, User, Account, Event, Reading = models()
    elif fix == "bigint-column":
        from sqlalchemy.orm import mapped_column

        Base, User, Account, Event, Reading = models(mapped_column(BigInteger))
    elif fix == "bigint-column/classic":
        Base, User, Account, Event, Reading = models(Column(BigInteger))
    else:
        raise labkit.UnknownFix(fix)
    engine = await database(Base, User, Account, Event)
    async with AsyncSession(engine) as session:
        session.add(Reading(id=1, taken_at_ms=6886684364))  # milliseconds since the epoch
        await session.commit()
    await engine.dispose()


def id_from_url(fix):
    """A huge id in the URL reaches session.get() unless the endpoint bounds it."""
    from fastapi import FastAPI, Path
    from fastapi.testclient import TestClient

    import asyncio

    Base, User, Account, Event, _ = models()
    asyncio.run(database(Base, User, Account, Event)).sync_engine.dispose()
    app = FastAPI()

    async def lookup(item_id):
        engine = kit.async_engine()  # TestClient runs the app on its own event loop
        try:
            async with AsyncSession(engine) as session:
                user = await session.get(User, item_id)
        finally:
            await engine.dispose()
        return {"email": user.email if user else None}

    if fix is None:
        @app.get("/items/{item_id}")
        async def read_item(item_id: int):
            return await lookup(item_id)
    elif fix == "validate-range-at-the-edge":
        from typing import Annotated

        @app.get("/items/{item_id}")
        async def read_item(item_id: Annotated[int, Path(ge=1, le=INT32_MAX)]):
            return await lookup(item_id)
    elif fix == "validate-range-at-the-edge/default":
        @app.get("/items/{item_id}")
        async def read_item(item_id: int = Path(ge=1, le=INT32_MAX)):
            return await lookup(item_id)
    else:
        raise labkit.UnknownFix(fix)
    client = TestClient(app)
    assert client.get("/items/42").json() == {"email": "ada@example.com"}
    response = client.get("/items/6886684364")
    assert response.status_code == 422, response.status_code


labkit.run({
    "wrong-python-type": wrong_python_type,
    "text-column": text_column,
    "untyped-parameter": untyped_parameter,
    "untyped-parameter-asyncpg": untyped_parameter_asyncpg,
    "json-not-serialized": json_not_serialized,
    "integer-out-of-range": integer_out_of_range,
    "id-from-url": id_from_url,
})
