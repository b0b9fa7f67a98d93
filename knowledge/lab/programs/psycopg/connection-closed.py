"""psycopg 3 OperationalError: the connection is closed / consuming input failed: server closed
the connection unexpectedly (knowledge/faults/psycopg/connection-closed.yaml).

A long-lived psycopg connection loses its server side (a proxy, load balancer or failover cuts
it; the lab's proxy drops it with a TCP reset): the query running at that moment fails with
"consuming input failed", and the connection object, kept and used again, says "the
connection is closed".
"""
import threading
import time

import labkit
import psycopg
from kits import reconnect
from kits import sqla_drivers as drv

_conn = None


def conn_for(dsn, fix):
    global _conn
    if _conn is None or (fix == "reconnect-when-closed" and _conn.closed):
        _conn = psycopg.connect(dsn, autocommit=True)
    return _conn


def dropped_mid_query(fix):
    port, drop = drv.dropping_proxy()
    dsn = drv.dsn_with_port(port)
    if fix is None:
        conn = psycopg.connect(dsn, autocommit=True)
        threading.Timer(0.5, drop).start()
        conn.execute("SELECT pg_sleep(1.5)")
    elif fix == "sqlalchemy-retry":
        from sqlalchemy import create_engine
        engine = create_engine(drv.dsn_with_port(port, "postgresql+psycopg"))
        reconnect.retry_on_invalidated(engine, lambda conn: threading.Timer(0.5, drop).start())
    else:
        raise labkit.UnknownFix(fix)


def reused_after_drop(fix):
    port, drop = drv.dropping_proxy()
    dsn = drv.dsn_with_port(port)
    if fix == "sqlalchemy-pool-pre-ping":
        from sqlalchemy import create_engine, text
        engine = create_engine(drv.dsn_with_port(port, "postgresql+psycopg"), pool_pre_ping=True)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        drop()
        time.sleep(0.2)
        for _ in range(2):
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        return
    if fix not in (None, "reconnect-when-closed"):
        raise labkit.UnknownFix(fix)
    conn_for(dsn, fix).execute("SELECT 1")
    drop()
    time.sleep(0.2)
    for request in range(2):
        try:
            conn_for(dsn, fix).execute("SELECT 1")
        except psycopg.OperationalError as exc:
            if request == 1:
                raise
            print("request", request, "failed:", str(exc).splitlines()[0])


labkit.run({"dropped-mid-query": dropped_mid_query, "reused-after-drop": reused_after_drop})
