"""unique() required for joined eager loads of a collection (knowledge/faults/sqlalchemy/unique-required.yaml).

3 authors with 2 books each, loaded with joinedload(Author.books) or a lazy="joined" mapping
through a 2.0-style select(); each fix reports the statements it sent and the authors it got.
"""
import labkit
from kits import orm_session as kit
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, relationship, selectinload


def scenario(mapping_lazy):
    def run(fix):
        lazy = "selectin" if fix == "mapping-selectin" else mapping_lazy
        m = kit.define(books=lambda: relationship("Book", lazy=lazy))
        Author = m.Author
        engine = kit.sync_engine(m)
        counter = labkit.QueryCounter(engine)
        with Session(engine) as session:
            if fix == "selectinload-instead":
                stmt = select(Author).options(selectinload(Author.books))
                authors = session.scalars(stmt).all()   # no .unique() needed
            else:
                stmt = select(Author)
                if mapping_lazy == "select":
                    stmt = stmt.options(joinedload(Author.books))
                if fix == "call-unique":
                    authors = session.scalars(stmt).unique().all()
                elif fix in (None, "mapping-selectin"):
                    authors = session.scalars(stmt).all()  # the fault: rows repeat per book
                else:
                    raise labkit.UnknownFix(fix)
            assert len(authors) == 3 and all(len(a.books) == 2 for a in authors), authors
        labkit.measure(queries=counter.count)
    return run


labkit.run({
    "joinedload-option": scenario("select"),
    "mapping-lazy-joined": scenario("joined"),
})
