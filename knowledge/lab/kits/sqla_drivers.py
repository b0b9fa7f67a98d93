"""Helpers for the driver-disconnect and SQLAlchemy API programs of issue 14 (kb-sqla).

Used by programs/asyncpg/*, programs/psycopg2/*, programs/psycopg/* and some of
programs/sqlalchemy/* added with them. Stand-ins for the network are real sockets on loopback:
a server that accepts and never answers (a firewall dropping packets), one that resets the
connection, a proxy that forwards to the run's PostgreSQL after a delay. A backend is killed
with pg_terminate_backend from a second connection, as a restart, a failover or an idle timeout
in a proxy would.
"""
from __future__ import annotations

import importlib.abc
import socket
import sys
import threading
import time
import warnings
from typing import Any, Callable, List, Optional
from urllib.parse import urlsplit

import labkit


def terminate_backend(pid: int) -> None:
    """Kills one server connection from a second, plain psycopg2 connection."""
    import psycopg2

    admin = psycopg2.connect(labkit.pg_dsn())
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
    admin.close()


def terminate_later(pid: int, delay: float = 0.5) -> threading.Thread:
    """Kills the backend `pid` after `delay` seconds (while the program's query is running)."""
    t = threading.Thread(target=lambda: (time.sleep(delay), terminate_backend(pid)), daemon=True)
    t.start()
    return t


def _serve(handle: Callable[[socket.socket], None]) -> int:
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)

    def loop() -> None:
        while True:
            conn, _ = srv.accept()
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    return srv.getsockname()[1]


def silent_server() -> int:
    """A loopback port that accepts TCP and never answers: a host behind a dropping firewall."""
    held: List[socket.socket] = []
    return _serve(held.append)


def resetting_server() -> int:
    """A loopback port that reads the first bytes and resets the connection (RST)."""

    def handle(conn: socket.socket) -> None:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        conn.recv(1024)
        conn.close()

    return _serve(handle)


def slow_proxy(delay: float, opened: Optional[List[socket.socket]] = None) -> int:
    """A loopback port that forwards to the run's PostgreSQL, answering only after `delay` s.

    Client sockets are appended to `opened` when given (see dropping_proxy)."""
    target = urlsplit(labkit.pg_dsn())

    def pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def handle(conn: socket.socket) -> None:
        if opened is not None:
            opened.append(conn)
        time.sleep(delay)
        upstream = socket.create_connection((target.hostname, target.port))
        threading.Thread(target=pipe, args=(conn, upstream), daemon=True).start()
        pipe(upstream, conn)

    return _serve(handle)


def dropping_proxy() -> Any:
    """(port, drop): a proxy to the run's PostgreSQL; drop() closes every client connection
    without a PostgreSQL goodbye, as a load balancer, NAT or failover does."""
    opened: List[socket.socket] = []
    port = slow_proxy(0, opened)

    def drop() -> None:
        cut = list(opened)
        opened.clear()
        for conn in cut:
            try:
                conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            except OSError:
                pass

    return port, drop


def dsn_with_port(port: int, scheme: Optional[str] = None) -> str:
    """The run's DSN (or SQLAlchemy URL with `scheme`) pointed at another loopback port."""
    parts = urlsplit(labkit.pg_dsn())
    netloc = f"{parts.username}:{parts.password}@127.0.0.1:{port}"
    return f"{scheme or parts.scheme}://{netloc}{parts.path}"


class _NoGreenlet(importlib.abc.MetaPathFinder):
    """Makes `import greenlet` fail exactly as on an install without the package."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> None:
        if fullname == "greenlet" or fullname.startswith("greenlet."):
            raise ModuleNotFoundError(f"No module named '{fullname}'", name=fullname)
        return None


def uninstall_greenlet() -> None:
    """Hides the installed greenlet before SQLAlchemy is imported (a wheel-less platform, or a
    `pip install sqlalchemy` that skipped the optional dependency). Call before any sqlalchemy import."""
    for name in list(sys.modules):
        if name == "greenlet" or name.startswith("greenlet.") or name.startswith("sqlalchemy"):
            del sys.modules[name]
    sys.meta_path.insert(0, _NoGreenlet())


def raise_first_warning(records: List[warnings.WarningMessage], category: type) -> None:
    """Re-raises the first warning of `category` as an exception, so the run fails with it."""
    for w in records:
        if issubclass(w.category, category):
            raise w.category(str(w.message))


def tls_dropping_proxy() -> Any:
    """(port, drop): a TLS-terminating proxy in front of the run's PostgreSQL (as a cloud
    database's proxy or a load balancer doing TLS), whose drop() closes every client's TCP
    connection without a TLS close_notify, the way an idle timeout or a failover cuts it.

    It answers libpq's SSLRequest with 'S', does the TLS handshake with a throwaway
    self-signed certificate (made with the openssl CLI in the working folder) and forwards the
    plain protocol to the server.
    """
    import os
    import select
    import ssl
    import subprocess

    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
         "-days", "1", "-keyout", "proxy.key", "-out", "proxy.crt"],
        check=True, capture_output=True)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.abspath("proxy.crt"), os.path.abspath("proxy.key"))
    target = urlsplit(labkit.pg_dsn())
    clients: List[Any] = []

    def handle(conn: socket.socket) -> None:
        if conn.recv(8)[4:] != b"\x04\xd2\x16\x2f":   # SSLRequest code 80877103
            conn.close()
            return
        conn.sendall(b"S")
        tls = ctx.wrap_socket(conn, server_side=True)
        dropped = threading.Event()
        clients.append((tls, dropped))
        upstream = socket.create_connection((target.hostname, target.port))
        while not dropped.is_set():
            ready, _, _ = select.select([tls, upstream], [], [], 0.05)
            if tls in ready or tls.pending():
                data = tls.recv(65536)
                if not data:
                    break
                upstream.sendall(data)
            if upstream in ready:
                data = upstream.recv(65536)
                if not data:
                    break
                tls.sendall(data)
        upstream.close()

    port = _serve(handle)

    def drop() -> None:
        cut = list(clients)
        clients.clear()
        for _, dropped in cut:
            dropped.set()
        time.sleep(0.1)
        for tls, _ in cut:
            try:
                socket.socket.shutdown(tls, socket.SHUT_RDWR)   # TCP FIN, no close_notify
            except OSError:
                pass

    return port, drop
