"""lazy="raise" / raiseload refused a load (knowledge/faults/sqlalchemy/lazy-raise.yaml).

Users and their organization (many-to-one) mapped with lazy="raise" or "raise_on_sql", or
loaded with raiseload("*"); an author's books collection appended to under lazy="raise"; a
deferred column with raiseload=True. Each fix reports the statements it sent.
"""
import labkit
from kits import orm_session as kit
from sqlalchemy import Column, Text, select
from sqlalchemy.orm import (
    Session, contains_eager, deferred, joinedload, lazyload, raiseload, relationship, selectinload, undefer,
)


def read_organizations(lazy, query_raiseload=False):
    def scenario(fix):
        if fix == "relationship-lazy-default":
            m = kit.define(organization=lambda: relationship("Organization", lazy="selectin"))
        else:
            m = kit.define(organization=lambda: relationship("Organization", lazy=lazy))
        User = m.User
        engine = kit.sync_engine(m)
        counter = labkit.QueryCounter(engine)
        with Session(engine) as session:
            if fix in (None, "relationship-lazy-default"):
                stmt = select(User).options(raiseload("*")) if query_raiseload else select(User)
                users = session.scalars(stmt).all()
            elif fix == "selectinload-option":
                stmt = select(User).options(
                    selectinload(User.organization),
                    raiseload("*"),
                )
                users = session.scalars(stmt).all()
            elif fix == "joinedload-option":
                stmt = select(User).options(joinedload(User.organization))
                users = session.scalars(stmt).all()
            elif fix == "contains-eager":
                stmt = (
                    select(User)
                    .join(User.organization)
                    .options(contains_eager(User.organization))
                )
                users = session.scalars(stmt).all()
            elif fix == "lazyload-override":
                stmt = select(User).options(lazyload(User.organization))
                users = session.scalars(stmt).all()
            else:
                raise labkit.UnknownFix(fix)
            names = [u.organization.name for u in users]  # the fault: the load is refused
        assert names == ["org-1", "org-2", "org-3"], names
        labkit.measure(queries=counter.count)
    return scenario


def write_path(fix):
    if fix == "write-only-relationship":
        from sqlalchemy.orm import WriteOnlyMapped
        m = kit.define(books=lambda: relationship(), annotations={"Author": {"books": WriteOnlyMapped["Book"]}})
    else:
        m = kit.define(books=lambda: relationship("Book", lazy="raise"))
    Author, Book = m.Author, m.Book
    engine = kit.sync_engine(m)
    with Session(engine) as session:
        author = session.get(Author, 1)
        child = Book(id=99, title="new-book")
        if fix is None:
            author.books.append(child)  # the fault: appending needs the collection loaded
        elif fix == "set-child-side":
            child.author_id = author.id
            session.add(child)
        elif fix == "selectinload-option":
            stmt = select(Author).where(Author.id == 1).options(selectinload(Author.books), raiseload("*"))
            author = session.scalars(stmt).first()
            author.books.append(child)
        elif fix == "write-only-relationship":
            author.books.add(child)
            rows = session.scalars(author.books.select()).all()
            assert len(rows) == 3, rows
        else:
            raise labkit.UnknownFix(fix)
        session.commit()
        assert session.get(Book, 99).author_id == 1


def deferred_column(fix):
    m = kit.define(User={"bio": deferred(Column(Text, default="about me"), raiseload=True)})
    User = m.User
    engine = kit.sync_engine(m)
    with Session(engine) as session:
        if fix is None:
            user = session.scalars(select(User)).first()
        elif fix == "undefer-column":
            stmt = select(User).options(undefer(User.bio))
            user = session.scalars(stmt).first()
        else:
            raise labkit.UnknownFix(fix)
        assert user.bio == "about me"  # the fault: raiseload=True refuses the deferred load


labkit.run({
    "mapping-raise": read_organizations("raise"),
    "raise-on-sql": read_organizations("raise_on_sql"),
    "query-raiseload": read_organizations("select", query_raiseload=True),
    "write-path": write_path,
    "deferred-column": deferred_column,
})
