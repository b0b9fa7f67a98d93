"""SAWarning: relationship X will copy column a to column b, which conflicts with relationship(s) Y.

A warning, not an exception: a plain run prints the `file.py:N: SAWarning: ...` line the way
users see it, and the kit then exits 1 so the lab counts it. With a fix, nothing is printed.
"""
from sqlalchemy import Column, ForeignKey, ForeignKeyConstraint, Integer, String, Table, and_, select
from sqlalchemy.orm import relationship

import labkit
from kits import orm_mapping as kit


def missing_back_populates(fix):
    """Parent.children and Child.parent over the same FK, declared without back_populates."""
    kit.expect_fix(fix, "back-populates-both-sides", "viewonly-read-side", "overlaps-parameter")
    Base = kit.base()

    class Parent(Base):
        __tablename__ = "parents"
        id = Column(Integer, primary_key=True)
        if fix == "back-populates-both-sides":
            children = relationship("Child", back_populates="parent")
        else:
            children = relationship("Child")

    class Child(Base):
        __tablename__ = "children"
        id = Column(Integer, primary_key=True)
        parent_id = Column(ForeignKey("parents.id"))
        if fix == "back-populates-both-sides":
            parent = relationship("Parent", back_populates="children")
        elif fix == "viewonly-read-side":
            parent = relationship("Parent", viewonly=True)
        elif fix == "overlaps-parameter":
            parent = relationship("Parent", overlaps="children")
        else:
            parent = relationship("Parent")

    session = kit.sqlite_session(Base)
    with kit.reported_warnings("SAWarning"):
        session.execute(select(Parent)).all()
    mum = Parent(children=[Child(), Child()])
    session.add(mum)
    session.commit()
    session.expunge_all()
    assert len(session.execute(select(Parent)).scalar_one().children) == 2


def duplicate_on_same_class(fix):
    """Customer.orders and Customer.active_orders (a filtered view) both write orders.customer_id."""
    kit.expect_fix(fix, "viewonly-read-side", "overlaps-parameter")
    Base = kit.base()

    class Order(Base):
        __tablename__ = "orders"
        id = Column(Integer, primary_key=True)
        customer_id = Column(ForeignKey("customers.id"))
        status = Column(String(20), default="open")

    class Customer(Base):
        __tablename__ = "customers"
        id = Column(Integer, primary_key=True)
        orders = relationship("Order")
        active_join = lambda: and_(Customer.id == Order.customer_id, Order.status == "open")  # noqa: E731
        if fix == "viewonly-read-side":
            active_orders = relationship("Order", primaryjoin=active_join, viewonly=True)
        elif fix == "overlaps-parameter":
            active_orders = relationship("Order", primaryjoin=active_join, overlaps="orders")
        else:
            active_orders = relationship("Order", primaryjoin=active_join)

    session = kit.sqlite_session(Base)
    with kit.reported_warnings("SAWarning"):
        session.execute(select(Customer)).all()
    session.add(Customer(orders=[Order(), Order(status="shipped")]))
    session.commit()
    session.expunge_all()
    assert len(session.execute(select(Customer)).scalar_one().active_orders) == 1


def association_object_and_secondary(fix):
    """User.groups uses secondary=membership_table, and Membership is also mapped as an association object."""
    kit.expect_fix(fix, "viewonly-read-side", "overlaps-parameter")
    Base = kit.base()
    membership_table = Table(
        "memberships",
        Base.metadata,
        Column("user_id", ForeignKey("users.id"), primary_key=True),
        Column("group_id", ForeignKey("groups.id"), primary_key=True),
        Column("role", String(20)),
    )

    class Group(Base):
        __tablename__ = "groups"
        id = Column(Integer, primary_key=True)

    class Membership(Base):
        __table__ = membership_table
        user = relationship("User", back_populates="memberships")
        group = relationship("Group")

    class User(Base):
        __tablename__ = "users"
        id = Column(Integer, primary_key=True)
        memberships = relationship("Membership", back_populates="user")
        if fix == "viewonly-read-side":
            groups = relationship("Group", secondary=membership_table, viewonly=True)
        elif fix == "overlaps-parameter":
            groups = relationship("Group", secondary=membership_table, overlaps="memberships,user,group")
        else:
            groups = relationship("Group", secondary=membership_table)

    session = kit.sqlite_session(Base)
    with kit.reported_warnings("SAWarning"):
        session.execute(select(User)).all()
    ann = User(memberships=[Membership(group=Group(), role="admin")])
    session.add(ann)
    session.commit()
    session.expunge_all()
    assert len(session.execute(select(User)).scalar_one().groups) == 1


def intentional_overlap(fix):
    """Tenant-scoped composite FKs: Invoice.customer and Invoice.project both include tenant_id."""
    kit.expect_fix(fix, "foreign-annotation", "overlaps-parameter")
    Base = kit.base()

    class Customer(Base):
        __tablename__ = "customers"
        tenant_id = Column(Integer, primary_key=True)
        id = Column(Integer, primary_key=True)

    class Project(Base):
        __tablename__ = "projects"
        tenant_id = Column(Integer, primary_key=True)
        id = Column(Integer, primary_key=True)

    class Invoice(Base):
        __tablename__ = "invoices"
        id = Column(Integer, primary_key=True)
        tenant_id = Column(Integer, nullable=False)
        customer_id = Column(Integer)
        project_id = Column(Integer)
        __table_args__ = (
            ForeignKeyConstraint(["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"]),
            ForeignKeyConstraint(["tenant_id", "project_id"], ["projects.tenant_id", "projects.id"]),
        )
        if fix == "foreign-annotation":
            customer = relationship(
                "Customer",
                primaryjoin="and_(Invoice.tenant_id == Customer.tenant_id, "
                "foreign(Invoice.customer_id) == Customer.id)",
            )
            project = relationship(
                "Project",
                primaryjoin="and_(Invoice.tenant_id == Project.tenant_id, "
                "foreign(Invoice.project_id) == Project.id)",
            )
        elif fix == "overlaps-parameter":
            customer = relationship("Customer", overlaps="project")
            project = relationship("Project", overlaps="customer")
        else:
            customer = relationship("Customer")
            project = relationship("Project")

    session = kit.sqlite_session(Base)
    with kit.reported_warnings("SAWarning"):
        session.execute(select(Invoice)).all()
    session.add_all([Customer(tenant_id=1, id=10), Project(tenant_id=1, id=20)])
    session.flush()
    session.add(Invoice(tenant_id=1, customer_id=10, project_id=20))
    session.commit()
    session.expunge_all()
    invoice = session.execute(select(Invoice)).scalar_one()
    assert invoice.customer.id == 10 and invoice.project.id == 20


labkit.run({
    "missing-back-populates": missing_back_populates,
    "duplicate-on-same-class": duplicate_on_same_class,
    "association-object-and-secondary": association_object_and_secondary,
    "intentional-overlap": intentional_overlap,
})
