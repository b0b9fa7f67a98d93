"""psycopg_pool PoolTimeout: couldn't get a connection after N sec
(knowledge/faults/psycopg/pool-timeout.yaml).

Every connection of a psycopg_pool is checked out: one leaked by getconn() without putconn(),
or more concurrent workers than max_size holding connections longer than the pool's timeout.
"""
import threading
import time

import labkit
from psycopg_pool import ConnectionPool


def leaked_connection(fix):
    pool = ConnectionPool(labkit.pg_dsn(), min_size=1, max_size=2, timeout=1)
    try:
        for _ in range(3):                              # three requests
            if fix is None:
                conn = pool.getconn()                   # never put back
                conn.execute("SELECT 1")
            elif fix == "connection-context-manager":
                with pool.connection() as conn:
                    conn.execute("SELECT 1")
            else:
                raise labkit.UnknownFix(fix)
        labkit.measure(max_size=2, requests=3)
    finally:
        pool.close(timeout=1)


def undersized_pool(fix):
    size = {None: 2, "size-pool-to-workers": 4}
    if fix not in size:
        raise labkit.UnknownFix(fix)
    pool = ConnectionPool(labkit.pg_dsn(), min_size=1, max_size=size[fix], timeout=1)
    errors = []

    def worker():
        try:
            with pool.connection() as conn:
                conn.execute("SELECT pg_sleep(1.5)")  # a slow report
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
        time.sleep(0.05)
    for t in threads:
        t.join()
    pool.close(timeout=1)
    labkit.measure(workers=4, max_size=size[fix], failed=len(errors))
    if errors:
        raise errors[0]


labkit.run({"leaked-connection": leaked_connection, "undersized-pool": undersized_pool})
