"""PostgreSQL duplicate_object (42710): CREATE TYPE for an enum that already exists."""
import labkit
from kits.pg_admin import admin_sql


def enum_on_table_create(fix):
    # The table was dropped, its enum type was not; Table.create() emits CREATE TYPE again.
    from sqlalchemy import Column, Enum, Integer, MetaData, Table, create_engine
    from sqlalchemy.dialects import postgresql

    admin_sql("CREATE TYPE ticket_type AS ENUM ('paid', 'free', 'guestlist')")
    md = MetaData()
    if fix == "create-type-false":
        status = postgresql.ENUM("paid", "free", "guestlist", name="ticket_type", create_type=False)
    else:
        status = Enum("paid", "free", "guestlist", name="ticket_type")
    tickets = Table("tickets", md, Column("id", Integer, primary_key=True), Column("type", status))
    engine = create_engine(labkit.pg_url("psycopg2"))
    try:
        if fix is None:
            tickets.create(engine)
        elif fix == "checkfirst":
            tickets.create(engine, checkfirst=True)
        elif fix == "create-type-false":
            tickets.create(engine)
        else:
            raise labkit.UnknownFix(fix)
    finally:
        engine.dispose()


async def create_type_sql(fix):
    # A hand-written schema script run a second time against the same database.
    import asyncpg

    conn = await asyncpg.connect(labkit.pg_dsn())
    try:
        for _ in range(2):
            if fix is None:
                await conn.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')")
            elif fix == "guard-with-do-block":
                await conn.execute(
                    """
                    DO $$ BEGIN
                        CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
                    EXCEPTION WHEN duplicate_object THEN NULL;
                    END $$;
                    """
                )
            else:
                raise labkit.UnknownFix(fix)
    finally:
        await conn.close()


labkit.run({"enum-on-table-create": enum_on_table_create, "create-type-sql": create_type_sql})
