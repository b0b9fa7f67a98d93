"""InvalidRequestError: Table 'users' is already defined for this MetaData instance.
(knowledge/faults/sqlalchemy/table-already-defined.yaml).

The same table is declared twice on one MetaData: a model module imported under two names
(app.models and models), a model class defined inside a function called twice, a Table()
built again on every request.
"""
import importlib
import os
import sys

import labkit

MODELS = '''
from sqlalchemy import Column, Integer, String
from base import Base


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    email = Column(String(80))
'''


def imported_twice(fix):
    os.makedirs("app", exist_ok=True)
    with open("base.py", "w") as f:
        f.write("from sqlalchemy.orm import declarative_base\nBase = declarative_base()\n")
    with open("app/__init__.py", "w") as f:
        f.write("")
    models = MODELS
    if fix == "extend-existing":
        models = MODELS.replace('__tablename__ = "users"', '__tablename__ = "users"\n    __table_args__ = {"extend_existing": True}')
    elif fix not in (None, "import-once"):
        raise labkit.UnknownFix(fix)
    with open("app/models.py", "w") as f:
        f.write(models)
    sys.path[:0] = [os.getcwd(), os.path.join(os.getcwd(), "app")]
    a = importlib.import_module("app.models")        # the package path
    if fix == "import-once":
        b = importlib.import_module("app.models")
    else:
        b = importlib.import_module("models")        # the same file again, as a second module
    assert b.User.__table__.name == "users"


def table_per_call(fix):
    from sqlalchemy import Column, Integer, MetaData, String, Table

    metadata = MetaData()

    def events_table():
        if fix is None:
            return Table("events", metadata, Column("id", Integer, primary_key=True), Column("kind", String(20)))
        if fix == "import-once":
            if "events" in metadata.tables:              # built once, then reused
                return metadata.tables["events"]
            return Table("events", metadata, Column("id", Integer, primary_key=True), Column("kind", String(20)))
        if fix == "extend-existing":
            return Table("events", metadata, Column("id", Integer, primary_key=True), Column("kind", String(20)),
                         extend_existing=True)
        raise labkit.UnknownFix(fix)

    for _ in range(2):                                # one call per request
        assert events_table().name == "events"


labkit.run({"imported-twice": imported_twice, "table-per-call": table_per_call})
