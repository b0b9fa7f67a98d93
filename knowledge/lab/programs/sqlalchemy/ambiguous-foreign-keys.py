"""AmbiguousForeignKeysError: two or more FK paths between the same tables."""
from sqlalchemy import Column, ForeignKey, Integer, String, Table, select
from sqlalchemy.orm import relationship

import labkit
from kits import orm_mapping as kit


def several_fks(fix):
    """Customer.billing_address: customers has billing_ and shipping_address_id -> addresses."""
    kit.expect_fix(fix, "foreign-keys-many-to-one", "foreign-keys-many-to-one/column",
                   "explicit-primaryjoin", "explicit-primaryjoin/column")
    Base = kit.base()

    class Address(Base):
        __tablename__ = "addresses"
        id = Column(Integer, primary_key=True)

    if fix == "foreign-keys-many-to-one":
        from sqlalchemy.orm import Mapped, mapped_column

        class Customer(Base):
            __tablename__ = "customers"
            id: Mapped[int] = mapped_column(primary_key=True)
            billing_address_id: Mapped[int] = mapped_column(ForeignKey("addresses.id"))
            billing_address: Mapped["Address"] = relationship(foreign_keys=[billing_address_id])
            shipping_address_id: Mapped[int] = mapped_column(ForeignKey("addresses.id"))
            shipping_address: Mapped["Address"] = relationship(foreign_keys=[shipping_address_id])
    elif fix == "foreign-keys-many-to-one/column":
        class Customer(Base):
            __tablename__ = "customers"
            id = Column(Integer, primary_key=True)
            billing_address_id = Column(ForeignKey("addresses.id"))
            billing_address = relationship("Address", foreign_keys=[billing_address_id])
            shipping_address_id = Column(ForeignKey("addresses.id"))
            shipping_address = relationship("Address", foreign_keys=[shipping_address_id])
    elif fix == "explicit-primaryjoin":
        from sqlalchemy.orm import Mapped, mapped_column

        class Customer(Base):
            __tablename__ = "customers"
            id: Mapped[int] = mapped_column(primary_key=True)
            billing_address_id: Mapped[int] = mapped_column(ForeignKey("addresses.id"))
            shipping_address_id: Mapped[int] = mapped_column(ForeignKey("addresses.id"))
            billing_address: Mapped["Address"] = relationship(
                primaryjoin="Customer.billing_address_id == Address.id",
            )
            shipping_address: Mapped["Address"] = relationship(
                primaryjoin="Customer.shipping_address_id == Address.id",
            )
    elif fix == "explicit-primaryjoin/column":
        class Customer(Base):
            __tablename__ = "customers"
            id = Column(Integer, primary_key=True)
            billing_address_id = Column(ForeignKey("addresses.id"))
            shipping_address_id = Column(ForeignKey("addresses.id"))
            billing_address = relationship("Address", primaryjoin="Customer.billing_address_id == Address.id")
            shipping_address = relationship("Address", primaryjoin="Customer.shipping_address_id == Address.id")
    else:
        class Customer(Base):
            __tablename__ = "customers"
            id = Column(Integer, primary_key=True)
            billing_address_id = Column(ForeignKey("addresses.id"))
            shipping_address_id = Column(ForeignKey("addresses.id"))
            billing_address = relationship("Address")
            shipping_address = relationship("Address")

    session = kit.sqlite_session(Base)
    home, office = Address(), Address()
    session.add(Customer(billing_address=home, shipping_address=office))
    session.commit()
    customer = session.execute(select(Customer)).scalar_one()
    assert customer.billing_address is home and customer.shipping_address is office


