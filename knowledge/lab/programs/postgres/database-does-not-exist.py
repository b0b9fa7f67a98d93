"""database "..." does not exist (3D000) at connect, through psycopg2 and asyncpg.

missing-database: DATABASE_URL names a database the server does not have (a new server or
volume, a renamed database, a typo); the role and password are right.
"""
from urllib.parse import urlsplit, urlunsplit

from kits.pg_errors import Session, admin, both_drivers, expect_fix

import labkit


def missing_database(driver, fix):
    expect_fix(fix, ["create-database", "fix-database-name"])
    parts = urlsplit(labkit.pg_dsn())
    own = parts.path.lstrip("/")
    wanted = f"{own}_orders"[:63]  # per run: databases are cluster-wide
    if fix == "fix-database-name":
        wanted = own
    if fix == "create-database":
        admin(f'CREATE DATABASE "{wanted}"')
    try:
        session = Session(driver, dsn=urlunsplit((parts.scheme, parts.netloc, "/" + wanted, "", "")))
        session.execute("SELECT 1")
        session.close()
    finally:
        if fix == "create-database":
            admin(f'DROP DATABASE IF EXISTS "{wanted}"')


labkit.run(both_drivers({"missing-database": missing_database}))
