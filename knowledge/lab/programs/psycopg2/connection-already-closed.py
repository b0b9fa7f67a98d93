"""psycopg2 InterfaceError: connection already closed
(knowledge/faults/psycopg2/connection-already-closed.yaml).

A psycopg2 connection object kept in a global / on a long-lived object is used after it was
closed: by code (close() in a helper) or by a disconnect that an earlier error reported.
"""
import labkit
import psycopg2
from kits import sqla_drivers as drv

_conn = None


def get_conn(fix):
    global _conn
    if _conn is None or (fix == "reconnect-when-closed" and _conn.closed):
        _conn = psycopg2.connect(labkit.pg_dsn())
    return _conn


def reused_after_disconnect(fix):
    if fix not in (None, "reconnect-when-closed", "sqlalchemy-pool-pre-ping"):
        raise labkit.UnknownFix(fix)
    if fix == "sqlalchemy-pool-pre-ping":
        from sqlalchemy import create_engine, text
        engine = create_engine(labkit.pg_url("psycopg2"), pool_pre_ping=True)
        with engine.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
        drv.terminate_backend(pid)
        for _ in range(2):
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        return
    cur = get_conn(fix).cursor()
    cur.execute("SELECT pg_backend_pid()")
    get_conn(fix).commit()
    drv.terminate_backend(cur.fetchone()[0])
    for request in range(2):
        try:
            with get_conn(fix).cursor() as cur:
                cur.execute("SELECT 1")
        except psycopg2.OperationalError as exc:      # request 1: logged, the global stays
            print("request", request, "failed:", str(exc).splitlines()[0])


def closed_by_helper(fix):
    def save(conn, value):
        with conn.cursor() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS t (v int)")
            cur.execute("INSERT INTO t VALUES (%s)", (value,))
        conn.commit()
        if fix is None:
            conn.close()                              # the helper closes what it did not open

    if fix not in (None, "close-where-opened"):
        raise labkit.UnknownFix(fix)
    conn = psycopg2.connect(labkit.pg_dsn())
    try:
        save(conn, 1)
        save(conn, 2)
    finally:
        if not conn.closed:
            conn.close()


labkit.run({"reused-after-disconnect": reused_after_disconnect, "closed-by-helper": closed_by_helper})