def several_fks_collection(fix):
    """User.authored_posts: posts has author_id and reviewer_id -> users (the one-to-many side)."""
    kit.expect_fix(fix, "foreign-keys-one-to-many", "foreign-keys-one-to-many/column")
    Base = kit.base()

    class Post(Base):
        __tablename__ = "posts"
        id = Column(Integer, primary_key=True)
        author_id = Column(ForeignKey("users.id"))
        reviewer_id = Column(ForeignKey("users.id"))
        author = relationship("User", foreign_keys=[author_id], back_populates="authored_posts")
        reviewer = relationship("User", foreign_keys=[reviewer_id], back_populates="reviewed_posts")

    if fix == "foreign-keys-one-to-many":
        from sqlalchemy.orm import Mapped, mapped_column

        class User(Base):
            __tablename__ = "users"
            id: Mapped[int] = mapped_column(primary_key=True)
            authored_posts: Mapped[list["Post"]] = relationship(
                foreign_keys="[Post.author_id]",
                back_populates="author",
            )
            reviewed_posts: Mapped[list["Post"]] = relationship(
                foreign_keys="[Post.reviewer_id]",
                back_populates="reviewer",
            )
    elif fix == "foreign-keys-one-to-many/column":
        class User(Base):
            __tablename__ = "users"
            id = Column(Integer, primary_key=True)
            authored_posts = relationship("Post", foreign_keys="[Post.author_id]", back_populates="author")
            reviewed_posts = relationship("Post", foreign_keys="[Post.reviewer_id]", back_populates="reviewer")
    else:
        class User(Base):
            __tablename__ = "users"
            id = Column(Integer, primary_key=True)
            authored_posts = relationship("Post", back_populates="author")
            reviewed_posts = relationship("Post", back_populates="reviewer")

    session = kit.sqlite_session(Base)
    ann, bob = User(), User()
    session.add(Post(author=ann, reviewer=bob))
    session.commit()
    assert len(ann.authored_posts) == 1 and not ann.reviewed_posts and len(bob.reviewed_posts) == 1


def mutual_fks(fix):
    """Document.current_version points at versions, and versions.document_id points back."""
    kit.expect_fix(fix, "foreign-keys-many-to-one", "foreign-keys-many-to-one/column",
                   "post-update-for-cycle", "post-update-for-cycle/column")
    Base = kit.base()

    class Version(Base):
        __tablename__ = "versions"
        id = Column(Integer, primary_key=True)
        document_id = Column(ForeignKey("documents.id"))

    post_update = fix is not None and fix.startswith("post-update-for-cycle")
    if fix in ("foreign-keys-many-to-one", "post-update-for-cycle"):
        from sqlalchemy.orm import Mapped, mapped_column

        class Document(Base):
            __tablename__ = "documents"
            id: Mapped[int] = mapped_column(primary_key=True)
            current_version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), nullable=True)
            if post_update:
                current_version: Mapped["Version"] = relationship(
                    foreign_keys=[current_version_id],
                    post_update=True,
                )
            else:
                current_version: Mapped["Version"] = relationship(foreign_keys=[current_version_id])
            versions: Mapped[list["Version"]] = relationship(foreign_keys="[Version.document_id]")
    elif fix in ("foreign-keys-many-to-one/column", "post-update-for-cycle/column"):
        class Document(Base):
            __tablename__ = "documents"
            id = Column(Integer, primary_key=True)
            current_version_id = Column(ForeignKey("versions.id"))
            current_version = relationship("Version", foreign_keys=[current_version_id], post_update=post_update)
            versions = relationship("Version", foreign_keys="[Version.document_id]")
    else:
        class Document(Base):
            __tablename__ = "documents"
            id = Column(Integer, primary_key=True)
            current_version_id = Column(ForeignKey("versions.id"))
            current_version = relationship("Version")
            versions = relationship("Version")

    session = kit.sqlite_session(Base)
    counter = labkit.QueryCounter(session.get_bind())
    first = Version()
    # rows that point at each other: only post_update can flush this pair
    doc = Document(versions=[first], current_version=first) if post_update else Document(versions=[first])
    session.add(doc)
    session.commit()
    writes = [s for s in counter.statements if not s.lstrip().upper().startswith("SELECT")]
    labkit.measure(queries=len(writes))
    if post_update:
        assert doc.current_version is first


