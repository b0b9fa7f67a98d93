"""MultipleResultsFound: scalar_one() / scalar_one_or_none() got more than one row."""
import asyncio

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, func, select
from sqlalchemy.orm import Session, relationship

import labkit
from kits import orm_mapping as kit


def models():
    Base = kit.base()

    class Article(Base):
        __tablename__ = "articles"
        id = Column(Integer, primary_key=True)
        tenant_id = Column(Integer, nullable=False)
        slug = Column(String(100), nullable=False)
        created_at = Column(DateTime(timezone=True), server_default=func.now())

    class Order(Base):
        __tablename__ = "orders"
        id = Column(Integer, primary_key=True)
        items = relationship("Item")

    class Item(Base):
        __tablename__ = "items"
        id = Column(Integer, primary_key=True)
        order_id = Column(ForeignKey("orders.id"))
        status = Column(String(20))

    class Subscriber(Base):
        __tablename__ = "subscribers"
        id = Column(Integer, primary_key=True)
        email = Column(String(200), nullable=False)  # meant to be unique, no constraint
        created_at = Column(DateTime(timezone=True), server_default=func.now())

    return Base, Article, Order, Item, Subscriber


def filter_not_unique(fix):
    """The same slug exists in two tenants; the lookup filters on slug only."""
    kit.expect_fix(fix, "narrow-filter", "first-with-order")
    Base, Article, *_ = models()
    session = kit.pg_session(Base)
    session.add_all([Article(tenant_id=1, slug="hello"), Article(tenant_id=2, slug="hello")])
    session.commit()
    tenant_id, slug = 2, "hello"
    if fix == "narrow-filter":
        stmt = select(Article).where(
            Article.tenant_id == tenant_id,      # the condition that was missing
            Article.slug == slug,                # together unique
        )
        article = session.execute(stmt).scalar_one_or_none()
        assert article.tenant_id == 2
    elif fix == "first-with-order":
        stmt = select(Article).where(Article.slug == slug)
        stmt = stmt.order_by(Article.created_at.desc()).limit(1)
        article = session.scalars(stmt).first()
        assert article is not None
    else:
        stmt = select(Article).where(Article.slug == slug)
        article = session.execute(stmt).scalar_one_or_none()


def join_multiplies_rows(fix):
    """One order with two active items, joined to filter on the items: the order comes back twice."""
    kit.expect_fix(fix, "exists-instead-of-join")
    Base, _, Order, Item, _ = models()
    session = kit.pg_session(Base)
    session.add(Order(id=1, items=[Item(status="active"), Item(status="active")]))
    session.commit()
    item_id = 1
    if fix == "exists-instead-of-join":
        stmt = select(Order).where(
            Order.id == item_id,
            Order.items.any(Item.status == "active"),
        )
        order = session.execute(stmt).scalar_one()
        # the alternatives the fix names: keep the join, de-duplicate
        joined = select(Order).join(Order.items).where(Order.id == item_id, Item.status == "active")
        assert session.execute(joined.distinct()).scalar_one() is order
        assert session.scalars(joined).unique().one() is order
    else:
        order = session.execute(select(Order).join(Order.items).where(Item.status == "active")).scalar_one()


def duplicate_rows(fix):
    """Two requests ran get_or_create() for the same email at once: both inserted."""
    kit.expect_fix(fix, "unique-constraint-upsert", "first-with-order")
    Base, *_, Subscriber = models()
    engine = kit.pg_engine()
    Base.metadata.create_all(engine)

    def get_or_create_subscriber(session, email):
        subscriber = session.execute(
            select(Subscriber).where(Subscriber.email == email)
        ).scalar_one_or_none()
        if subscriber is None:
            subscriber = Subscriber(email=email)
            session.add(subscriber)
        return subscriber

    # the race, made deterministic: both look, neither finds, both insert
    first, second = Session(engine), Session(engine)
    get_or_create_subscriber(first, "ada@example.com")
    get_or_create_subscriber(second, "ada@example.com")
    first.commit()
    second.commit()

    if fix == "unique-constraint-upsert":
        return asyncio.run(unique_constraint_upsert(engine, Subscriber))
    with Session(engine) as session:
        if fix == "first-with-order":
            stmt = select(Subscriber).where(Subscriber.email == "ada@example.com")
            stmt = stmt.order_by(Subscriber.created_at.desc()).limit(1)
            assert session.scalars(stmt).first() is not None
        else:
            get_or_create_subscriber(session, "ada@example.com")


async def unique_constraint_upsert(engine, Subscriber):
    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from sqlalchemy import text
    from sqlalchemy.dialects.postgresql import insert

    with engine.begin() as conn:
        conn.execute(text("DELETE FROM subscribers a USING subscribers b WHERE a.email = b.email AND a.id > b.id"))
        op = Operations(MigrationContext.configure(conn))
        # alembic migration, after removing duplicates
        op.create_unique_constraint("uq_subscribers_email", "subscribers", ["email"])

    session = await kit.async_pg_session(kit.base())
    async with session:
        for _ in range(2):  # two concurrent signups now make one row
            stmt = insert(Subscriber).values(email="ada@example.com").on_conflict_do_nothing(index_elements=["email"])
            await session.execute(stmt)
        await session.commit()
        rows = (await session.execute(select(Subscriber).where(Subscriber.email == "ada@example.com"))).scalars().all()
        assert len(rows) == 1


labkit.run({
    "filter-not-unique": filter_not_unique,
    "join-multiplies-rows": join_multiplies_rows,
    "duplicate-rows": duplicate_rows,
})
