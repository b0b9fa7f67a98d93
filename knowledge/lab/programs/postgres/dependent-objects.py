"""PostgreSQL dependent_objects_still_exist (2BP01): DROP of a table others depend on."""
import labkit
from kits.pg_admin import admin_query, admin_sql


def foreign_key(fix):
    from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, create_engine

    md = MetaData()
    conditions = Table("conditions", md, Column("id", Integer, primary_key=True), Column("name", String))
    analysis_conditions = Table("analysis_conditions", md, Column("id", Integer, primary_key=True), Column("condition_id", ForeignKey("conditions.id")))
    engine = create_engine(labkit.pg_url("psycopg2"))
    try:
        md.create_all(engine)
        if fix is None:
            conditions.drop(engine)
        elif fix == "drop-in-dependency-order":
            md.drop_all(engine, tables=[analysis_conditions, conditions])  # sorted: dependents first
        elif fix == "drop-cascade":
            with engine.begin() as conn:
                conn.exec_driver_sql("DROP TABLE conditions CASCADE")
            # CASCADE dropped the foreign key constraint, not the referencing table
            assert admin_query("SELECT count(*) FROM pg_constraint WHERE conname = 'analysis_conditions_condition_id_fkey'")[0][0] == 0
        else:
            raise labkit.UnknownFix(fix)
    finally:
        engine.dispose()


async def view_depends_on_table(fix):
    # A migration rebuilds a table a reporting view reads from.
    import asyncpg

    admin_sql(
        "CREATE TABLE cor_sensitivity (id int PRIMARY KEY, level int)",
        "CREATE VIEW v_export AS SELECT id, level FROM cor_sensitivity WHERE level > 0",
    )
    conn = await asyncpg.connect(labkit.pg_dsn())
    try:
        async with conn.transaction():
            if fix is None:
                await conn.execute("DROP TABLE cor_sensitivity")
            elif fix == "drop-and-recreate-view":
                await conn.execute("DROP VIEW v_export")
                await conn.execute("DROP TABLE cor_sensitivity")
            else:
                raise labkit.UnknownFix(fix)
            await conn.execute("CREATE TABLE cor_sensitivity (id int PRIMARY KEY, level int, reason text)")
            if fix is not None:
                await conn.execute("CREATE VIEW v_export AS SELECT id, level FROM cor_sensitivity WHERE level > 0")
        assert await conn.fetchval("SELECT count(*) FROM v_export") == 0
    finally:
        await conn.close()


labkit.run({"foreign-key": foreign_key, "view-depends-on-table": view_depends_on_table})
