"""InvalidRequestError: Mapper '...' has no property '...' / Entity namespace for "..." has no property
(knowledge/faults/sqlalchemy/mapper-no-property.yaml).
"""
import labkit
from sqlalchemy import Column, ForeignKey, Integer, String, create_engine, select
from sqlalchemy.orm import Session, configure_mappers, declarative_base, relationship


def back_populates_typo(fix):
    Base = declarative_base()
    other_side = {None: "writer", "match-back-populates": "posts"}
    if fix not in other_side:
        raise labkit.UnknownFix(fix)

    class User(Base):
        __tablename__ = "users"
        id = Column(Integer, primary_key=True)
        posts = relationship("Post", back_populates="author")

    class Post(Base):
        __tablename__ = "posts"
        id = Column(Integer, primary_key=True)
        user_id = Column(ForeignKey("users.id"))
        author = relationship("User", back_populates=other_side[fix])

    configure_mappers()


def filter_by_unknown(fix):
    Base = declarative_base()

    class User(Base):
        __tablename__ = "users"
        id = Column(Integer, primary_key=True)
        email_address = Column("email", String(80))

    engine = create_engine(labkit.pg_url("psycopg2"))
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        if fix is None:
            stmt = select(User).filter_by(email="ada@example.com")   # the column's name, not the attribute's
        elif fix == "attribute-name":
            stmt = select(User).filter_by(email_address="ada@example.com")
        elif fix == "where-expression":
            stmt = select(User).where(User.email_address == "ada@example.com")
        else:
            raise labkit.UnknownFix(fix)
        assert session.execute(stmt).all() == []


labkit.run({"back-populates-typo": back_populates_typo, "filter-by-unknown": filter_by_unknown})
