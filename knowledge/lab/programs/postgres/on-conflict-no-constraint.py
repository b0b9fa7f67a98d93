"""PostgreSQL invalid_column_reference (42P10): ON CONFLICT names columns no unique index covers."""
import labkit
from kits.pg_admin import admin_sql


def _table():
    from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table

    md = MetaData()
    return Table("subscribers", md, Column("id", Integer, primary_key=True), Column("email", String), Column("name", String), Column("deleted_at", DateTime))


def no_unique_index(fix):
    # Upsert by email, but email only has a plain (non-unique) index.
    from sqlalchemy import create_engine
    from sqlalchemy.dialects.postgresql import insert

    admin_sql(
        "CREATE TABLE subscribers (id serial PRIMARY KEY, email text, name text, deleted_at timestamp)",
        "CREATE INDEX ix_subscribers_email ON subscribers (email)",
    )
    if fix == "add-unique-constraint":
        admin_sql("ALTER TABLE subscribers ADD CONSTRAINT uq_subscribers_email UNIQUE (email)")
    elif fix is not None:
        raise labkit.UnknownFix(fix)
    subscribers = _table()
    engine = create_engine(labkit.pg_url("psycopg2"))
    try:
        with engine.begin() as conn:
            for name in ("Ada", "Ada L."):
                stmt = insert(subscribers).values(email="ada@example.com", name=name)
                stmt = stmt.on_conflict_do_update(index_elements=[subscribers.c.email], set_={"name": stmt.excluded.name})
                conn.execute(stmt)
    finally:
        engine.dispose()


async def partial_index(fix):
    # The unique index is partial (soft delete): ON CONFLICT must repeat its WHERE clause. The
    # app logs its SQL (echo), so the index's DDL is in the output above the error.
    import logging
    import sys

    from sqlalchemy import Column, DateTime, Index, Integer, MetaData, String, Table
    from sqlalchemy.dialects.postgresql import insert
    from sqlalchemy.ext.asyncio import create_async_engine

    if fix not in (None, "repeat-index-predicate"):
        raise labkit.UnknownFix(fix)
    logging.basicConfig(stream=sys.stdout, format="%(levelname)s %(name)s %(message)s")
    logging.getLogger("sqlalchemy.engine.Engine").setLevel(logging.INFO)
    # statements only: the parameter lines carry timings ("[no key 0.00015s]") that vary per run
    for handler in logging.getLogger().handlers:
        handler.addFilter(lambda record: not record.getMessage().startswith("["))
    md = MetaData()
    subscribers = Table("subscribers", md, Column("id", Integer, primary_key=True), Column("email", String), Column("name", String), Column("deleted_at", DateTime))
    Index("uq_subscribers_email_live", subscribers.c.email, unique=True, postgresql_where=subscribers.c.deleted_at.is_(None))
    engine = create_async_engine(labkit.pg_url("asyncpg"))
    try:
        async with engine.begin() as conn:
            await conn.run_sync(md.create_all)
        async with engine.begin() as conn:
            for name in ("Ada", "Ada L."):
                stmt = insert(subscribers).values(email="ada@example.com", name=name)
                if fix is None:
                    stmt = stmt.on_conflict_do_update(index_elements=[subscribers.c.email], set_={"name": stmt.excluded.name})
                else:
                    stmt = stmt.on_conflict_do_update(index_elements=[subscribers.c.email], index_where=subscribers.c.deleted_at.is_(None), set_={"name": stmt.excluded.name})
                await conn.execute(stmt)
    finally:
        await engine.dispose()


labkit.run({"no-unique-index": no_unique_index, "partial-index": partial_index})
