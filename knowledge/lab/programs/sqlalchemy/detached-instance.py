"""DetachedInstanceError (knowledge/faults/sqlalchemy/detached-instance.yaml).

An object outlives its Session and an attribute it never loaded (a relationship, an attribute
expired by commit, a deferred column) is read afterwards; or it is handed to a FastAPI
background task that runs after the request's session closed.
"""
import labkit
from kits import orm_session as kit
from sqlalchemy import Column, Text, select
from sqlalchemy.orm import Session, deferred, selectinload, sessionmaker, undefer


def keep_session_open(SessionLocal, work):
    """The keep-session-open fix as printed: one Session per request through a yield dependency."""
    import asyncio
    from fastapi import Depends, FastAPI

    app = FastAPI()

    def get_session():
        with SessionLocal() as session:
            yield session

    @app.get("/items/{item_id}")
    def read_item(item_id: int, session: Session = Depends(get_session)):
        return {"value": str(work(session, item_id))}  # read while the session is open

    status, body = asyncio.run(kit.asgi_get(app, "/items/1"))
    assert status == 200, (status, body)
    print(body.decode())


def serialize_inside_session(SessionLocal, User, v1):
    """The serialize-inside-session fix: build plain data before the session closes."""
    import pydantic

    if v1:
        class OrganizationOut(pydantic.BaseModel):
            name: str

            class Config:
                orm_mode = True

        class UserOut(pydantic.BaseModel):
            name: str
            organization: OrganizationOut

            class Config:
                orm_mode = True
    else:
        class OrganizationOut(pydantic.BaseModel):
            model_config = pydantic.ConfigDict(from_attributes=True)
            name: str

        class UserOut(pydantic.BaseModel):
            model_config = pydantic.ConfigDict(from_attributes=True)
            name: str
            organization: OrganizationOut

    with SessionLocal() as session:
        user = session.get(User, 1)
        data = UserOut.from_orm(user) if v1 else UserOut.model_validate(user)
    return data


def lazy_load_after_close(fix):
    m = kit.define()
    engine = kit.sync_engine(m)
    SessionLocal = sessionmaker(engine)
    User = m.User
    if fix == "keep-session-open":
        return keep_session_open(SessionLocal, lambda session, i: session.get(User, i).organization.name)
    if fix in ("serialize-inside-session", "serialize-inside-session/pydantic-v1"):
        data = serialize_inside_session(SessionLocal, User, v1=fix.endswith("v1"))
        return print(data.organization.name)
    if fix is None or fix in ("refresh-before-close", "merge-into-new-session"):
        session = SessionLocal()
        user = session.scalars(select(User)).first()
        if fix == "refresh-before-close":
            session.commit()
            session.refresh(user)
        session.close()
        if fix == "merge-into-new-session":
            with SessionLocal() as session:
                user = session.merge(user)
                print(user.organization.name)
            return
    elif fix == "eager-load-before-close":
        with SessionLocal() as session:
            stmt = select(User).options(selectinload(User.organization))
            user = session.scalars(stmt).first()
    else:
        raise labkit.UnknownFix(fix)
    print(user.organization.name)  # the fault: lazy load after the session closed


def expired_after_commit(fix):
    m = kit.define()
    engine = kit.sync_engine(m)
    if fix == "expire-on-commit-false":
        SessionLocal = sessionmaker(engine, expire_on_commit=False)
    elif fix == "keep-session-open":
        def create(session, i):
            user = m.User(id=100, name="new-user", organization_id=i)
            session.add(user)
            session.commit()
            return user.name
        return keep_session_open(sessionmaker(engine), create)
    elif fix in (None, "refresh-before-close", "merge-into-new-session"):
        SessionLocal = sessionmaker(engine)
    else:
        raise labkit.UnknownFix(fix)
    session = SessionLocal()
    user = m.User(id=100, name="new-user", organization_id=1)
    session.add(user)
    session.commit()
    if fix == "refresh-before-close":
        session.refresh(user)
    session.close()
    if fix == "merge-into-new-session":
        with SessionLocal() as session:
            user = session.merge(user)
            print(user.name)
        return
    print(user.name)  # the fault: commit() expired it, the session is gone


def deferred_column(fix):
    m = kit.define(User={"bio": deferred(Column(Text, default="about me"))})
    engine = kit.sync_engine(m)
    SessionLocal = sessionmaker(engine)
    User = m.User
    if fix == "keep-session-open":
        return keep_session_open(SessionLocal, lambda session, i: session.get(User, i).bio)
    if fix is None or fix == "merge-into-new-session":
        with SessionLocal() as session:
            user = session.scalars(select(User)).first()
        if fix == "merge-into-new-session":
            with SessionLocal() as session:
                user = session.merge(user)
                print(user.bio)
            return
    elif fix == "undefer-column":
        with SessionLocal() as session:
            stmt = select(User).options(undefer(User.bio))
            user = session.scalars(stmt).first()
    else:
        raise labkit.UnknownFix(fix)
    print(user.bio)  # the fault: a deferred column read after close


async def object_outlives_session(fix):
    from fastapi import BackgroundTasks, FastAPI
    from sqlalchemy.ext.asyncio import AsyncSession

    m = kit.define()
    engine = await kit.async_engine(m)
    User = m.User
    app = FastAPI()
    sent = []
    if fix not in (None, "pass-id-reload", "eager-load-before-close"):
        raise labkit.UnknownFix(fix)

    def async_session():
        return AsyncSession(engine)

    async def send_welcome_to(user):
        sent.append(user.organization.name)  # the fault: runs after the request's session closed

    async def send_welcome(user_id: int) -> None:
        async with async_session() as session:
            user = await session.get(User, user_id)
            sent.append((await session.get(m.Organization, user.organization_id)).name)

    @app.get("/users/{user_id}/welcome")
    async def welcome(user_id: int, background_tasks: BackgroundTasks):
        async with async_session() as session:
            if fix == "eager-load-before-close":
                stmt = select(User).where(User.id == user_id).options(selectinload(User.organization))
                user = (await session.scalars(stmt)).first()
            else:
                user = await session.get(User, user_id)
        if fix == "pass-id-reload":
            background_tasks.add_task(send_welcome, user.id)  # not the object
        else:
            background_tasks.add_task(send_welcome_to, user)
        return {"queued": True}

    status, _ = await kit.asgi_get(app, "/users/1/welcome")
    assert status == 200 and sent == ["org-1"], (status, sent)
    await engine.dispose()


labkit.run({
    "lazy-load-after-close": lazy_load_after_close,
    "expired-after-commit": expired_after_commit,
    "deferred-column": deferred_column,
    "object-outlives-session": object_outlives_session,
})
