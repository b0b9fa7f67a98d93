"""ResourceClosedError: This result object does not return rows. It has been closed automatically.
(knowledge/faults/sqlalchemy/result-no-rows.yaml).

Rows are fetched from a statement that returns none: an INSERT/UPDATE without RETURNING, DDL.
"""
import labkit
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, text

md = MetaData()
users = Table("users", md, Column("id", Integer, primary_key=True), Column("email", String(80)))


def insert_then_fetch(fix):
    engine = create_engine(labkit.pg_url("psycopg2"))
    md.create_all(engine)
    with engine.begin() as conn:
        stmt = "INSERT INTO users (email) VALUES ('ada@example.com')"
        if fix is None:
            new_id = conn.execute(text(stmt)).fetchall()[0][0]
        elif fix == "returning":
            new_id = conn.execute(text(stmt + " RETURNING id")).fetchall()[0][0]
        elif fix == "inserted-primary-key":
            new_id = conn.execute(insert(users).values(email="ada@example.com")).inserted_primary_key[0]
        else:
            raise labkit.UnknownFix(fix)
    assert new_id == 1, new_id


def update_then_fetch(fix):
    engine = create_engine(labkit.pg_url("psycopg2"))
    md.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(users).values(email="ada@example.com"))
        stmt = "UPDATE users SET email = 'ada@new.example' WHERE id = 1"
        if fix is None:
            rows = conn.execute(text(stmt)).fetchall()
        elif fix == "returning":
            rows = conn.execute(text(stmt + " RETURNING id")).fetchall()
        elif fix == "rowcount":
            rows = [None] * conn.execute(text(stmt)).rowcount
        else:
            raise labkit.UnknownFix(fix)
    assert len(rows) == 1, rows


labkit.run({"insert-then-fetch": insert_then_fetch, "update-then-fetch": update_then_fetch})
