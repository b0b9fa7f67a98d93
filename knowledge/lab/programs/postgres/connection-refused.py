"""Connecting where no PostgreSQL answers: a closed port, an unresolvable name, no Unix socket."""
import asyncio

import labkit
from kits.pg_drivers import closed_loopback_port, port_is_free, start_forwarder_later, url_with


def server_down(fix):
    # The default port on this machine, where no server runs (the app started before Postgres).
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    if fix not in (None, "retry-on-startup"):
        raise labkit.UnknownFix(fix)
    if fix is None and not port_is_free(5432):
        raise labkit.NotApplicable("something listens on 127.0.0.1:5432 here")
    # The fixed run uses a free port of its own, so a parallel run never sees its stand-in server.
    port = 5432 if fix is None else closed_loopback_port()
    url = url_with(labkit.pg_url("asyncpg"), port=port)

    async def main():
        engine = create_async_engine(url)
        try:
            if fix is None:
                async with engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
                return
            from sqlalchemy.exc import OperationalError
            from sqlalchemy.ext.asyncio import AsyncEngine

            async def wait_for_db(engine: AsyncEngine, attempts: int = 30, delay: float = 1.0) -> None:
                for attempt in range(1, attempts + 1):
                    try:
                        async with engine.connect() as conn:
                            await conn.execute(text("SELECT 1"))
                        return
                    except (OSError, OperationalError):  # refused / unresolved while Postgres starts
                        if attempt == attempts:
                            raise
                        await asyncio.sleep(delay)

            server = await start_forwarder_later(port, labkit.pg_dsn(), delay=2.5)
            await wait_for_db(engine)
            server.cancel()
        finally:
            await engine.dispose()

    return main()


def wrong_port(fix):
    # PgBouncer's usual port, with no PgBouncer running.
    from sqlalchemy import create_engine, text

    if fix is not None:
        raise labkit.UnknownFix(fix)
    if not port_is_free(6432):
        raise labkit.NotApplicable("something listens on 127.0.0.1:6432 here")
    engine = create_engine(url_with(labkit.pg_url("psycopg2"), port=6432))
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def wrong_host_dns(fix):
    # A host name that cannot resolve anywhere (.invalid is reserved for that, RFC 6761).
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    if fix is not None:
        raise labkit.UnknownFix(fix)
    url = labkit.pg_url("asyncpg").replace("@127.0.0.1:", "@db.invalid:")

    async def main():
        engine = create_async_engine(url)
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        finally:
            await engine.dispose()

    return main()


def wrong_host_dns_psycopg3(fix):
    # psycopg 3 resolves the name itself before libpq connects (AsyncConnection since 3.1), so the
    # message is its own, not libpq's "could not translate host name".
    import psycopg

    if fix is not None:
        raise labkit.UnknownFix(fix)
    dsn = labkit.pg_dsn().replace("@127.0.0.1:", "@db.invalid:")

    async def main():
        conn = await psycopg.AsyncConnection.connect(dsn)
        await conn.close()

    return main()


def nonblocking_connect(fix):
    # psycopg2's asynchronous connection, polled the way psycogreen's gevent wait callback and
    # aiopg poll it: libpq's PQconnectPoll reports a refused connect without its host and port.
    import select

    import psycopg2
    import psycopg2.extensions

    if fix is not None:
        raise labkit.UnknownFix(fix)
    dsn = url_with(labkit.pg_dsn(), port=closed_loopback_port())
    conn = psycopg2.connect(dsn, async_=1)
    while True:
        state = conn.poll()
        if state == psycopg2.extensions.POLL_OK:
            break
        if state == psycopg2.extensions.POLL_READ:
            select.select([conn.fileno()], [], [])
        elif state == psycopg2.extensions.POLL_WRITE:
            select.select([], [conn.fileno()], [])


def nonblocking_connect_psycopg3(fix):
    # psycopg 3 always connects through libpq's nonblocking API (PQconnectStart/PQconnectPoll).
    import psycopg

    if fix is not None:
        raise labkit.UnknownFix(fix)
    if not port_is_free(5432):
        raise labkit.NotApplicable("something listens on 127.0.0.1:5432 here")
    psycopg.connect(url_with(labkit.pg_dsn(), port=5432)).close()


def unix_socket(fix):
    # No host in the URL: libpq looks for /var/run/postgresql/.s.PGSQL.5432.
    import os

    from sqlalchemy import create_engine, text

    database = labkit.pg_dsn().rsplit("/", 1)[1]
    if fix is None:
        if os.path.exists("/var/run/postgresql/.s.PGSQL.5432"):
            raise labkit.NotApplicable("a server listens on the default Unix socket here")
        engine = create_engine(f"postgresql+psycopg2://lab:lab@/{database}")
    elif fix == "tcp-instead-of-socket":
        engine = create_engine(labkit.pg_url("psycopg2"))  # postgresql+psycopg2://lab:lab@127.0.0.1:<port>/<db>
    else:
        raise labkit.UnknownFix(fix)
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def password_at_sign(fix):
    # A role whose password ends in "@", written raw into the URL: SQLAlchemy ends the password at
    # the first "@" and takes "@127.0.0.1" as the host, which libpq reads as an abstract Unix socket.
    import os
    import secrets
    from urllib.parse import quote_plus, urlsplit

    from kits.pg_admin import admin_sql
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import URL

    if fix not in (None, "url-encode-password"):
        raise labkit.UnknownFix(fix)
    parts = urlsplit(labkit.pg_dsn())
    database = parts.path.lstrip("/")
    role = f"lab_at_{secrets.token_hex(4)}"
    password = f"pw{secrets.token_hex(4)}@"
    admin_sql(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
    try:
        if fix is None:
            engines = [create_engine(f"postgresql+psycopg2://{role}:{password}@{parts.hostname}:{parts.port}/{database}")]
        else:
            os.environ["DB_PASSWORD"] = password
            engines = [
                create_engine(URL.create("postgresql+psycopg2", username=role, password=os.environ["DB_PASSWORD"],
                                         host=parts.hostname, port=parts.port, database=database)),
                create_engine(f"postgresql+psycopg2://{role}:{quote_plus(os.environ['DB_PASSWORD'])}@{parts.hostname}:{parts.port}/{database}"),
            ]
        for engine in engines:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            engine.dispose()
    finally:
        admin_sql(f"DROP ROLE IF EXISTS {role}")


labkit.run({
    "server-down": server_down,
    "password-at-sign": password_at_sign,
    "wrong-port": wrong_port,
    "wrong-host-dns": wrong_host_dns,
    "wrong-host-dns-psycopg3": wrong_host_dns_psycopg3,
    "unix-socket": unix_socket,
    "nonblocking-connect": nonblocking_connect,
    "nonblocking-connect-psycopg3": nonblocking_connect_psycopg3,
})
