"""MissingGreenlet: implicit IO under AsyncSession (knowledge/faults/sqlalchemy/missing-greenlet.yaml).

Scenarios read 3 users' organizations (many-to-one) or 3 authors' books (a collection), read an
attribute that commit() expired, or call a sync API on an async engine. Each fix is applied the
way the fault file prints it and reports the statements it sent for the listing.
"""
import labkit
from kits import orm_session as kit
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, joinedload, relationship, selectinload


async def _listing(m, parent, attribute, fix, seed=True):
    """Loads the 3 parents and reads `attribute` on each, as the fault's seed case does."""
    engine = await kit.async_engine(m, seed=seed)
    counter = labkit.QueryCounter(engine)
    Parent = getattr(m, parent)
    async with AsyncSession(engine) as session:
        if fix in (None, "relationship-lazy-default", "relationship-lazy-default/classic"):
            parents = (await session.execute(select(Parent))).scalars().all()
        elif fix == "selectinload-option":
            stmt = select(Parent).options(selectinload(getattr(Parent, attribute)))
            parents = (await session.execute(stmt)).scalars().all()
        elif fix == "joinedload-option":
            stmt = select(Parent).options(joinedload(getattr(Parent, attribute)))
            parents = (await session.execute(stmt)).unique().scalars().all()
        elif fix in ("lazy-raise", "lazy-raise/classic"):
            stmt = select(Parent).options(selectinload(getattr(Parent, attribute)))
            parents = (await session.execute(stmt)).scalars().all()
        elif fix == "awaitable-attrs":
            parents = (await session.execute(select(Parent))).scalars().all()
            for p in parents:
                await getattr(p.awaitable_attrs, attribute)
        elif fix == "awaitable-attrs/run-sync":
            parents = (await session.execute(select(Parent))).scalars().all()
            for p in parents:
                await session.run_sync(lambda _: getattr(p, attribute))
        elif fix == "refresh-relationship":
            parents = (await session.execute(select(Parent))).scalars().all()
            for p in parents:
                await session.refresh(p, [attribute])
        else:
            raise labkit.UnknownFix(fix)
        values = [getattr(p, attribute) for p in parents]  # the fault: a lazy load per parent
    assert len(values) == 3 and all(values), values
    await engine.dispose()
    return counter.count


def _models(fix, attribute):
    """The mapping each fix needs; the fault's own case is the default lazy="select"."""
    if fix in ("relationship-lazy-default", "lazy-raise"):
        # The fault file's 2.0 form: an annotated relationship() that finds its target itself.
        from typing import List
        from sqlalchemy.orm import Mapped
        lazy = "selectin" if fix == "relationship-lazy-default" else "raise"
        return kit.define(
            organization=lambda: relationship(lazy=lazy) if attribute == "organization" else relationship("Organization"),
            books=lambda: relationship(lazy=lazy) if attribute == "books" else relationship("Book"),
            annotations={"User": {"organization": Mapped["Organization"]}, "Author": {"books": Mapped[List["Book"]]}},
        )
    if fix in ("relationship-lazy-default/classic", "lazy-raise/classic"):
        lazy = "selectin" if fix.startswith("relationship") else "raise"
        return kit.define(
            organization=lambda: relationship("Organization", lazy=lazy if attribute == "organization" else "select"),
            books=lambda: relationship("Book", lazy=lazy if attribute == "books" else "select"),
        )
    if fix == "awaitable-attrs":
        from sqlalchemy.ext.asyncio import AsyncAttrs
        from sqlalchemy.orm import DeclarativeBase

        class Base(AsyncAttrs, DeclarativeBase):
            pass

        return kit.define(base=Base)
    return kit.define()


async def _other_lazy_defaults(parent, attribute):
    """Statements for the other mapping defaults the fix names ("joined", "immediate")."""
    figures = {}
    for lazy in ("joined", "immediate"):
        if lazy == "joined" and attribute == "books":
            continue  # a joined collection needs .unique(): the unique-required fault
        m = kit.define(
            organization=lambda: relationship("Organization", lazy=lazy if attribute == "organization" else "select"),
            books=lambda: relationship("Book", lazy=lazy if attribute == "books" else "select"),
        )
        figures[f"queries_{lazy}"] = await _listing(m, parent, attribute, "relationship-lazy-default/classic", seed=False)
    return figures


def lazy_scenario(parent, attribute):
    async def scenario(fix):
        queries = await _listing(_models(fix, attribute), parent, attribute, fix)
        more = {}
        if fix and fix.startswith("relationship-lazy-default"):
            more = await _other_lazy_defaults(parent, attribute)
        labkit.measure(queries=queries, **more)
    return scenario


async def expired_attribute(fix):
    if fix == "awaitable-attrs":
        m = _models(fix, "name")
    else:
        m = kit.define()
    engine = await kit.async_engine(m)
    if fix is None or fix in ("refresh-attributes", "awaitable-attrs", "awaitable-attrs/run-sync"):
        session = AsyncSession(engine)
    elif fix == "expire-on-commit-false":
        from sqlalchemy.ext.asyncio import async_sessionmaker
        async_session = async_sessionmaker(engine, expire_on_commit=False)
        session = async_session()
    elif fix == "expire-on-commit-false/sessionmaker":
        from sqlalchemy.orm import sessionmaker
        async_session = sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
        session = async_session()
    else:
        raise labkit.UnknownFix(fix)
    counter = labkit.QueryCounter(engine)
    async with session:
        user = m.User(id=100, name="new-user", organization_id=1)
        session.add(user)
        await session.commit()
        if fix == "refresh-attributes":
            await session.refresh(user)
        if fix == "awaitable-attrs":
            await user.awaitable_attrs.name
        if fix == "awaitable-attrs/run-sync":
            await session.run_sync(lambda _: user.name)
        result = {"id": user.id, "name": user.name}  # the fault: commit() expired user
    assert result["name"] == "new-user"
    labkit.measure(queries=counter.count)
    await engine.dispose()


async def sync_io(fix):
    m = kit.define()
    from sqlalchemy.ext.asyncio import create_async_engine
    engine = create_async_engine(labkit.pg_url("asyncpg"))
    if fix is None:
        m.Base.metadata.create_all(engine.sync_engine)
    elif fix == "run-sync":
        async with engine.begin() as conn:
            await conn.run_sync(m.Base.metadata.create_all)
    else:
        raise labkit.UnknownFix(fix)
    await engine.dispose()


def list_users(session):
    """Code written for a sync Session."""
    return session.execute(select(User)).scalars().all()


User = None


async def sync_session(fix):
    global User
    m = kit.define()
    User = m.User
    engine = await kit.async_engine(m)
    if fix is None:
        with Session(engine.sync_engine) as session:
            users = list_users(session)
    elif fix == "run-sync":
        async with AsyncSession(engine) as session:
            users = await session.run_sync(lambda sync_session: list_users(sync_session))
    elif fix == "await-async-api":
        async with AsyncSession(engine) as session:
            result = await session.execute(select(User))
            users = result.scalars().all()
    else:
        raise labkit.UnknownFix(fix)
    assert len(users) == 3
    await engine.dispose()


labkit.run({
    "lazy-load": lazy_scenario("User", "organization"),
    "lazy-load-collection": lazy_scenario("Author", "books"),
    "expired-attribute": expired_attribute,
    "sync-io": sync_io,
    "sync-session": sync_session,
})
