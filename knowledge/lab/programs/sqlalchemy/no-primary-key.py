"""ArgumentError: could not assemble any primary key columns (and the subclass-table warning)."""
import datetime

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, insert, select, text

import labkit
from kits import orm_mapping as kit


def no_pk_column(fix):
    """AuditLog: request_id, event, created_at, and no column marked primary_key=True."""
    kit.expect_fix(fix, "add-surrogate-id", "add-surrogate-id/column", "mark-existing-key",
                   "mark-existing-key/column", "core-table-instead")
    if fix == "core-table-instead":
        return core_table_instead()
    Base = kit.base()
    if fix in ("add-surrogate-id", "mark-existing-key"):
        from sqlalchemy.orm import Mapped, mapped_column

        class AuditLog(Base):
            __tablename__ = "audit_log"

            if fix == "add-surrogate-id":
                id: Mapped[int] = mapped_column(primary_key=True)
                request_id: Mapped[str] = mapped_column(String(36))
            else:
                request_id: Mapped[str] = mapped_column(String(36), primary_key=True)
            event: Mapped[str] = mapped_column(String(100))
            created_at = Column(DateTime(timezone=True))
    else:
        class AuditLog(Base):
            __tablename__ = "audit_log"

            if fix == "add-surrogate-id/column":
                id = Column(Integer, primary_key=True)
            request_id = Column(String(36), primary_key=(fix == "mark-existing-key/column"))
            event = Column(String(100))
            created_at = Column(DateTime(timezone=True))

    session = kit.pg_session(Base)
    session.add(AuditLog(request_id="r-1", event="login"))
    session.commit()
    assert session.execute(select(AuditLog)).scalar_one().event == "login"


async def core_table_instead():
    Base = kit.base()
    audit_log = Table(
        "audit_log",
        Base.metadata,
        Column("event", String(100)),
        Column("created_at", DateTime(timezone=True)),
    )
    session = await kit.async_pg_session(Base)
    now = datetime.datetime.now(datetime.timezone.utc)
    await session.execute(insert(audit_log).values(event="login", created_at=now))
    await session.commit()
    assert (await session.execute(select(audit_log.c.event))).scalar_one() == "login"
    await session.close()


def association_class(fix):
    """UserGroupLink maps the user_group_links link table, with no composite key."""
    kit.expect_fix(fix, "composite-key-association", "composite-key-association/column")
    Base = kit.base()

    class User(Base):
        __tablename__ = "users"
        id = Column(Integer, primary_key=True)

    class Group(Base):
        __tablename__ = "groups"
        id = Column(Integer, primary_key=True)

    if fix == "composite-key-association":
        from sqlalchemy.orm import Mapped, mapped_column

        class UserGroupLink(Base):
            __tablename__ = "user_group_links"

            user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
            group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), primary_key=True)
    else:
        class UserGroupLink(Base):
            __tablename__ = "user_group_links"

            user_id = Column(ForeignKey("users.id"), primary_key=(fix is not None))
            group_id = Column(ForeignKey("groups.id"), primary_key=(fix is not None))

    session = kit.pg_session(Base)
    session.add_all([User(id=1), Group(id=1)])
    session.flush()
    session.add(UserGroupLink(user_id=1, group_id=1))
    session.commit()


def reflected_view(fix):
    """OrderTotal maps the v_order_totals view, reflected: a view has no primary key."""
    kit.expect_fix(fix, "mapper-primary-key-argument", "mark-existing-key", "mark-existing-key/column")
    sync_engine = kit.pg_engine()
    with sync_engine.begin() as conn:
        conn.execute(text("CREATE TABLE orders (id serial PRIMARY KEY, total integer)"))
        conn.execute(text("CREATE VIEW v_order_totals AS SELECT id AS order_id, total FROM orders"))
        conn.execute(text("INSERT INTO orders (total) VALUES (42)"))
    Base = kit.base()
    if fix == "mapper-primary-key-argument":
        class OrderTotal(Base):
            __table__ = Table("v_order_totals", Base.metadata, autoload_with=sync_engine)
            __mapper_args__ = {"primary_key": [__table__.c.order_id]}
    elif fix == "mark-existing-key":
        from sqlalchemy.orm import Mapped, mapped_column

        class OrderTotal(Base):
            __tablename__ = "v_order_totals"

            order_id: Mapped[int] = mapped_column(primary_key=True)
            total: Mapped[int]
    elif fix == "mark-existing-key/column":
        class OrderTotal(Base):
            __tablename__ = "v_order_totals"

            order_id = Column(Integer, primary_key=True)
            total = Column(Integer)
    else:
        class OrderTotal(Base):
            __table__ = Table("v_order_totals", Base.metadata, autoload_with=sync_engine)

    from sqlalchemy.orm import Session

    with Session(sync_engine) as session:
        assert session.execute(select(OrderTotal)).scalar_one().total == 42


def subclass_table(fix):
    """Manager(Employee): managers has an FK to employees but no primary key (SAWarning)."""
    kit.expect_fix(fix, "subclass-primary-key", "subclass-primary-key/column")
    Base = kit.base()

    class Employee(Base):
        __tablename__ = "employees"
        id = Column(Integer, primary_key=True)
        kind = Column(String(20))
        __mapper_args__ = {"polymorphic_on": kind, "polymorphic_identity": "employee"}

    def declare():
        if fix == "subclass-primary-key":
            from sqlalchemy.orm import Mapped, mapped_column

            class Manager(Employee):
                __tablename__ = "managers"

                id: Mapped[int] = mapped_column(ForeignKey("employees.id"), primary_key=True)
                level = Column(Integer)
                __mapper_args__ = {"polymorphic_identity": "manager"}
        elif fix == "subclass-primary-key/column":
            class Manager(Employee):
                __tablename__ = "managers"

                id = Column(ForeignKey("employees.id"), primary_key=True)
                level = Column(Integer)
                __mapper_args__ = {"polymorphic_identity": "manager"}
        else:
            class Manager(Employee):
                __tablename__ = "managers"
                employee_id = Column(ForeignKey("employees.id"))
                level = Column(Integer)
                __mapper_args__ = {"polymorphic_identity": "manager"}
        return Manager

    Manager = kit.fail_on_warnings("SAWarning", declare)
    session = kit.sqlite_session(Base)
    session.add(Manager(level=3))
    session.commit()
    session.expunge_all()
    assert session.execute(select(Manager)).scalar_one().level == 3


labkit.run({
    "no-primary-key-column": no_pk_column,
    "association-class": association_class,
    "reflected-or-view": reflected_view,
    "inheritance-subclass-table": subclass_table,
})
