"""Shared parts for the pool-exhaustion and asyncpg argument-type programs."""
import labkit

# The smallest pool that shows the fault fast: one connection, no overflow, a 1 s wait.
SMALL_POOL = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 1}


def async_engine(via="postgres", **options):
    from sqlalchemy.ext.asyncio import create_async_engine

    return create_async_engine(labkit.pg_url("asyncpg", via=via), **options)


class Peak:
    """Counts the connections requests hold at once (the most seen)."""

    def __init__(self):
        self.now = self.most = 0

    def __enter__(self):
        self.now += 1
        self.most = max(self.most, self.now)
        return self

    def __exit__(self, *exc):
        self.now -= 1


async def asyncpg_table(ddl):
    """A plain asyncpg connection with `ddl` run on it (one table for the scenario)."""
    import asyncpg

    conn = await asyncpg.connect(labkit.pg_dsn())
    await conn.execute(ddl)
    return conn
