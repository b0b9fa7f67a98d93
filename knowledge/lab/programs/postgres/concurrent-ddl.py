"""PostgreSQL's system-catalog race: two sessions create the same table, schema or extension at once.

A CREATE (even with IF NOT EXISTS, even SQLAlchemy's checking create_all()) looks for the name in
the catalog, which does not show another session's uncommitted CREATE; both go on to insert the
catalog row, the second waits on the catalog's unique index (pg_type_typname_nsp_index,
pg_namespace_nspname_index, pg_extension_name_index) and, when the first commits, fails with a
unique violation (23505) instead of "already exists".

Made deterministic with a barrier: the winner (a background thread, "the other replica") creates
the object in an open transaction and commits only once PostgreSQL shows this program's session
waiting on a lock; this program's session is the loser and dies with the real traceback.
"""
import threading
import time

import labkit
from kits.pg_errors import Session, admin

def wait_until_blocked(timeout=10.0):
    """Returns once another session of this database waits on a heavyweight lock (or after timeout)."""
    import psycopg2

    conn = psycopg2.connect(labkit.pg_dsn())
    conn.autocommit = True
    deadline = time.monotonic() + timeout
    try:
        with conn.cursor() as cur:
            while time.monotonic() < deadline:
                cur.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                if cur.fetchone()[0] > 0:
                    return
                time.sleep(0.05)
    finally:
        conn.close()


def race(winner, loser):
    """Runs winner(commit) in a thread: it creates, then commit() once the loser blocks; then loser()."""
    created = threading.Event()
    failure = []

    def other_replica():
        try:
            winner(created)
        except Exception as exc:  # noqa: BLE001 - reported below; the loser's error is the trace
            failure.append(exc)
            created.set()

    thread = threading.Thread(target=other_replica, daemon=True)
    thread.start()
    if not created.wait(10):
        raise RuntimeError("the other replica never created its object")
    try:
        loser()
    finally:
        thread.join(15)
    if failure:
        raise RuntimeError(f"the other replica failed: {failure[0]!r}")


def create_all_race(fix):
    # Each gunicorn/uvicorn worker (or replica) runs metadata.create_all() at start-up.
    from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, text
    from sqlalchemy.exc import IntegrityError

    if fix not in (None, "migrate-once-before-start", "advisory-lock", "retry-catalog-conflict"):
        raise labkit.UnknownFix(fix)
    md = MetaData()
    Table("jobs", md, Column("id", Integer, primary_key=True), Column("name", String(100), unique=True))
    engine = create_engine(labkit.pg_url("psycopg2"))

    def start_worker(conn):
        if fix == "advisory-lock":
            conn.execute(text("SELECT pg_advisory_xact_lock(727274)"))  # waits for the other worker
        md.create_all(conn)

    def winner(created):
        with engine.connect() as conn:
            trans = conn.begin()
            start_worker(conn)
            created.set()
            wait_until_blocked()
            trans.commit()

    def loser():
        if fix == "retry-catalog-conflict":
            for attempt in range(3):
                try:
                    with engine.begin() as conn:
                        start_worker(conn)
                    return
                except IntegrityError as exc:
                    constraint = getattr(getattr(exc.orig, "diag", None), "constraint_name", None) or ""
                    if not constraint.startswith("pg_") or attempt == 2:
                        raise  # a real duplicate row is not this race
                    time.sleep(0.1)
        with engine.begin() as conn:
            start_worker(conn)

    try:
        if fix == "migrate-once-before-start":
            with engine.begin() as conn:  # the init job, before any worker starts
                md.create_all(conn)
            for _ in range(2):  # the workers start after it and create nothing
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1 FROM jobs LIMIT 1"))
            return
        race(winner, loser)
    finally:
        engine.dispose()


def session_race(driver, create, loser_create=None, blocked_timeout=10.0, attempts=1, retryable=lambda exc: False):
    """The race over two raw sessions of `driver`: the winner runs create() and commits once the loser
    blocks; the loser runs loser_create (default: create) and commits, again while retryable(exc)."""

    def winner(created):
        session = Session(driver)
        try:
            create(session)
            created.set()
            wait_until_blocked(timeout=blocked_timeout)
            session.commit()
        finally:
            session.close()

    def loser():
        session = Session(driver)
        try:
            for attempt in range(attempts):
                try:
                    (loser_create or create)(session)
                    session.commit()
                    return
                except Exception as exc:  # noqa: BLE001 - re-raised unless this is the retried race
                    if attempt == attempts - 1 or not retryable(exc):
                        raise
                    session.execute("ROLLBACK")
        finally:
            session.close()

    race(winner, loser)


def lock_then(session, fix, ddl):
    if fix == "advisory-lock":
        session.execute("SELECT pg_advisory_xact_lock(727274)")  # waits for the other replica
    session.execute(ddl)


def if_not_exists_race(fix):
    # Two services run the same raw CREATE TABLE IF NOT EXISTS at start-up (asyncpg).
    if fix not in (None, "advisory-lock", "retry-catalog-conflict"):
        raise labkit.UnknownFix(fix)
    import asyncpg

    ddl = "CREATE TABLE IF NOT EXISTS consensus (shard text NOT NULL, seq bigint NOT NULL, PRIMARY KEY (shard, seq))"

    def create(session):
        session.execute("BEGIN")
        lock_then(session, fix, ddl)

    def catalog_conflict(exc):
        # only the race on a catalog index is retried: a real duplicate row is not this race
        return fix == "retry-catalog-conflict" and isinstance(exc, asyncpg.exceptions.UniqueViolationError) and (exc.constraint_name or "").startswith("pg_")

    session_race("asyncpg", create, attempts=3, retryable=catalog_conflict)


def schema_race(fix):
    # Two tenants' set-ups (or two test workers) run CREATE SCHEMA IF NOT EXISTS at once (psycopg2).
    if fix not in (None, "advisory-lock", "per-worker-names"):
        raise labkit.UnknownFix(fix)
    per_worker = fix == "per-worker-names"
    session_race(
        "psycopg2",
        lambda session: lock_then(session, fix, f"CREATE SCHEMA IF NOT EXISTS {'test_gw0' if per_worker else 'reporting'}"),
        lambda session: lock_then(session, fix, f"CREATE SCHEMA IF NOT EXISTS {'test_gw1' if per_worker else 'reporting'}"),
        blocked_timeout=3 if per_worker else 10,
    )


def extension_race(fix):
    # Two services each run CREATE EXTENSION IF NOT EXISTS at start-up (psycopg2).
    if fix not in (None, "advisory-lock", "migrate-once-before-start"):
        raise labkit.UnknownFix(fix)
    ddl = "CREATE EXTENSION IF NOT EXISTS pgcrypto"
    if fix == "migrate-once-before-start":
        admin(ddl)  # the database's init step, once
        for _ in range(2):
            session = Session("psycopg2")
            try:
                session.execute(ddl)  # a notice: already exists, skipping
                session.commit()
            finally:
                session.close()
        return
    session_race("psycopg2", lambda session: lock_then(session, fix, ddl))


labkit.run({
    "create-all-race": create_all_race,
    "if-not-exists-race": if_not_exists_race,
    "schema-race": schema_race,
    "extension-race": extension_race,
})
