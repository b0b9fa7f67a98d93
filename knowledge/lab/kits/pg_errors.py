"""Runs SQL through psycopg2 or asyncpg for the PostgreSQL error-code faults (programs/postgres/*).

A program describes each scenario once, as a function of the driver; `both_drivers` turns it into
two lab scenarios, `<id>` (psycopg2) and `<id>-asyncpg`, since the two drivers spell the same
server error differently (psycopg2.errors.UndefinedTable, asyncpg.exceptions.UndefinedTableError)
and users paste both. Errors are never caught here: the program dies with the real traceback.
"""
from __future__ import annotations

import asyncio
import threading
import time
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence

import labkit

DRIVERS = ("psycopg2", "asyncpg")


def admin(*statements: str) -> None:
    """Runs statements as the lab's owner role on the run's database, autocommit (the schema the app expects)."""
    import psycopg2

    conn = psycopg2.connect(labkit.pg_dsn())
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            for sql in statements:
                cur.execute(sql)
    finally:
        conn.close()


class Session:
    """One connection of the app, with a synchronous execute() for either driver.

    psycopg2 opens a transaction on the first statement (commit() ends it), as apps use it;
    asyncpg runs each statement on its own unless the program sends BEGIN. Each asyncpg session
    owns an event loop, so two sessions can block each other from two threads.
    """

    def __init__(self, driver: str, dsn: Optional[str] = None, **connect_args: Any) -> None:
        self.driver = driver
        dsn = dsn or labkit.pg_dsn()
        if driver == "psycopg2":
            import psycopg2

            self.conn = psycopg2.connect(dsn, **connect_args)
            self.loop = None
        elif driver == "psycopg":  # psycopg 3: same transaction behaviour as psycopg2 here
            import psycopg

            self.conn = psycopg.connect(dsn, **connect_args)
            self.loop = None
        elif driver == "asyncpg":
            import asyncpg

            self.loop = asyncio.new_event_loop()
            self.conn = self.loop.run_until_complete(asyncpg.connect(dsn, **connect_args))
        else:
            raise ValueError(driver)

    def execute(self, sql: str, *args: Any) -> List[tuple]:
        """Runs one statement and returns its rows (if any)."""
        if self.loop is None:
            with self.conn.cursor() as cur:
                cur.execute(sql, args or None)
                return cur.fetchall() if cur.description else []
        rows = self.loop.run_until_complete(self.conn.fetch(sql, *args))
        return [tuple(r) for r in rows]

    def commit(self) -> None:
        if self.loop is None:
            self.conn.commit()
        else:
            self.execute("COMMIT")

    def rollback(self) -> None:
        if self.loop is None:
            self.conn.rollback()
        else:
            self.execute("ROLLBACK")

    def close(self) -> None:
        if self.loop is None:
            self.conn.close()
        else:
            self.loop.run_until_complete(self.conn.close())
            self.loop.close()


def execute(driver: str, statements: Iterable[str], **connect_args: Any) -> List[tuple]:
    """Runs statements in order on one new connection, committing at the end; returns the last rows."""
    session = Session(driver, **connect_args)
    rows: List[tuple] = []
    try:
        for sql in statements:
            rows = session.execute(sql)
        if session.loop is None:
            session.commit()
    finally:
        session.close()
    return rows


def in_background(work: Callable[[], Any], delay: float = 0.0) -> threading.Thread:
    """Starts work() in a thread after `delay` seconds (the other session of a lock conflict)."""

    def go() -> None:
        time.sleep(delay)
        try:
            work()
        except Exception:  # noqa: BLE001 - the background session's own error is not the trace
            pass

    thread = threading.Thread(target=go, daemon=True)
    thread.start()
    return thread


def both_drivers(scenarios: Dict[str, Callable[[str, Optional[str]], Any]]) -> Dict[str, Callable[[Optional[str]], Any]]:
    """{"missing-table": fn} -> {"missing-table": fn(psycopg2), "missing-table-asyncpg": fn(asyncpg)}."""
    out: Dict[str, Callable[[Optional[str]], Any]] = {}
    for name, fn in scenarios.items():
        out[name] = lambda fix, fn=fn: fn("psycopg2", fix)
        out[f"{name}-asyncpg"] = lambda fix, fn=fn: fn("asyncpg", fix)
    return out


def expect_fix(fix: Optional[str], known: Sequence[str]) -> None:
    """Raises labkit.UnknownFix for a fix id this scenario does not implement."""
    if fix is not None and fix not in known:
        raise labkit.UnknownFix(fix)
