"""psycopg2 OperationalError: server closed the connection unexpectedly
(knowledge/faults/psycopg2/server-closed-unexpectedly.yaml).

The server side of a pooled connection died while it sat idle (restart, failover, a proxy or
firewall idle timeout) and the next checkout used it, or it died under a running query.
The lab kills the backend with pg_terminate_backend from a second connection.
"""
import time

import labkit
import psycopg2
from kits import reconnect
from kits import sqla_drivers as drv
from sqlalchemy import create_engine, text


def stale_pooled_connection(fix):
    kw = {}
    if fix == "pool-pre-ping":
        kw = {"pool_pre_ping": True}
    elif fix == "pool-recycle":
        kw = {"pool_recycle": 1}
    elif fix is not None:
        raise labkit.UnknownFix(fix)
    engine = create_engine(labkit.pg_url("psycopg2"), **kw)
    with engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    drv.terminate_backend(pid)              # dies while idle in the pool
    time.sleep(1.2)                         # the app is idle a while (longer than pool_recycle)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1


def killed_mid_query(fix):
    if fix is None:
        conn = psycopg2.connect(labkit.pg_dsn())
        cur = conn.cursor()
        cur.execute("SELECT pg_backend_pid()")
        drv.terminate_later(cur.fetchone()[0], 0.5)
        cur.execute("SELECT pg_sleep(1.5)")
    elif fix == "retry-on-disconnect":
        engine = create_engine(labkit.pg_url("psycopg2"))
        reconnect.retry_on_invalidated(
            engine, lambda conn: drv.terminate_later(conn.execute(text("SELECT pg_backend_pid()")).scalar(), 0.5)
        )
    else:
        raise labkit.UnknownFix(fix)


labkit.run({"stale-pooled-connection": stale_pooled_connection, "killed-mid-query": killed_mid_query})
