"""NoForeignKeysError: relationship() or join() finds no ForeignKey between the tables."""
from sqlalchemy import Column, ForeignKey, Integer, String, Table, select
from sqlalchemy.orm import relationship

import labkit
from kits import orm_mapping as kit


def missing_fk(fix):
    """Order.customer, but orders.customer_id is a plain Integer column."""
    kit.expect_fix(fix, "add-foreign-key", "add-foreign-key/column",
                   "primaryjoin-with-foreign", "primaryjoin-with-foreign/column")
    Base = kit.base()

    class Customer(Base):
        __tablename__ = "customers"
        id = Column(Integer, primary_key=True)

    if fix == "add-foreign-key":
        from sqlalchemy.orm import Mapped, mapped_column

        class Order(Base):
            __tablename__ = "orders"
            id: Mapped[int] = mapped_column(primary_key=True)
            customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
            customer: Mapped["Customer"] = relationship()
    elif fix == "add-foreign-key/column":
        class Order(Base):
            __tablename__ = "orders"
            id = Column(Integer, primary_key=True)
            customer_id = Column(Integer, ForeignKey("customers.id"))
            customer = relationship("Customer")
    elif fix == "primaryjoin-with-foreign":
        from sqlalchemy.orm import Mapped, mapped_column

        class Order(Base):
            __tablename__ = "orders"
            id: Mapped[int] = mapped_column(primary_key=True)
            customer_id: Mapped[int] = mapped_column()
            customer: Mapped["Customer"] = relationship(
                primaryjoin="foreign(Order.customer_id) == Customer.id",
            )
    elif fix == "primaryjoin-with-foreign/column":
        class Order(Base):
            __tablename__ = "orders"
            id = Column(Integer, primary_key=True)
            customer_id = Column(Integer)
            customer = relationship("Customer", primaryjoin="foreign(Order.customer_id) == Customer.id")
    else:
        class Order(Base):
            __tablename__ = "orders"
            id = Column(Integer, primary_key=True)
            customer_id = Column(Integer)
            customer = relationship("Customer")

    session = kit.sqlite_session(Base)
    session.add(Order(customer=Customer()))
    session.commit()
    assert session.execute(select(Order)).scalar_one().customer is not None


def secondary_without_fks(fix):
    """Student.courses through enrollments(student_id, course_id), plain Integer columns."""
    kit.expect_fix(fix, "association-table-foreign-keys", "association-table-foreign-keys/column")
    Base = kit.base()

    class Course(Base):
        __tablename__ = "courses"
        id = Column(Integer, primary_key=True)

    if fix is None:
        enrollments = Table(
            "enrollments",
            Base.metadata,
            Column("student_id", Integer, primary_key=True),
            Column("course_id", Integer, primary_key=True),
        )
    else:
        enrollments = Table(
            "enrollments",
            Base.metadata,
            Column("left_id", ForeignKey("students.id"), primary_key=True),
            Column("right_id", ForeignKey("courses.id"), primary_key=True),
        )
    if fix == "association-table-foreign-keys":
        from sqlalchemy.orm import Mapped, mapped_column

        class Student(Base):
            __tablename__ = "students"
            id: Mapped[int] = mapped_column(primary_key=True)
            courses: Mapped[list["Course"]] = relationship(secondary=enrollments)
    else:
        class Student(Base):
            __tablename__ = "students"
            id = Column(Integer, primary_key=True)
            courses = relationship("Course", secondary=enrollments)

    session = kit.sqlite_session(Base)
    session.add(Student(courses=[Course(), Course()]))
    session.commit()
    assert len(session.execute(select(Student)).scalar_one().courses) == 2


def joined_inheritance(fix):
    """Manager(Employee), but managers.id is a plain Integer primary key."""
    kit.expect_fix(fix, "inheritance-foreign-key", "inheritance-foreign-key/column")
    Base = kit.base()

    class Employee(Base):
        __tablename__ = "employees"
        id = Column(Integer, primary_key=True)
        kind = Column(String(20))
        __mapper_args__ = {"polymorphic_on": kind, "polymorphic_identity": "employee"}

    if fix == "inheritance-foreign-key":
        from sqlalchemy.orm import Mapped, mapped_column

        class Manager(Employee):
            __tablename__ = "managers"

            id: Mapped[int] = mapped_column(ForeignKey("employees.id"), primary_key=True)
            __mapper_args__ = {"polymorphic_identity": "manager"}
    elif fix == "inheritance-foreign-key/column":
        class Manager(Employee):
            __tablename__ = "managers"

            id = Column(ForeignKey("employees.id"), primary_key=True)
            __mapper_args__ = {"polymorphic_identity": "manager"}
    else:
        class Manager(Employee):
            __tablename__ = "managers"
            id = Column(Integer, primary_key=True)
            __mapper_args__ = {"polymorphic_identity": "manager"}

    session = kit.sqlite_session(Base)
    session.add(Manager())
    session.commit()
    assert isinstance(session.execute(select(Employee)).scalar_one(), Manager)


def join_without_on(fix, join_from=False):
    """select(Order).join(Customer) (or join_from) when orders.customer_id has no ForeignKey."""
    kit.expect_fix(fix, "join-on-clause")
    Base = kit.base()

    class Customer(Base):
        __tablename__ = "customers"
        id = Column(Integer, primary_key=True)
        name = Column(String(50))

    class Order(Base):
        __tablename__ = "orders"
        id = Column(Integer, primary_key=True)
        customer_id = Column(Integer)
        customer = relationship("Customer", primaryjoin="foreign(Order.customer_id) == Customer.id")

    session = kit.sqlite_session(Base)
    session.add(Order(customer=Customer(name="acme")))
    session.commit()
    if fix == "join-on-clause":
        # both lines of the fix: along the relationship, and with an explicit ON clause
        statements = [
            select(Order).join(Order.customer),
            select(Order).join(Customer, Customer.id == Order.customer_id),
        ]
    else:
        statements = [select(Order).join_from(Order, Customer) if join_from else select(Order).join(Customer)]
    for stmt in statements:
        assert len(session.execute(stmt.where(Customer.name == "acme")).scalars().all()) == 1


labkit.run({
    "missing-foreign-key": missing_fk,
    "secondary-without-foreign-keys": secondary_without_fks,
    "joined-inheritance": joined_inheritance,
    "join-without-on-clause": join_without_on,
    "join-from-without-on-clause": lambda fix: join_without_on(fix, join_from=True),
})
