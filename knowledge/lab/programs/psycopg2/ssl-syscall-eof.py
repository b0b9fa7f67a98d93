"""psycopg2 OperationalError: SSL SYSCALL error: EOF detected
(knowledge/faults/psycopg2/ssl-syscall-eof.yaml).

Over TLS, the TCP connection is closed under libpq without a TLS close_notify or a PostgreSQL
error message: a cloud load balancer / NAT idle timeout, a TLS proxy failing over, a server
process killed hard. The lab puts a TLS-terminating proxy (kits/sqla_drivers.tls_dropping_proxy)
in front of PostgreSQL and cuts its client connections.
"""
import threading
import time

import labkit
import psycopg2
from kits import reconnect
from kits import sqla_drivers as drv
from sqlalchemy import create_engine, text


def stale_pooled_connection(fix):
    port, drop = drv.tls_dropping_proxy()
    kw = {}
    if fix == "pool-pre-ping":
        kw = {"pool_pre_ping": True}
    elif fix is not None:
        raise labkit.UnknownFix(fix)
    engine = create_engine(drv.dsn_with_port(port, "postgresql+psycopg2") + "?sslmode=require", **kw)
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    drop()                                   # the idle connection is cut in the pool
    time.sleep(0.2)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1


def dropped_mid_query(fix):
    port, drop = drv.tls_dropping_proxy()
    dsn = drv.dsn_with_port(port) + "?sslmode=require"
    if fix is None:
        conn = psycopg2.connect(dsn)
        cur = conn.cursor()
        threading.Timer(0.5, drop).start()
        cur.execute("SELECT pg_sleep(1.5)")
    elif fix == "retry-on-disconnect":
        engine = create_engine(drv.dsn_with_port(port, "postgresql+psycopg2") + "?sslmode=require")
        reconnect.retry_on_invalidated(engine, lambda conn: threading.Timer(0.5, drop).start())
    else:
        raise labkit.UnknownFix(fix)


labkit.run({"stale-pooled-connection": stale_pooled_connection, "dropped-mid-query": dropped_mid_query})
