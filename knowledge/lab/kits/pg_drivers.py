"""Shared helpers for the lab programs of the PostgreSQL driver and connection faults.

Used by programs/asyncpg/prepared-statement-pgbouncer.py and programs/postgres/*.
"""
from __future__ import annotations

import asyncio
import os
import socket
from typing import Any, Awaitable, Callable, List, Optional
from urllib.parse import urlsplit, urlunsplit

import labkit


def prefork_rounds(work: Callable[[int], Awaitable[Any]], *, workers: int = 4, rounds: int = 6) -> None:
    """Runs `work(worker_no)` in `workers` processes at once, `rounds` times over.

    Each round forks `workers - 1` children from this process, the way gunicorn or uvicorn
    `--workers` start an app, and runs worker 0 here. The failure this is for (statement names
    colliding on a backend PgBouncer shares between clients) is intermittent, so every round
    runs and the counts are reported with labkit.measure. When a round failed, this process
    re-raises its own first error (a real traceback for the lab to diagnose); if only children
    failed, it raises one with what they reported.
    """
    failed_rounds = 0
    own_error: Optional[BaseException] = None
    child_errors: List[str] = []
    for _ in range(rounds):
        children = []
        for worker_no in range(1, workers):
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:  # child: report through the pipe, keep stderr for the parent's trace
                os.close(read_fd)
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 2)
                message = ""
                try:
                    asyncio.run(work(worker_no))
                except BaseException as exc:  # noqa: BLE001 - any failure is this round's result
                    message = f"{type(exc).__module__}.{type(exc).__qualname__}: {exc}"[:2000]
                os.write(write_fd, message.encode())
                os.close(write_fd)
                os._exit(1 if message else 0)
            os.close(write_fd)
            children.append((pid, read_fd))
        round_failed = False
        try:
            asyncio.run(work(0))
        except Exception as exc:  # noqa: BLE001 - counted, re-raised after the last round
            round_failed = True
            own_error = own_error or exc
        for pid, read_fd in children:
            with os.fdopen(read_fd, "rb") as pipe:
                message = pipe.read().decode(errors="replace")
            os.waitpid(pid, 0)
            if message:
                round_failed = True
                child_errors.append(message)
        failed_rounds += round_failed
    labkit.measure(rounds=rounds, failed_rounds=failed_rounds, worker_processes=workers)
    if own_error is not None:
        raise own_error
    if child_errors:
        raise RuntimeError(f"{failed_rounds} of {rounds} rounds failed in worker processes; first: {child_errors[0]}")


def url_with(url: str, *, password: Optional[str] = None, port: Optional[int] = None) -> str:
    """The same URL with another password or port (a wrong password, a port nobody listens on)."""
    parts = urlsplit(url)
    user = parts.username or ""
    host = parts.hostname or "127.0.0.1"
    netloc = f"{user}:{password if password is not None else parts.password}@{host}:{port or parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def closed_loopback_port() -> int:
    """A loopback TCP port with nothing listening on it (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def settle(cleanup: Awaitable[Any], *clients: Awaitable[Any]) -> None:
    """Runs the clients to the end, closes the pool, then raises the first client error.

    Letting every client finish (instead of cancelling the others on the first error) and
    closing the pool inside the event loop keeps the output to the one real traceback, without
    "Event loop is closed" noise from connections collected after the loop is gone.
    """
    results = await asyncio.gather(*clients, return_exceptions=True)
    await cleanup
    for result in results:
        if isinstance(result, BaseException):
            raise result


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


async def start_forwarder_later(listen_port: int, target_url: str, delay: float) -> asyncio.Task:
    """After `delay` seconds, accepts on 127.0.0.1:listen_port and forwards to the run's server.

    Stands in for a database that is still starting when the app first connects (the
    `docker compose up` race): refused at first, accepting a moment later.
    """
    target = urlsplit(target_url)

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        server_r, server_w = await asyncio.open_connection(target.hostname, target.port)
        await asyncio.gather(pipe(client_r, server_w), pipe(server_r, client_w))

    async def serve() -> None:
        await asyncio.sleep(delay)
        server = await asyncio.start_server(handle, "127.0.0.1", listen_port)
        async with server:
            await server.serve_forever()

    return asyncio.create_task(serve())


class temporary_role:
    """A login role with a known password, dropped on exit (roles are cluster-wide, databases are not).

    `with temporary_role("s3cret") as role:` gives role.name and role.url(driver, password=...).
    """

    def __init__(self, password: str) -> None:
        self.password = password
        self.name = f"app_{os.getpid()}_{os.urandom(3).hex()}"

    def __enter__(self) -> "temporary_role":
        self._admin("CREATE ROLE {} LOGIN PASSWORD %s", self.password)
        return self

    def __exit__(self, *exc: Any) -> None:
        self._admin("DROP ROLE IF EXISTS {}")

    def _admin(self, sql: str, *params: Any) -> None:
        import psycopg2
        from psycopg2 import sql as pgsql

        conn = psycopg2.connect(labkit.pg_dsn())
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(pgsql.SQL(sql).format(pgsql.Identifier(self.name)), params or None)
        finally:
            conn.close()

    def url(self, driver: str, password: Optional[str]) -> str:
        """The run's database as this role; password=None leaves it out of the URL."""
        base = urlsplit(labkit.pg_url(driver))
        auth = self.name if password is None else f"{self.name}:{password}"
        return urlunsplit((base.scheme, f"{auth}@{base.hostname}:{base.port}", base.path, "", ""))
