"""AttributeError: 'Engine' object has no attribute 'execute'
(knowledge/faults/sqlalchemy/engine-execute-removed.yaml).

Engine.execute() ("connectionless execution") was removed in 2.0; 1.4 still has it (deprecated).
"""
import labkit
from sqlalchemy import create_engine, text


def engine_execute(fix):
    if fix is None and labkit.major("sqlalchemy") < 2:
        raise labkit.NotApplicable("SQLAlchemy 1.4 still has Engine.execute() (deprecated)")
    engine = create_engine(labkit.pg_url("psycopg2"))
    if fix is None:
        engine.execute(text("CREATE TABLE audit (msg text)"))
        rows = engine.execute(text("SELECT count(*) FROM audit")).scalar()
    elif fix == "connect-execute":
        with engine.connect() as conn:
            conn.execute(text("CREATE TABLE audit (msg text)"))
            conn.commit() if hasattr(conn, "commit") else None
            rows = conn.execute(text("SELECT count(*) FROM audit")).scalar()
    elif fix == "begin-execute":
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE audit (msg text)"))
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT count(*) FROM audit")).scalar()
    else:
        raise labkit.UnknownFix(fix)
    assert rows == 0


labkit.run({"engine-execute": engine_execute})
