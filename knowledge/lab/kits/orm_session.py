"""Shared world for the SQLAlchemy ORM/session programs (missing-greenlet, detached-instance, ...).

Two small object graphs, written so one definition maps on SQLAlchemy 1.4 and 2.0:

- Organization <- User.organization        (many-to-one)
- Author.books -> Book                      (one-to-many collection)

`seed` puts in 3 organizations with one user each, and 3 authors with 2 books each, so a
loader's query count for "3 users with their organization" / "3 authors with their books"
can be measured and quoted.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Callable, Dict, List, Optional

import labkit
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

SA2 = labkit.major("sqlalchemy") >= 2

Relationship = Callable[[], Any]


def define(
    base: Any = None,
    organization: Optional[Relationship] = None,
    books: Optional[Relationship] = None,
    annotations: Optional[Dict[str, Dict[str, Any]]] = None,
    **extra: Dict[str, Any],
) -> SimpleNamespace:
    """Maps the four classes on `base` (a fresh declarative_base() by default).

    organization / books build the two relationships (a program passes its own to apply a fix,
    e.g. `lambda: relationship(lazy="selectin")`); annotations adds class annotations
    ({"User": {"organization": Mapped["Organization"]}}) for the 2.0 annotated form;
    extra adds attributes per class ({"User": {"bio": deferred(Column(String))}}).
    """
    Base = base if base is not None else declarative_base()
    annotations = annotations or {}
    organization = organization or (lambda: relationship("Organization"))
    books = books or (lambda: relationship("Book"))

    def cls(name: str, table: str, body: Dict[str, Any]) -> Any:
        body = {"__tablename__": table, "id": Column(Integer, primary_key=True), **body, **extra.get(name, {})}
        if name in annotations:
            body["__annotations__"] = annotations[name]
        return type(name, (Base,), body)

    ns = SimpleNamespace(Base=Base)
    ns.Organization = cls("Organization", "organizations", {"name": Column(String(50), nullable=False)})
    ns.User = cls("User", "users", {
        "name": Column(String(50), nullable=False),
        "organization_id": Column(ForeignKey("organizations.id")),
        "organization": organization(),
    })
    ns.Author = cls("Author", "authors", {"name": Column(String(50), nullable=False), "books": books()})
    ns.Book = cls("Book", "books", {
        "title": Column(String(80), nullable=False),
        "author_id": Column(ForeignKey("authors.id"), nullable=False),
    })
    return ns


def rows(m: SimpleNamespace) -> List[Any]:
    """3 users with their own organization, 3 authors with 2 books each."""
    out: List[Any] = []
    for i in range(1, 4):
        org = m.Organization(id=i, name=f"org-{i}")
        out += [org, m.User(id=i, name=f"user-{i}", organization_id=org.id)]
        out.append(m.Author(id=i, name=f"author-{i}"))
        out += [m.Book(id=10 * i + j, title=f"book-{i}-{j}", author_id=i) for j in (1, 2)]
    return out


def _sync_sequences(m: SimpleNamespace) -> List[Any]:
    """Statements that move each id sequence past the seeded ids, so a new row gets a fresh id."""
    from sqlalchemy import text

    return [
        text(f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), (SELECT max(id) FROM {t.name}))")
        for t in m.Base.metadata.sorted_tables
        if "id" in t.c and t.c.id.primary_key and t.c.id.autoincrement in (True, "auto")
    ]


async def async_engine(m: SimpleNamespace, seed: bool = True, **kw: Any) -> Any:
    """An AsyncEngine on the run's database (asyncpg) with the tables created and seeded."""
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

    engine = create_async_engine(labkit.pg_url("asyncpg"), **kw)
    async with engine.begin() as conn:
        await conn.run_sync(m.Base.metadata.create_all)
    if seed:
        async with AsyncSession(engine) as s:
            s.add_all(rows(m))
            await s.flush()
            for stmt in _sync_sequences(m):
                await s.execute(stmt)
            await s.commit()
    return engine


def sync_engine(m: SimpleNamespace, seed: bool = True, **kw: Any) -> Any:
    """An Engine on the run's database (psycopg2) with the tables created and seeded."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    engine = create_engine(labkit.pg_url("psycopg2"), **kw)
    m.Base.metadata.create_all(engine)
    if seed:
        with Session(engine) as s:
            s.add_all(rows(m))
            s.flush()
            for stmt in _sync_sequences(m):
                s.execute(stmt)
            s.commit()
    return engine


def report_queries(counter: "labkit.QueryCounter", **more: float) -> None:
    """Reports the statements counted since the counter's last reset (plus other figures)."""
    labkit.measure(queries=counter.count, **more)


async def asgi_get(app: Any, path: str) -> Any:
    """Sends one GET to an ASGI app in-process (no server, no httpx) and returns (status, body).

    An exception the app does not handle propagates, traceback and all, like under uvicorn.
    """
    sent: List[Dict[str, Any]] = []

    async def receive() -> Dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": [], "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80),
    }
    await app(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body


def terminate_backend(pid: int) -> None:
    """Kills one server connection from outside the program's pool, as a restart or proxy would."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    admin = create_engine(labkit.pg_url("psycopg2"), poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()
