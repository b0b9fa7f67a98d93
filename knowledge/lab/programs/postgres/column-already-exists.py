"""PostgreSQL duplicate_column (42701): a migration adds a column the table already has."""
import labkit
from kits.pg_admin import admin_sql


def add_column_twice(fix):
    # The column was added by hand (or by create_all from the new model) before the migration ran.
    from sqlalchemy import create_engine

    admin_sql(
        "CREATE TABLE alerts_alertgroup (id serial PRIMARY KEY)",
        "ALTER TABLE alerts_alertgroup ADD COLUMN cached_render_for_web jsonb",
    )
    if fix is None:
        ddl = "ALTER TABLE alerts_alertgroup ADD COLUMN cached_render_for_web jsonb"
    elif fix == "add-column-if-not-exists":
        ddl = "ALTER TABLE alerts_alertgroup ADD COLUMN IF NOT EXISTS cached_render_for_web jsonb"
    else:
        raise labkit.UnknownFix(fix)
    engine = create_engine(labkit.pg_url("psycopg2"))
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(ddl)
    finally:
        engine.dispose()


labkit.run({"add-column-twice": add_column_twice})
