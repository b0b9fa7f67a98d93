"""NoReferencedTableError: Foreign key associated with column 'x.y' could not find table 'z'
(knowledge/faults/sqlalchemy/no-referenced-table.yaml).
"""
import labkit
from sqlalchemy import Column, ForeignKey, Integer, String, create_engine
from sqlalchemy.orm import declarative_base


def typo_in_foreign_key(fix):
    Base = declarative_base()
    target = {None: "customer.id", "use-tablename": "customers.id"}
    if fix not in target:
        raise labkit.UnknownFix(fix)

    class Customer(Base):
        __tablename__ = "customers"
        id = Column(Integer, primary_key=True)

    class Order(Base):
        __tablename__ = "orders"
        id = Column(Integer, primary_key=True)
        customer_id = Column(ForeignKey(target[fix]))   # the class name, not __tablename__

    Base.metadata.create_all(create_engine(labkit.pg_url("psycopg2")))


def model_not_imported(fix):
    """models/order.py refers to customers.id; models/customer.py is never imported."""
    Base = declarative_base()

    class Order(Base):
        __tablename__ = "orders"
        id = Column(Integer, primary_key=True)
        customer_id = Column(ForeignKey("customers.id"))

    if fix == "import-all-models":
        class Customer(Base):  # what `from app.models import customer` would register
            __tablename__ = "customers"
            id = Column(Integer, primary_key=True)
            name = Column(String(80))
    elif fix is not None:
        raise labkit.UnknownFix(fix)
    Base.metadata.create_all(create_engine(labkit.pg_url("psycopg2")))


def separate_bases(fix):
    """Two declarative_base() calls: each has its own MetaData."""
    CoreBase = declarative_base()
    BillingBase = CoreBase if fix == "import-all-models" else declarative_base()   # the fix: one shared Base
    if fix not in (None, "import-all-models"):
        raise labkit.UnknownFix(fix)

    class Customer(CoreBase):
        __tablename__ = "customers"
        id = Column(Integer, primary_key=True)

    class Invoice(BillingBase):
        __tablename__ = "invoices"
        id = Column(Integer, primary_key=True)
        customer_id = Column(ForeignKey("customers.id"))

    engine = create_engine(labkit.pg_url("psycopg2"))
    CoreBase.metadata.create_all(engine)
    BillingBase.metadata.create_all(engine)


labkit.run({"typo-in-foreign-key": typo_in_foreign_key, "model-not-imported": model_not_imported,
            "separate-bases": separate_bases})
