"""ValueError: the greenlet library is required to use this function. No module named 'greenlet'
(knowledge/faults/sqlalchemy/greenlet-not-installed.yaml).

The asyncio extension needs greenlet; pip skips it where no wheel exists (before SQLAlchemy
2.0 `pip install sqlalchemy` installed it only on listed platforms; Alpine/musl, some ARM and
new Python versions had none), and 2.0 no longer depends on it at all. The lab hides the
installed package with an import hook (kits/sqla_drivers.uninstall_greenlet), so `import
greenlet` fails exactly as on such an install; the fix is the package being importable.
"""
import sys

import labkit
from kits import sqla_drivers as drv


def async_engine_without_greenlet(fix):
    if fix is None:
        drv.uninstall_greenlet()
    elif fix != "install-asyncio-extra":
        raise labkit.UnknownFix(fix)
    import asyncio

    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    async def main():
        engine = create_async_engine(labkit.pg_url("asyncpg"))
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT 1"))).scalar() == 1
        await engine.dispose()

    asyncio.run(main())
    import greenlet  # noqa: F401  (the fix: the package is there)
    print("greenlet", greenlet.__version__, file=sys.stderr)


labkit.run({"no-greenlet": async_engine_without_greenlet})
