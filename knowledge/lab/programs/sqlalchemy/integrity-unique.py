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


labkit.run({
    "duplicate-input": duplicate_input("asyncpg"),
    "duplicate-input-psycopg2": duplicate_input("psycopg2"),
    "duplicate-input-psycopg": duplicate_input("psycopg"),
})
