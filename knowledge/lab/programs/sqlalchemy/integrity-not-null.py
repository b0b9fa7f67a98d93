"""IntegrityError: null value in column "x" violates not-null constraint."""
import datetime
from typing import Optional

from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, Integer, String, select, text
from sqlalchemy.orm import relationship

import labkit
from kits import orm_mapping as kit


def value_not_set(driver):
    """POST /users with no name: the schema lets it through as None, the table says NOT NULL."""

    def scenario(fix):
        kit.expect_fix(fix, "require-in-schema", "require-in-schema/pydantic-1", "make-nullable", "make-nullable/column")
        from fastapi import FastAPI
        from fastapi.testclient import TestClient
        from pydantic import BaseModel
        from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
        from sqlalchemy.pool import NullPool

        Base = kit.base()
        if fix == "make-nullable":
            from sqlalchemy.orm import Mapped, mapped_column

            class User(Base):
                __tablename__ = "users"
                id: Mapped[int] = mapped_column(primary_key=True)
                name: Mapped[str | None]      # nullable=True; add an Alembic migration
        else:
            class User(Base):
                __tablename__ = "users"
                id = Column(Integer, primary_key=True)
                name = Column(String(100), nullable=(fix == "make-nullable/column"))

        if fix and fix.startswith("require-in-schema"):
            class UserCreate(BaseModel):
                name: str            # required: no "| None", no default
        else:
            class UserCreate(BaseModel):
                name: Optional[str] = None

        kit.async_pg_engine(driver)  # NotApplicable for psycopg 3 on 1.4
        Base.metadata.create_all(kit.pg_engine())
        engine = create_async_engine(labkit.pg_url(driver), poolclass=NullPool)
        app = FastAPI()

        @app.post("/users", status_code=201)
        async def create_user(payload: UserCreate):
            async with AsyncSession(engine, expire_on_commit=False) as session:
                user = User(**payload.dict())
                session.add(user)
                await session.commit()
                if fix == "require-in-schema":
                    # partial updates: do not copy unset fields as None
                    for key, value in UserCreate(name="Ada").model_dump(exclude_unset=True).items():
                        setattr(user, key, value)
                elif fix == "require-in-schema/pydantic-1":
                    for key, value in UserCreate(name="Ada").dict(exclude_unset=True).items():
                        setattr(user, key, value)
                return {"id": user.id}

        response = TestClient(app).post("/users", json={})
        expected = 422 if fix and fix.startswith("require-in-schema") else 201
        assert response.status_code == expected, response.status_code
        if expected == 422:
            assert TestClient(app).post("/users", json={"name": "Ada"}).status_code == 201

    return scenario


def value_not_set_psycopg2(fix):
    """The same missing value through psycopg2 (a sync Session)."""
    kit.expect_fix(fix)
    Base = kit.base()

    class User(Base):
        __tablename__ = "users"
        id = Column(Integer, primary_key=True)
        name = Column(String(100), nullable=False)

    session = kit.pg_session(Base, "psycopg2")
    payload = {"name": None}
    session.add(User(**payload))
    session.commit()


def orphaned_child(action):
    """order.lines.remove(line) / session.delete(order): the ORM sets order_lines.order_id = NULL."""

    def scenario(fix):
        kit.expect_fix(fix, "delete-orphan", "delete-orphan/column", "passive-deletes", "passive-deletes/column")
        Base = kit.base()
        ondelete = "CASCADE" if fix and fix.startswith("passive-deletes") else None

        class OrderLine(Base):
            __tablename__ = "order_lines"
            id = Column(Integer, primary_key=True)
            order_id = Column(ForeignKey("orders.id", ondelete=ondelete), nullable=False)

        if fix == "delete-orphan":
            from sqlalchemy.orm import Mapped

            class Order(Base):
                __tablename__ = "orders"
                id = Column(Integer, primary_key=True)
                children: Mapped[list["OrderLine"]] = relationship(
                    back_populates="parent", cascade="all, delete-orphan"
                )
        elif fix == "passive-deletes":
            from sqlalchemy.orm import Mapped

            class Order(Base):
                __tablename__ = "orders"
                id = Column(Integer, primary_key=True)
                children: Mapped[list["OrderLine"]] = relationship(
                    cascade="all, delete-orphan", passive_deletes=True
                )
        elif fix == "delete-orphan/column":
            class Order(Base):
                __tablename__ = "orders"
                id = Column(Integer, primary_key=True)
                children = relationship("OrderLine", back_populates="parent", cascade="all, delete-orphan")
        elif fix == "passive-deletes/column":
            class Order(Base):
                __tablename__ = "orders"
                id = Column(Integer, primary_key=True)
                children = relationship("OrderLine", cascade="all, delete-orphan", passive_deletes=True)
        else:
            class Order(Base):
                __tablename__ = "orders"
                id = Column(Integer, primary_key=True)
                children = relationship("OrderLine", back_populates="parent")
        if fix is None or fix.startswith("delete-orphan"):
            OrderLine.parent = relationship(Order, back_populates="children")

        session = kit.pg_session(Base)
        order = Order(children=[OrderLine(), OrderLine()])
        session.add(order)
        session.commit()
        if action == "remove":
            order.children.remove(order.children[0])
        else:
            session.delete(order)
        session.commit()
        left = session.execute(select(OrderLine)).scalars().all()
        assert len(left) == (1 if action == "remove" else 0)

    return scenario


