"""Aware datetimes against naive `timestamp` columns (asyncpg), and naive vs aware in Python."""
from datetime import datetime, timedelta, timezone

import labkit

CREATE = "CREATE TABLE access_tokens (token text PRIMARY KEY, expires_at timestamp NOT NULL)"


async def run_sql(sql: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(labkit.pg_url("asyncpg"))
    async with engine.begin() as conn:
        await conn.execute(text(sql))
    await engine.dispose()


def upgrade(sync_conn) -> None:
    # The fault file's Alembic migration, run through Alembic's Operations on this connection.
    import sqlalchemy as sa
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    op = Operations(MigrationContext.configure(sync_conn))
    op.alter_column(
        "access_tokens",
        "expires_at",
        type_=sa.DateTime(timezone=True),
        existing_type=sa.DateTime(),
        postgresql_using="expires_at AT TIME ZONE 'UTC'",
    )


def timestamptz_model(fix):
    from sqlalchemy import Column, DateTime, String, func

    if fix == "timestamptz-column":
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

        class Base(DeclarativeBase):
            pass

        class AccessToken(Base):
            __tablename__ = "access_tokens"
            token: Mapped[str] = mapped_column(primary_key=True)
            expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    else:
        from sqlalchemy.orm import declarative_base

        Base = declarative_base()

        class AccessToken(Base):
            __tablename__ = "access_tokens"
            token = Column(String, primary_key=True)
            expires_at = Column(DateTime(timezone=True), server_default=func.now())
    return AccessToken


async def insert_with_model(engine, model, expires_at) -> None:
    from sqlalchemy.ext.asyncio import AsyncSession

    try:
        async with AsyncSession(engine) as session:
            session.add(model(token="A1qruK6N9n", expires_at=expires_at))
            await session.commit()
    finally:
        await engine.dispose()


async def aware_into_naive_column(fix):
    from sqlalchemy import Column, DateTime, MetaData, String, Table, insert
    from sqlalchemy.ext.asyncio import create_async_engine

    await run_sql(CREATE)  # the existing table: timestamp WITHOUT time zone
    engine = create_async_engine(labkit.pg_url("asyncpg"))
    payload_expires_at = datetime.now(timezone.utc) + timedelta(hours=1)
    value = payload_expires_at
    if fix is None:
        column = Column("expires_at", DateTime(), nullable=False)
    elif fix == "naive-utc-convention":
        def to_naive_utc(value: datetime) -> datetime:
            return value.astimezone(timezone.utc).replace(tzinfo=None)

        column = Column("expires_at", DateTime(), nullable=False)
        value = to_naive_utc(payload_expires_at)
    elif fix in ("timestamptz-column", "timestamptz-column/column"):
        async with engine.begin() as conn:
            await conn.run_sync(upgrade)
        return await insert_with_model(engine, timestamptz_model(fix), payload_expires_at)
    elif fix == "type-annotation-map":
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

        class Base(DeclarativeBase):
            type_annotation_map = {datetime: DateTime(timezone=True)}

        class AccessTokenV2(Base):  # a new table: the map applies to columns created from now on
            __tablename__ = "access_tokens_v2"
            token: Mapped[str] = mapped_column(primary_key=True)
            expires_at: Mapped[datetime]

        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        return await insert_with_model(engine, AccessTokenV2, payload_expires_at)
    else:
        raise labkit.UnknownFix(fix)
    tokens = Table("access_tokens", MetaData(), Column("token", String, primary_key=True), column)
    try:
        async with engine.begin() as conn:
            await conn.execute(insert(tokens).values(token="A1qruK6N9n", expires_at=value))
    finally:
        await engine.dispose()


async def python_mixed_comparison(fix):
    # A naive UTC value read back from a `timestamp` column, compared with an aware "now".
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    await run_sql(CREATE)
    await run_sql("INSERT INTO access_tokens VALUES ('A1qruK6N9n', now() AT TIME ZONE 'UTC')")
    engine = create_async_engine(labkit.pg_url("asyncpg"))
    async with engine.connect() as conn:
        expires_at = (await conn.execute(text("SELECT expires_at FROM access_tokens"))).scalar_one()
    await engine.dispose()
    if fix is None:
        if expires_at < datetime.now(timezone.utc):
            print("expired")
    elif fix == "aware-utc-everywhere":
        now = datetime.now(timezone.utc)
        naive_value = expires_at
        aware = naive_value.replace(tzinfo=timezone.utc)
        if aware < now:
            print("expired")
    else:
        raise labkit.UnknownFix(fix)


labkit.run({
    "aware-into-naive-column": aware_into_naive_column,
    "python-mixed-comparison": python_mixed_comparison,
})
