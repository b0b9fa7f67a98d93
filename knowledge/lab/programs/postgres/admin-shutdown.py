"""PostgreSQL admin_shutdown (57P01): the server ended the session while a query ran on it
(pg_terminate_backend, or a fast shutdown for a restart or failover)."""
import logging
import os
import sys
import threading
import time

import labkit
from kits.pg_admin import PrivateCluster, admin_sql

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")


def _run_report(dsn, fix, interrupt):
    """The app's unit of work: a slow report query. `interrupt` fires once, on the first attempt."""
    import psycopg

    def attempt():
        with psycopg.connect(dsn) as conn:
            return conn.execute("SELECT count(*) FROM generate_series(1, 3) s, pg_sleep(1.5)").fetchone()[0]

    if fix is None:
        interrupt()
        return attempt()
    if fix == "retry-on-disconnect":
        interrupt()
        for n in range(3):
            try:
                return attempt()
            except psycopg.OperationalError:
                # the session is gone, and with it the transaction: redo the whole unit of
                # work on a new connection, a bounded number of times, with a pause
                if n == 2:
                    raise
                time.sleep(0.5 * (n + 1))
    raise labkit.UnknownFix(fix)


def terminated_during_query(fix):
    # A maintenance job kills long-running sessions with pg_terminate_backend() and logs what it ran.
    fired = []

    def killer():
        time.sleep(0.7)
        sql = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT count(*) FROM generate_series%' AND pid <> pg_backend_pid()"
        logging.getLogger("maintenance").info(sql)
        admin_sql(sql)

    def interrupt():
        if not fired:
            fired.append(True)
            threading.Thread(target=killer).start()

    assert _run_report(labkit.pg_dsn(), fix, interrupt) == 3


def restart_during_query(fix):
    # The database restarts (a minor-version upgrade, a failover) while the app runs a query; the
    # output interleaves the database's log, as `docker compose up` shows it.
    cluster = PrivateCluster("restart").init()
    try:
        cluster.start()
        fired = []

        def restarter():
            time.sleep(0.7)
            cluster.stop("fast")
            with open(os.path.join(cluster.root, "log")) as log:
                for line in log:
                    if "shutdown request" in line:
                        print("db-1  | " + line.split("] ", 1)[-1].rstrip(), flush=True)
            cluster.start()

        def interrupt():
            if not fired:
                fired.append(True)
                t = threading.Thread(target=restarter)
                t.start()
                fired.append(t)

        try:
            assert _run_report(cluster.dsn(), fix, interrupt) == 3
        finally:
            if len(fired) > 1:
                fired[1].join()
    finally:
        cluster.remove()


def asyncpg_client_and_server_log(fix):
    # asyncpg sees only its side: the socket closed under a running query ("connection was closed in
    # the middle of operation"). The server's log, interleaved as `docker compose up` shows it, says why.
    import asyncio

    import asyncpg

    cluster = PrivateCluster("asyncpg-terminated").init()
    try:
        cluster.start()

        def killer():
            time.sleep(0.7)
            sql = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT count(*) FROM generate_series%' AND pid <> pg_backend_pid()"
            logging.getLogger("maintenance").info(sql)
            cluster.psql(sql)

        async def attempt():
            conn = await asyncpg.connect(host=cluster.socket_dir, port=cluster.port, user="lab", password="lab", database="postgres")
            try:
                return await conn.fetchval("SELECT count(*) FROM generate_series(1, 3) s, pg_sleep(1.5)")
            finally:
                await conn.close()

        async def report():
            threading.Thread(target=killer).start()
            if fix is None:
                return await attempt()
            if fix == "retry-on-disconnect":
                for n in range(3):
                    try:
                        return await attempt()
                    except (asyncpg.exceptions.ConnectionDoesNotExistError, asyncpg.exceptions.AdminShutdownError):
                        if n == 2:
                            raise
                        await asyncio.sleep(0.5 * (n + 1))
            raise labkit.UnknownFix(fix)

        try:
            assert asyncio.run(report()) == 3
        finally:
            with open(os.path.join(cluster.root, "log")) as log:
                for line in log:
                    if "FATAL:" in line:
                        print("db-1  | " + line.rstrip(), flush=True)
    finally:
        cluster.remove()


labkit.run({"terminated-during-query": terminated_during_query, "restart-during-query": restart_during_query,
            "asyncpg-client-and-server-log": asyncpg_client_and_server_log})