def default_not_applied(fix):
    """events.created_at has a Python-side default only; a Core text() INSERT leaves it NULL."""
    kit.expect_fix(fix, "column-default", "column-default/column")
    from sqlalchemy import func

    Base = kit.base()
    if fix == "column-default":
        from sqlalchemy.orm import Mapped, mapped_column

        class Event(Base):
            __tablename__ = "events"
            id = Column(Integer, primary_key=True)
            name = Column(String(100))
            created_at: Mapped[datetime.datetime] = mapped_column(server_default=func.now())
            status: Mapped[str] = mapped_column(server_default=text("'active'"))
    elif fix == "column-default/column":
        class Event(Base):
            __tablename__ = "events"
            id = Column(Integer, primary_key=True)
            name = Column(String(100))
            created_at = Column(DateTime, nullable=False, server_default=func.now())
            status = Column(String(20), nullable=False, server_default=text("'active'"))
    else:
        class Event(Base):
            __tablename__ = "events"
            id = Column(Integer, primary_key=True)
            name = Column(String(100))
            created_at = Column(DateTime, nullable=False, default=datetime.datetime.utcnow)
            status = Column(String(20), nullable=False, default="active")

    session = kit.pg_session(Base)
    session.execute(text("INSERT INTO events (name) VALUES ('signup')"))
    session.commit()


def pk_not_generated(fix):
    """accounts.id is a BigInteger primary key declared without autoincrement."""
    kit.expect_fix(fix, "generated-primary-key", "generated-primary-key/column")
    from sqlalchemy import Identity

    Base = kit.base()
    if fix == "generated-primary-key":
        from sqlalchemy.orm import Mapped, mapped_column

        class Account(Base):
            __tablename__ = "accounts"
            # PostgreSQL: GENERATED BY DEFAULT AS IDENTITY
            id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
            name = Column(String(100))
    elif fix == "generated-primary-key/column":
        class Account(Base):
            __tablename__ = "accounts"
            id = Column(BigInteger, Identity(), primary_key=True)
            name = Column(String(100))
    else:
        class Account(Base):
            __tablename__ = "accounts"
            id = Column(BigInteger, primary_key=True, autoincrement=False)
            name = Column(String(100))

    session = kit.pg_session(Base)
    session.execute(text("INSERT INTO accounts (name) VALUES ('acme')"))
    session.commit()


def migration_existing_nulls(fix):
    """alembic upgrade: op.add_column("users", Column("plan", nullable=False)) on a table with rows."""
    kit.expect_fix(fix, "migrate-in-three-steps")
    engine = kit.pg_engine()
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE users (id serial PRIMARY KEY, email text)"))
        conn.execute(text("INSERT INTO users (email) VALUES ('ada@example.com')"))
    if fix == "migrate-in-three-steps":
        body = '''
            op.add_column("users", sa.Column("plan", sa.String(), nullable=True))
            op.execute("UPDATE users SET plan = 'unknown' WHERE plan IS NULL")
            op.alter_column("users", "plan", nullable=False)
        '''
    else:
        body = 'op.add_column("users", sa.Column("plan", sa.String(), nullable=False))'
    kit.alembic_upgrade(labkit.pg_url("psycopg2"), body)


labkit.run({
    "value-not-set": value_not_set("asyncpg"),
    "value-not-set-psycopg": value_not_set("psycopg"),
    "value-not-set-psycopg2": value_not_set_psycopg2,
    "orphaned-child": orphaned_child("remove"),
    "parent-deleted": orphaned_child("delete"),
    "default-not-applied": default_not_applied,
    "pk-not-generated": pk_not_generated,
    "migration-existing-nulls": migration_existing_nulls,
})