def secondary_several_fks(fix):
    """User.followers through follows(left_id, right_id), both -> users.id."""
    kit.expect_fix(fix, "primaryjoin-secondaryjoin", "primaryjoin-secondaryjoin/column")
    Base = kit.base()
    follows = Table(
        "follows",
        Base.metadata,
        Column("left_id", ForeignKey("users.id"), primary_key=True),
        Column("right_id", ForeignKey("users.id"), primary_key=True),
    )
    if fix == "primaryjoin-secondaryjoin":
        from sqlalchemy.orm import Mapped, mapped_column

        class User(Base):
            __tablename__ = "users"
            id: Mapped[int] = mapped_column(primary_key=True)
            following: Mapped[list["User"]] = relationship(
                secondary=follows,
                primaryjoin=lambda: User.id == follows.c.left_id,
                secondaryjoin=lambda: User.id == follows.c.right_id,
            )
    elif fix == "primaryjoin-secondaryjoin/column":
        class User(Base):
            __tablename__ = "users"
            id = Column(Integer, primary_key=True)
            following = relationship(
                "User",
                secondary=follows,
                primaryjoin=lambda: User.id == follows.c.left_id,
                secondaryjoin=lambda: User.id == follows.c.right_id,
            )
    else:
        class User(Base):
            __tablename__ = "users"
            id = Column(Integer, primary_key=True)
            following = relationship("User", secondary=follows)

    session = kit.sqlite_session(Base)
    ann, bob = User(), User()
    ann.following.append(bob)
    session.add(ann)
    session.commit()
    assert ann.following == [bob] and bob.following == []


def join_without_on(fix):
    """select(Customer).join(Address) when customers has two FKs to addresses."""
    kit.expect_fix(fix, "join-along-relationship")
    Base = kit.base()

    class Address(Base):
        __tablename__ = "addresses"
        id = Column(Integer, primary_key=True)
        city = Column(String(50))

    class Customer(Base):
        __tablename__ = "customers"
        id = Column(Integer, primary_key=True)
        billing_address_id = Column(ForeignKey("addresses.id"))
        shipping_address_id = Column(ForeignKey("addresses.id"))
        billing_address = relationship("Address", foreign_keys=[billing_address_id])

    session = kit.sqlite_session(Base)
    session.add(Customer(billing_address=Address(city="Osaka")))
    session.commit()
    if fix == "join-along-relationship":
        # both lines of the fix: along the relationship, and with an explicit ON clause
        statements = [
            select(Customer).join(Customer.billing_address),
            select(Customer).join(Address, Customer.billing_address_id == Address.id),
        ]
    else:
        statements = [select(Customer).join(Address)]
    for stmt in statements:
        rows = session.execute(stmt.where(Address.city == "Osaka")).scalars().all()
        assert len(rows) == 1


def joined_inheritance(fix):
    """Manager(Employee): managers.id and managers.mentor_id both -> employees.id."""
    kit.expect_fix(fix, "inherit-condition", "inherit-condition/column")
    Base = kit.base()

    class Employee(Base):
        __tablename__ = "employees"
        id = Column(Integer, primary_key=True)
        kind = Column(String(20))
        __mapper_args__ = {"polymorphic_on": kind, "polymorphic_identity": "employee"}

    if fix == "inherit-condition":
        from typing import Optional

        from sqlalchemy.orm import Mapped, mapped_column

        class Manager(Employee):
            __tablename__ = "managers"

            id: Mapped[int] = mapped_column(ForeignKey("employees.id"), primary_key=True)
            mentor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("employees.id"))

            __mapper_args__ = {"inherit_condition": id == Employee.id, "polymorphic_identity": "manager"}
    elif fix == "inherit-condition/column":
        class Manager(Employee):
            __tablename__ = "managers"

            id = Column(ForeignKey("employees.id"), primary_key=True)
            mentor_id = Column(ForeignKey("employees.id"))

            __mapper_args__ = {"inherit_condition": id == Employee.id, "polymorphic_identity": "manager"}
    else:
        class Manager(Employee):
            __tablename__ = "managers"
            id = Column(ForeignKey("employees.id"), primary_key=True)
            mentor_id = Column(ForeignKey("employees.id"))
            __mapper_args__ = {"polymorphic_identity": "manager"}

    session = kit.sqlite_session(Base)
    session.add(Manager())
    session.commit()
    assert isinstance(session.execute(select(Employee)).scalar_one(), Manager)


labkit.run({
    "several-fks-to-same-table": several_fks,
    "several-fks-collection": several_fks_collection,
    "mutual-foreign-keys": mutual_fks,
    "secondary-with-several-fks": secondary_several_fks,
    "join-without-on-clause": join_without_on,
    "joined-inheritance": joined_inheritance,
})
