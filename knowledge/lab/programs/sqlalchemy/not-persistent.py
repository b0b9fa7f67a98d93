"""InvalidRequestError: Instance '<User at 0x...>' is not persistent within this Session
(knowledge/faults/sqlalchemy/not-persistent.yaml).

session.refresh() (or expire) on an object the Session does not hold as persistent: a new
object never added/flushed, or one loaded by another Session.
"""
import labkit
from kits import orm_session as kit
from sqlalchemy.orm import Session


def refresh_new_object(fix):
    m = kit.define()
    engine = kit.sync_engine(m)
    with Session(engine) as session:
        user = m.User(name="ada", organization_id=1)
        if fix is None:
            session.refresh(user)                # never added: transient
        elif fix == "add-and-flush":
            session.add(user)
            session.flush()                      # INSERT; now persistent
            session.refresh(user)
        else:
            raise labkit.UnknownFix(fix)
        assert user.id is not None


def refresh_other_session(fix):
    m = kit.define()
    engine = kit.sync_engine(m)
    with Session(engine) as first:
        user = first.get(m.User, 1)
    with Session(engine) as second:
        if fix is None:
            second.refresh(user)                 # loaded by the first session
        elif fix == "merge":
            user = second.merge(user)
            second.refresh(user)
        elif fix == "get-in-session":
            user = second.get(m.User, user.id)
            second.refresh(user)
        else:
            raise labkit.UnknownFix(fix)
        assert user.name


labkit.run({"refresh-new-object": refresh_new_object, "refresh-other-session": refresh_other_session})
