"""PostgreSQL and SSL disagree: the client requires SSL from a server that has none, or the
server rejects a plaintext connection (pg_hba.conf `hostnossl ... reject`)."""
import labkit
from kits.pg_admin import PrivateCluster


def sslmode_require_no_ssl_server(fix):
    # A production URL (?sslmode=require) used against a local or CI PostgreSQL without SSL.
    from sqlalchemy import create_engine, text

    if fix == "enable-ssl-on-server":
        # the other way round: give the server a certificate and keep sslmode=require (the
        # lab's shared server must not change, so a private one stands in for it)
        cluster = PrivateCluster("withssl", tcp=True).init()
        try:
            cluster.enable_ssl()
            cluster.start()
            engine = create_engine(cluster.tcp_dsn().replace("postgresql://", "postgresql+psycopg2://") + "?sslmode=require")
            with engine.connect() as conn:
                assert conn.execute(text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).scalar() is True
            engine.dispose()
        finally:
            cluster.remove()
        return
    if fix is None:
        url = labkit.pg_url("psycopg2") + "?sslmode=require"
    elif fix == "sslmode-per-environment":
        url = labkit.pg_url("psycopg2") + "?sslmode=prefer"  # local/CI: TLS if offered, else plaintext
    else:
        raise labkit.UnknownFix(fix)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    finally:
        engine.dispose()


async def asyncpg_ssl_require(fix):
    import asyncpg

    if fix is None:
        ssl = "require"
    elif fix == "sslmode-per-environment":
        ssl = "prefer"
    else:
        raise labkit.UnknownFix(fix)
    conn = await asyncpg.connect(labkit.pg_dsn(), ssl=ssl)
    await conn.close()


async def server_rejects_plaintext(fix):
    # A managed server (rds.force_ssl, Azure require_secure_transport) rejects non-SSL clients.
    import asyncpg

    cluster = PrivateCluster("forcessl", tcp=True, hba=["hostnossl all all 127.0.0.1/32 reject", "hostssl all all 127.0.0.1/32 scram-sha-256"]).init()
    try:
        cluster.enable_ssl()
        cluster.start()
        if fix is None:
            ssl = False  # sslmode=disable in the app's settings
        elif fix == "require-ssl-in-client":
            ssl = "require"
        else:
            raise labkit.UnknownFix(fix)
        conn = await asyncpg.connect(cluster.tcp_dsn(), ssl=ssl)
        await conn.close()
    finally:
        cluster.remove()


labkit.run({
    "sslmode-require-no-ssl-server": sslmode_require_no_ssl_server,
    "asyncpg-ssl-require": asyncpg_ssl_require,
    "server-rejects-plaintext": server_rejects_plaintext,
})
