"""asyncpg connect: TimeoutError / ConnectionResetError
(knowledge/faults/asyncpg/connect-timeout.yaml).

Stand-ins on loopback: a port that accepts and never answers (a firewall or security group
dropping packets, a wrong host), a proxy that answers after 1.5 s (a slow link, an overloaded
server, a cold serverless database), and a port that resets the connection (not PostgreSQL, or
a middlebox refusing the SSL request).
"""
import asyncpg
import labkit
from kits import sqla_drivers as drv


async def slow_server(fix):
    port = drv.slow_proxy(1.5)
    if fix is None:
        conn = await asyncpg.connect(drv.dsn_with_port(port), timeout=1)
    elif fix == "raise-connect-timeout":
        conn = await asyncpg.connect(drv.dsn_with_port(port), timeout=10)
    else:
        raise labkit.UnknownFix(fix)
    assert await conn.fetchval("SELECT 1") == 1
    await conn.close()


async def silent_host(fix):
    if fix is None:
        dsn = drv.dsn_with_port(drv.silent_server())
    elif fix == "reachable-address":
        dsn = labkit.pg_dsn()
    else:
        raise labkit.UnknownFix(fix)
    conn = await asyncpg.connect(dsn, timeout=1)
    await conn.close()


async def reset_on_connect(fix):
    if fix is None:
        dsn = drv.dsn_with_port(drv.resetting_server())
    elif fix == "reachable-address":
        dsn = labkit.pg_dsn()
    else:
        raise labkit.UnknownFix(fix)
    conn = await asyncpg.connect(dsn, timeout=5)
    await conn.close()


labkit.run({"slow-server": slow_server, "silent-host": silent_host, "reset-on-connect": reset_on_connect})
