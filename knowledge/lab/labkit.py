"""Shared helpers for the knowledge lab's programs.

A lab program reproduces one fault on real libraries and applies each of its fixes:

    python3 knowledge/lab/programs/<library>/<slug>.py <scenario> [--fix <fix-id>[/<form-id>]]

Without --fix the scenario must fail with the fault's error (a traceback on stderr, exit 1).
With --fix it must run clean (exit 0). A program raises NotApplicable (exit 77) when the world
cannot run that case at all (an API the installed version lacks is *not* that: it is a failure).

The same program runs in both worlds (Debian 12: SQLAlchemy 1.4, pydantic 1; Debian 13:
SQLAlchemy 2.0, pydantic 2), so write it in what both lines share, and branch on
`version("sqlalchemy")` only where the fault itself differs.
"""
from __future__ import annotations

import asyncio
import inspect
import json
import os
import sys
from importlib import metadata
from typing import Any, Callable, Dict, Optional
from urllib.parse import urlsplit, urlunsplit

NOT_APPLICABLE_EXIT = 77


class NotApplicable(Exception):
    """This world cannot run this case (no such service or package); exits 77 with the reason."""


def version(dist: str) -> Optional[str]:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def major(dist: str) -> int:
    v = version(dist)
    return int(v.split(".")[0]) if v else 0


def pg_url(driver: str = "asyncpg", via: str = "postgres") -> str:
    """The run's own fresh database, as a SQLAlchemy URL for `driver` (asyncpg, psycopg2, psycopg).

    via="pgbouncer" goes through PgBouncer in transaction mode (when the fault lists it).
    """
    env = "LAB_PGBOUNCER_URL" if via == "pgbouncer" else "LAB_PG_URL"
    raw = os.environ.get(env)
    if not raw:
        raise NotApplicable(f"{env} is not set: this fault needs the lab's {via} service")
    parts = urlsplit(raw)
    return urlunsplit((f"postgresql+{driver}", parts.netloc, parts.path, parts.query, parts.fragment))


def pg_dsn(via: str = "postgres") -> str:
    """The same database as a plain libpq/asyncpg DSN (postgresql://user:pass@host:port/db)."""
    env = "LAB_PGBOUNCER_URL" if via == "pgbouncer" else "LAB_PG_URL"
    raw = os.environ.get(env)
    if not raw:
        raise NotApplicable(f"{env} is not set: this fault needs the lab's {via} service")
    return raw


def measure(**figures: float) -> None:
    """Reports measured figures (queries, connections, round_trips) for the lab to record."""
    print("LAB-MEASURE " + json.dumps(figures), flush=True)


class QueryCounter:
    """Counts the SQL statements an Engine or AsyncEngine sends (works on 1.4 and 2.0)."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.count = 0
        self.statements: list = []
        target = getattr(engine, "sync_engine", engine)

        def before(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
            self.count += 1
            self.statements.append(statement)

        event.listen(target, "before_cursor_execute", before)

    def reset(self) -> None:
        self.count = 0
        self.statements = []


def run(scenarios: Dict[str, Callable[..., Any]]) -> None:
    """Dispatches `<scenario> [--fix X]` to scenarios[name](fix) (sync or async)."""
    args = sys.argv[1:]
    if not args or args[0] not in scenarios:
        sys.stderr.write(f"usage: {sys.argv[0]} <{'|'.join(scenarios)}> [--fix FIX]\n")
        sys.exit(2)
    name, rest = args[0], args[1:]
    fix: Optional[str] = None
    if rest:
        if len(rest) != 2 or rest[0] != "--fix":
            sys.stderr.write("usage: ... <scenario> [--fix FIX]\n")
            sys.exit(2)
        fix = rest[1]
    fn = scenarios[name]
    try:
        result = fn(fix)
        if inspect.iscoroutine(result):
            asyncio.run(result)
    except NotApplicable as exc:
        print(f"LAB-NOT-APPLICABLE {exc}", flush=True)
        sys.exit(NOT_APPLICABLE_EXIT)
    except UnknownFix as exc:
        sys.stderr.write(f"LAB-UNKNOWN-FIX {exc}\n")
        sys.exit(3)


class UnknownFix(Exception):
    """Raise for a fix id the scenario does not implement: the run fails, so a typo never passes."""

    def __init__(self, fix: Optional[str]) -> None:
        super().__init__(f"this scenario does not implement fix {fix!r}")
