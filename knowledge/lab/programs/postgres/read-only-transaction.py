"""PostgreSQL read_only_sql_transaction (25006): writes sent to a read-only session or server."""
import labkit
from kits.pg_admin import PrivateCluster, admin_sql, database_name


def database_default(fix):
    # default_transaction_read_only was switched on for the database (a managed service's
    # "read-only mode" when the disk filled up, or an operator's setting left behind).
    from sqlalchemy import create_engine, text

    admin_sql("CREATE TABLE counts (id serial PRIMARY KEY, name text)", f"ALTER DATABASE {database_name()} SET default_transaction_read_only = on")
    if fix == "reset-read-only-default":
        # this session first (it inherited the default too), then the database, for new sessions
        admin_sql("SET default_transaction_read_only = off", f"ALTER DATABASE {database_name()} RESET default_transaction_read_only")
    elif fix is not None:
        raise labkit.UnknownFix(fix)
    engine = create_engine(labkit.pg_url("psycopg2"))
    try:
        with engine.begin() as conn:
            # the app logs its session settings at start-up, as many do
            ro = conn.execute(text("SHOW default_transaction_read_only")).scalar()
            print(f"INFO db: connected, default_transaction_read_only={ro}", flush=True)
            conn.execute(text("INSERT INTO counts (name) VALUES ('test')"))
    finally:
        engine.dispose()


async def read_only_transaction(fix):
    # A write inside a transaction the code opened read-only (a "reader" helper reused for a write).
    import asyncpg

    admin_sql("CREATE TABLE sessions (user_id text PRIMARY KEY, access_token text)", "INSERT INTO sessions VALUES ('u1', 'old')")
    conn = await asyncpg.connect(labkit.pg_dsn())
    try:
        if fix is None:
            async with conn.transaction(readonly=True): await conn.execute("UPDATE sessions SET access_token = $1 WHERE user_id = $2", "new", "u1")  # noqa: E701
        elif fix == "separate-write-transaction":
            async with conn.transaction(readonly=True):
                await conn.fetchval("SELECT access_token FROM sessions WHERE user_id = $1", "u1")
            async with conn.transaction():
                await conn.execute("UPDATE sessions SET access_token = $1 WHERE user_id = $2", "new", "u1")
        else:
            raise labkit.UnknownFix(fix)
    finally:
        await conn.close()


def hot_standby(fix):
    # The app's URL points at a replica (a reader endpoint, a failed-over old primary).
    # Two private clusters: a primary, and a server in standby mode (read-only, in recovery).
    import psycopg

    primary = PrivateCluster("primary").init()
    standby = PrivateCluster("standby").init()
    try:
        for c in (primary, standby):
            c.start()
            c.psql("CREATE TABLE concept_set_container (id serial PRIMARY KEY, name text)")
        standby.stop("fast")
        standby.touch("standby.signal")
        standby.start()
        if fix is None:
            dsn = standby.dsn()
        elif fix == "target-session-attrs":
            # libpq tries the hosts in order and keeps the one that accepts writes
            dsn = (f"host={standby.socket_dir},{primary.socket_dir} port=5432,5432 dbname=postgres "
                   "user=lab password=lab target_session_attrs=read-write")
        else:
            raise labkit.UnknownFix(fix)
        with psycopg.connect(dsn) as conn:
            conn.read_only = False  # the writer connection says so explicitly: BEGIN READ WRITE
            with conn.transaction():
                conn.execute("INSERT INTO concept_set_container (name) VALUES ('x')")
    finally:
        primary.remove()
        standby.remove()


labkit.run({"database-default": database_default, "read-only-transaction": read_only_transaction, "recovering-server": hot_standby})
