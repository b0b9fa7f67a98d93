"""PendingRollbackError (knowledge/faults/sqlalchemy/pending-rollback.yaml).

A flush fails (duplicate primary key) or the connection dies mid-transaction, the error is
caught, and the same Session is used again without rollback().
"""
import labkit
from kits import orm_session as kit
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, scoped_session, sessionmaker


def _setup():
    m = kit.define()
    return m, kit.sync_engine(m)


def flush_error_swallowed(fix):
    m, engine = _setup()
    SessionLocal = sessionmaker(engine)
    duplicate = m.User(id=1, name="again", organization_id=1)
    if fix == "begin-context-manager":
        try:
            with SessionLocal() as session, session.begin():
                session.add(duplicate)
            # commits here, or rolls back if the block raised
        except IntegrityError:
            pass
        with SessionLocal() as session, session.begin():
            print(session.scalars(select(m.User)).all())
        return
    session = SessionLocal()
    if fix is None:
        try:
            session.add(duplicate)
            session.commit()
        except IntegrityError:
            pass  # the fault: swallowed without rollback()
    elif fix == "rollback-in-except":
        try:
            session.add(duplicate)
            session.commit()
        except IntegrityError:
            session.rollback()
            # handled: continue with a clean session
    elif fix == "savepoint-for-expected-failures":
        try:
            with session.begin_nested():
                session.add(duplicate)
        except IntegrityError:
            pass  # duplicate: the outer transaction is still active
    else:
        raise labkit.UnknownFix(fix)
    print(session.scalars(select(m.User)).all())  # the fault: the session is still failed


def shared_session_poisoned(fix):
    m, engine = _setup()
    SessionLocal = sessionmaker(engine)
    db_session = scoped_session(SessionLocal)  # one session shared by every job of this worker

    def import_user(user_id):
        if fix == "session-per-unit-of-work":
            with SessionLocal() as session, session.begin():
                session.add(m.User(id=user_id, name="imported", organization_id=1))
            return
        if fix == "begin-context-manager":
            with db_session() as session, session.begin():
                session.add(m.User(id=user_id, name="imported", organization_id=1))
            return
        try:
            db_session.add(m.User(id=user_id, name="imported", organization_id=1))
            db_session.commit()
        except IntegrityError:
            if fix == "rollback-in-except":
                db_session.rollback()
            elif fix is not None:
                raise labkit.UnknownFix(fix)

    for user_id in (1, 50):  # job 1 hits a duplicate and is logged; job 2 inherits its session
        try:
            import_user(user_id)
        except IntegrityError:
            print("job failed:", user_id)
    assert db_session.get(m.User, 50) is not None


def connection_invalidated(fix):
    m, engine = _setup()
    session = Session(engine)
    if fix not in (None, "rollback-in-except", "session-per-unit-of-work"):
        raise labkit.UnknownFix(fix)
    session.execute(select(m.User))
    pid = session.execute(text("SELECT pg_backend_pid()")).scalar()
    kit.terminate_backend(pid)  # the server (or a proxy) drops the connection mid-transaction
    try:
        session.execute(select(m.User))
    except DBAPIError:
        if fix == "rollback-in-except":
            session.rollback()
        elif fix == "session-per-unit-of-work":
            session.close()
            session = Session(engine)
    print(session.scalars(select(m.User)).all())  # the fault: can't reconnect


def connection_dropped_idle(fix):
    """The pooled connection died while idle (server restart, proxy idle timeout)."""
    m = kit.define()
    if fix is None:
        engine = kit.sync_engine(m)
    elif fix == "pool-pre-ping":
        engine = kit.sync_engine(m, pool_pre_ping=True, pool_recycle=1800)
    else:
        raise labkit.UnknownFix(fix)
    with engine.connect() as conn:  # leaves one idle connection in the pool
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    kit.terminate_backend(pid)
    session = Session(engine)
    try:
        session.execute(select(m.User))
    except DBAPIError:
        pass  # logged by the request handler; the session lives on
    print(session.scalars(select(m.User)).all())  # the fault: can't reconnect


labkit.run({
    "flush-error-swallowed": flush_error_swallowed,
    "shared-session-poisoned": shared_session_poisoned,
    "connection-invalidated": connection_invalidated,
    "connection-dropped-idle": connection_dropped_idle,
})
