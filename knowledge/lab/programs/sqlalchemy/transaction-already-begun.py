"""InvalidRequestError: A transaction is already begun on this Session / This connection has
already initialized a SQLAlchemy Transaction() object via begin() or autobegin
(knowledge/faults/sqlalchemy/transaction-already-begun.yaml).

A statement autobegins a transaction (Session: always; Connection: 2.0 and future=True in 1.4),
then code calls begin() on the same Session / Connection.
"""
import labkit
from kits import orm_session as kit
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session


def session_autobegin(fix):
    m = kit.define()
    engine = kit.sync_engine(m)
    if fix is None:
        session = Session(engine)
        session.execute(select(m.User))          # autobegins
        with session.begin():                    # the fault
            session.add(m.User(name="new", organization_id=1))
    elif fix == "begin-first":
        with Session(engine) as session, session.begin():
            session.execute(select(m.User))
            session.add(m.User(name="new", organization_id=1))
    elif fix == "commit-then-begin":
        session = Session(engine)
        session.execute(select(m.User))
        session.commit()                         # ends the autobegun transaction
        with session.begin():
            session.add(m.User(name="new", organization_id=1))
    else:
        raise labkit.UnknownFix(fix)
    with Session(engine) as check:
        assert check.scalar(select(m.User).where(m.User.name == "new")) is not None


def connection_autobegin(fix):
    engine = create_engine(labkit.pg_url("psycopg2"), future=True)
    with engine.connect() as conn:
        if fix is None:
            conn.execute(text("CREATE TABLE audit (msg text)"))   # autobegins
            with conn.begin():                                     # the fault
                conn.execute(text("INSERT INTO audit VALUES ('x')"))
        elif fix == "begin-first":
            with conn.begin():
                conn.execute(text("CREATE TABLE audit (msg text)"))
                conn.execute(text("INSERT INTO audit VALUES ('x')"))
        elif fix == "commit-then-begin":
            conn.execute(text("CREATE TABLE audit (msg text)"))
            conn.commit()
            with conn.begin():
                conn.execute(text("INSERT INTO audit VALUES ('x')"))
        else:
            raise labkit.UnknownFix(fix)


labkit.run({"session-autobegin": session_autobegin, "connection-autobegin": connection_autobegin})
