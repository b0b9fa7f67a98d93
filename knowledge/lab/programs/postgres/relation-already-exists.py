"""PostgreSQL duplicate_table (42P07): a table, or an index name, that already exists in the schema."""
import labkit
from kits.pg_admin import admin_sql


def create_table_twice(fix):
    # The app runs metadata.create_all() at start-up; a deploy script then runs the raw DDL again.
    from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine

    md = MetaData()
    export_jobs = Table("export_jobs", md, Column("id", Integer, primary_key=True), Column("task", String, nullable=False))
    engine = create_engine(labkit.pg_url("psycopg2"))
    try:
        md.create_all(engine)
        if fix is None:
            export_jobs.create(engine)  # Table.create() defaults to checkfirst=False
        elif fix == "checkfirst":
            export_jobs.create(engine, checkfirst=True)
            md.create_all(engine)  # create_all checks first by default
        elif fix == "if-not-exists":
            with engine.begin() as conn:
                conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS export_jobs (id serial PRIMARY KEY, task varchar NOT NULL)")
        else:
            raise labkit.UnknownFix(fix)
    finally:
        engine.dispose()


async def index_name_clash(fix):
    # Index names share the schema's namespace with tables: two tables, one index name.
    import asyncpg

    conn = await asyncpg.connect(labkit.pg_dsn())
    try:
        await conn.execute("CREATE TABLE orders (id serial PRIMARY KEY, created_at timestamptz)")
        await conn.execute("CREATE TABLE invoices (id serial PRIMARY KEY, created_at timestamptz)")
        if fix is None:
            await conn.execute("CREATE INDEX idx_created_at ON orders (created_at)")
            await conn.execute("CREATE INDEX idx_created_at ON invoices (created_at)")
        elif fix == "table-scoped-index-names":
            await conn.execute("CREATE INDEX ix_orders_created_at ON orders (created_at)")
            await conn.execute("CREATE INDEX ix_invoices_created_at ON invoices (created_at)")
        else:
            raise labkit.UnknownFix(fix)
    finally:
        await conn.close()


labkit.run({"create-table-twice": create_table_twice, "index-name-clash": index_name_clash})
