"""Logins PostgreSQL (scram-sha-256) refuses: a wrong password, a password mangled by the URL, none."""
import os
import subprocess

import labkit
from kits.pg_drivers import temporary_role

DB_PASSWORD = "Zq%41n-7rv"  # a generated password with a '%' in it


def wrong_password(fix):
    # The role still has the password it was created with; the app was given a new one.
    from sqlalchemy import create_engine, text

    with temporary_role("first-password") as role:
        if fix == "reset-role-password":
            # The snippet's statement, run with psql as the superuser (here: no container around it).
            admin = labkit.pg_dsn()
            subprocess.run(
                ["psql", admin, "-c", f"ALTER ROLE \"{role.name}\" WITH PASSWORD 'same-value-as-DB_PASSWORD';"],
                check=True, stdout=subprocess.DEVNULL,
            )
        elif fix is not None:
            raise labkit.UnknownFix(fix)
        engine = create_engine(role.url("psycopg2", password="same-value-as-DB_PASSWORD"))
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        finally:
            engine.dispose()


def unencoded_url_password(fix):
    # The right password, pasted into the URL as is: SQLAlchemy decodes '%41' to 'A'.
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    async def main(role):
        if fix is None:
            engine = create_async_engine(role.url("asyncpg", password=os.environ["DB_PASSWORD"]))
        elif fix == "url-create":
            from sqlalchemy.engine import URL, make_url

            run = make_url(labkit.pg_url("asyncpg"))  # this run's host, port and database
            url = URL.create(
                "postgresql+asyncpg",
                username=role.name,
                password=os.environ["DB_PASSWORD"],  # no URL-encoding needed here
                host=run.host,
                port=run.port,
                database=run.database,
            )
            engine = create_async_engine(url)
        else:
            raise labkit.UnknownFix(fix)
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        finally:
            await engine.dispose()

    async def scenario():
        os.environ["DB_PASSWORD"] = DB_PASSWORD
        with temporary_role(DB_PASSWORD) as role:
            await main(role)

    return scenario()


def no_password(fix):
    # DATABASE_URL without a password, and no ~/.pgpass line for it.
    from sqlalchemy import create_engine, text

    with temporary_role("s3cret-from-the-vault") as role:
        if fix is None:
            os.environ["DATABASE_URL"] = role.url("psycopg2", password=None)
        elif fix == "supply-password":
            os.environ["DATABASE_URL"] = role.url("psycopg2", password="s3cret-from-the-vault")
        else:
            raise labkit.UnknownFix(fix)
        engine = create_engine(os.environ["DATABASE_URL"])
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        finally:
            engine.dispose()


labkit.run({
    "wrong-password": wrong_password,
    "unencoded-url-password": unencoded_url_password,
    "no-password": no_password,
})
