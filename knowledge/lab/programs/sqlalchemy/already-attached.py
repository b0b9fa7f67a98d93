"""Object is already attached to another Session (knowledge/faults/sqlalchemy/already-attached.yaml).

An object loaded by one still-open Session is added to a second one directly, from a module
cache, or by assigning it to a relationship of an object the second Session owns.
"""
import labkit
from kits import orm_session as kit
from sqlalchemy.orm import Session, sessionmaker

_org_cache = {}


def _world():
    m = kit.define()
    return m, sessionmaker(kit.sync_engine(m))


def two_sessions(fix):
    m, SessionLocal = _world()
    User = m.User

    def load_user_own_session(id):
        s = SessionLocal()  # never closed: the object stays attached to it
        return s.get(User, id)

    def load_user(session: Session, id: int) -> User:
        return session.get(User, id)

    if fix == "single-session":
        with SessionLocal() as session, session.begin():
            user = load_user(session, 1)
            session.add(user)      # same session: fine
        return
    user = load_user_own_session(1)
    first_session = Session.object_session(user)
    with SessionLocal() as session:
        if fix == "merge-into-session":
            user = session.merge(user)
        elif fix == "reload-by-id":
            user = session.get(User, user.id)
        elif fix == "expunge-first":
            first_session.expunge(user)
        elif fix is not None:
            raise labkit.UnknownFix(fix)
        user.name = "renamed"
        session.add(user)  # the fault: still attached to the first session
        session.commit()


def object_reused_across_sessions(fix):
    m, SessionLocal = _world()
    Organization = m.Organization

    def default_org():
        if "default" not in _org_cache:
            _org_cache["default"] = SessionLocal().get(Organization, 1)
        return _org_cache["default"]

    default_org()  # warmed by an earlier request
    with SessionLocal() as session:
        if fix is None:
            session.add(_org_cache["default"])  # the fault: the cache's session still owns it
        elif fix == "merge-into-session":
            org = session.merge(_org_cache["default"])
            assert org in session
        elif fix == "reload-by-id":
            org = session.get(Organization, _org_cache["default"].id)
            assert org in session
        elif fix == "expunge-first":
            first_session = Session.object_session(_org_cache["default"])
            first_session.expunge(_org_cache["default"])
            session.add(_org_cache["default"])
        else:
            raise labkit.UnknownFix(fix)
        session.commit()


def cascade_through_relationship(fix):
    m, SessionLocal = _world()
    User, Organization = m.User, m.Organization
    other = SessionLocal()
    org = other.get(Organization, 2)  # loaded elsewhere, that session still open
    with SessionLocal() as session:
        user = session.get(User, 1)
        if fix is None:
            user.organization = org  # the fault: cascades org into this session
        elif fix == "reload-by-id":
            organization = session.get(Organization, org.id)
            user.organization = organization
        elif fix == "single-session":
            organization = session.get(Organization, 2)
            user.organization = organization
        else:
            raise labkit.UnknownFix(fix)
        session.commit()
        assert session.get(User, 1).organization_id == 2


labkit.run({
    "two-sessions": two_sessions,
    "object-reused-across-sessions": object_reused_across_sessions,
    "cascade-through-relationship": cascade_through_relationship,
})
