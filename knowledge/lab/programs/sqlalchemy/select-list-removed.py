"""ArgumentError: Column expression, FROM clause, or other columns clause element expected, got [...]
(knowledge/faults/sqlalchemy/select-list-removed.yaml).

The 1.x calling style select([a, b]) is gone in 2.0 (1.4 accepts it with a RemovedIn20Warning).
"""
import labkit
from kits import orm_session as kit
from sqlalchemy import select
from sqlalchemy.orm import Session


def select_list(fix):
    if fix is None and labkit.major("sqlalchemy") < 2:
        raise labkit.NotApplicable("SQLAlchemy 1.4 still accepts select([...]) (deprecated)")
    m = kit.define()
    engine = kit.sync_engine(m)
    with Session(engine) as session:
        if fix is None:
            stmt = select([m.User.id, m.User.name]).where(m.User.organization_id == 1)
        elif fix == "positional-columns":
            stmt = select(m.User.id, m.User.name).where(m.User.organization_id == 1)
        else:
            raise labkit.UnknownFix(fix)
        assert len(session.execute(stmt).all()) == 1


def select_table_list(fix):
    if fix is None and labkit.major("sqlalchemy") < 2:
        raise labkit.NotApplicable("SQLAlchemy 1.4 still accepts select([...]) (deprecated)")
    m = kit.define()
    engine = kit.sync_engine(m)
    users = m.User.__table__
    with engine.connect() as conn:
        if fix is None:
            stmt = select([users])
        elif fix == "positional-columns":
            stmt = select(users)
        else:
            raise labkit.UnknownFix(fix)
        assert len(conn.execute(stmt).all()) == 3


labkit.run({"select-list": select_list, "select-table-list": select_table_list})
