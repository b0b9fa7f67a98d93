"""StatementError / InvalidRequestError: A value is required for bind parameter 'x'
(knowledge/faults/sqlalchemy/bind-parameter-required.yaml).
"""
import labkit
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, text

md = MetaData()
users = Table("users", md, Column("id", Integer, primary_key=True), Column("email", String(80)),
              Column("name", String(80)))


def text_without_params(fix):
    engine = create_engine(labkit.pg_url("psycopg2"))
    md.create_all(engine)
    stmt = text("SELECT id FROM users WHERE email = :email")
    with engine.connect() as conn:
        if fix is None:
            conn.execute(stmt).all()
        elif fix == "pass-parameters":
            conn.execute(stmt, {"email": "ada@example.com"}).all()
        else:
            raise labkit.UnknownFix(fix)


def batch_missing_key(fix):
    engine = create_engine(labkit.pg_url("psycopg2"))
    md.create_all(engine)
    rows = [{"email": "ada@example.com", "name": "Ada"}, {"email": "bob@example.com"}]
    if fix == "same-keys-every-row":
        rows = [{"name": None, **r} for r in rows]
    elif fix is not None:
        raise labkit.UnknownFix(fix)
    with engine.begin() as conn:
        conn.execute(insert(users), rows)


labkit.run({"text-without-params": text_without_params, "batch-missing-key": batch_missing_key})
