"""PostgreSQL cannot_connect_now (57P03): the server is up but not accepting sessions yet (starting
up, replaying WAL after a crash, re-initialising after a backend crashed)."""
import os
import signal
import time

import labkit
from kits.pg_admin import PrivateCluster


def _connect_once(dsn):
    import psycopg2

    conn = psycopg2.connect(dsn, connect_timeout=3)
    conn.close()


def _connect_with_retry(dsn, attempts=60):
    # what the fix prints: retry the connection with a growing pause, then give up loudly
    import psycopg2

    delay = 0.1
    for n in range(attempts):
        try:
            conn = psycopg2.connect(dsn, connect_timeout=3)
            conn.close()
            return
        except psycopg2.OperationalError:
            if n == attempts - 1:
                raise
            time.sleep(delay)
            delay = min(delay * 1.5, 2.0)


def _first_rejection(dsn, deadline, want):
    """Connects in a tight loop (as an app started together with its database does) until the
    server refuses the session with the message `want` (the other refusals of the same moment
    are skipped, so the trace is the same on every run); returns that error or None."""
    import psycopg2

    while time.monotonic() < deadline:
        try:
            psycopg2.connect(dsn, connect_timeout=3).close()
            return None
        except psycopg2.OperationalError as e:
            # not listening yet, or dropped while the postmaster re-initialises: try again
            if want in str(e):
                return e
            time.sleep(0.002)
    return None


def starting_up(fix):
    # `docker compose up`: the app connects while PostgreSQL is still replaying WAL after an
    # unclean stop (the container was killed), so the postmaster answers but refuses sessions.
    cluster = PrivateCluster("startup").init()
    try:
        cluster.start()
        cluster.psql("CREATE TABLE filler AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 1000000) g")
        # the container was killed: crash recovery on the next start. The replay of a million rows
        # keeps the server refusing sessions long enough for a client on a loaded machine to see
        # it (with 300,000, trixie's PostgreSQL 17 was once ready first under load 8).
        cluster.stop("immediate")
        cluster.start(wait=False)
        dsn = cluster.dsn()
        if fix is None:
            error = _first_rejection(dsn, time.monotonic() + 20, "the database system is starting up")
            if error is None:
                raise labkit.NotApplicable("the server became ready before a connection was refused")
            raise error
        if fix == "retry-until-ready":
            _connect_with_retry(dsn)
            return
        raise labkit.UnknownFix(fix)
    finally:
        cluster.remove()


def recovery_mode(fix):
    # One backend crashed (here: killed with SIGKILL, as the kernel's OOM killer does): the
    # postmaster ends every session and re-initialises; new connections meanwhile are refused.
    import psycopg2

    cluster = PrivateCluster("recovery").init()
    try:
        cluster.start()
        victim = psycopg2.connect(cluster.dsn())
        with victim.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            pid = cur.fetchone()[0]
        os.kill(pid, signal.SIGKILL)
        dsn = cluster.dsn()
        if fix is None:
            error = _first_rejection(dsn, time.monotonic() + 20, "the database system is in recovery mode")
            if error is None:
                raise labkit.NotApplicable("the server re-initialised before a connection was refused")
            raise error
        if fix == "retry-until-ready":
            _connect_with_retry(dsn)
            return
        raise labkit.UnknownFix(fix)
    finally:
        cluster.remove()


labkit.run({"starting-up": starting_up, "recovery-mode": recovery_mode})
