"""PostgreSQL character_not_in_repertoire (22021): NUL bytes in text, and Latin-1 bytes read as UTF-8."""
import os

import labkit
from kits.pg_admin import admin_sql

# Text scraped from a PDF: a NUL byte survives the extraction.
SCRAPED = "Quarterly report\x00 page 2"


async def nul_in_text_asyncpg(fix):
    import asyncpg

    admin_sql("CREATE TABLE documents (id serial PRIMARY KEY, body text)")
    if fix is None:
        body = SCRAPED
    elif fix == "strip-nul":
        body = SCRAPED.replace("\x00", "")
    else:
        raise labkit.UnknownFix(fix)
    conn = await asyncpg.connect(labkit.pg_dsn())
    try:
        await conn.execute("INSERT INTO documents (body) VALUES ($1)", body)
    finally:
        await conn.close()


def nul_in_text_psycopg2(fix):
    # psycopg2 refuses the value before sending it: the same fault, caught on the client.
    from sqlalchemy import create_engine, text

    admin_sql("CREATE TABLE documents (id serial PRIMARY KEY, body text)")
    if fix is None:
        body = SCRAPED
    elif fix == "strip-nul":
        body = SCRAPED.replace("\x00", "")
    else:
        raise labkit.UnknownFix(fix)
    engine = create_engine(labkit.pg_url("psycopg2"))
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO documents (body) VALUES (:body)"), {"body": body})
    finally:
        engine.dispose()


def latin1_file_copy(fix):
    # A CSV exported by a Windows tool in Latin-1, loaded with COPY as if it were UTF-8.
    import psycopg2

    admin_sql("CREATE TABLE customers (name text, city text)")
    with open("customers.csv", "wb") as f:
        f.write("Zoë,Liège\nJosé,Málaga\n".encode("latin-1"))
    if fix is None:
        copy = "COPY customers FROM STDIN WITH (FORMAT csv)"
    elif fix == "declare-file-encoding":
        copy = "COPY customers FROM STDIN WITH (FORMAT csv, ENCODING 'LATIN1')"
    else:
        raise labkit.UnknownFix(fix)
    conn = psycopg2.connect(labkit.pg_dsn())
    try:
        with conn, conn.cursor() as cur, open("customers.csv", "rb") as f:
            cur.copy_expert(copy, f)
            cur.execute("SELECT city FROM customers ORDER BY name")
            assert [r[0] for r in cur.fetchall()] == ["Málaga", "Liège"]
    finally:
        conn.close()
        os.remove("customers.csv")


labkit.run({"nul-in-text-asyncpg": nul_in_text_asyncpg, "nul-in-text-psycopg2": nul_in_text_psycopg2, "latin1-file-copy": latin1_file_copy})
