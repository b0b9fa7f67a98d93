"""TypeError: Boolean value of this clause is not defined
(knowledge/faults/sqlalchemy/boolean-clause.yaml).

Python's `and` / `or` / `not` / `if` ask a SQL expression for a truth value; SQLAlchemy refuses
(except for == / != between two columns, which it answers by identity).
"""
import labkit
from kits import orm_session as kit
from sqlalchemy import and_, select
from sqlalchemy.orm import Session


def python_and(fix):
    m = kit.define()
    engine = kit.sync_engine(m)
    with Session(engine) as session:
        if fix is None:
            stmt = select(m.User).where(m.User.id > 1 and m.User.organization_id < 3)
        elif fix == "and-function":
            stmt = select(m.User).where(and_(m.User.id > 1, m.User.organization_id < 3))
        elif fix == "where-arguments":
            stmt = select(m.User).where(m.User.id > 1, m.User.organization_id < 3)
        else:
            raise labkit.UnknownFix(fix)
        assert len(session.scalars(stmt).all()) == 1


def if_on_column(fix):
    m = kit.define()
    engine = kit.sync_engine(m)
    with Session(engine) as session:
        user = session.get(m.User, 2)
        if fix is None:
            adult = "org-2+" if m.User.organization_id >= 2 else "org-1"   # the class attribute: SQL
        elif fix == "instance-attribute":
            adult = "org-2+" if user.organization_id >= 2 else "org-1"
        else:
            raise labkit.UnknownFix(fix)
        assert adult == "org-2+"


labkit.run({"python-and": python_and, "if-on-column": if_on_column})
