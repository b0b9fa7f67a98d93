"""InvalidRequestError: expression 'X' failed to locate a name, at mapper configuration."""
from sqlalchemy import Column, ForeignKey, Integer, select
from sqlalchemy.orm import relationship

import labkit
from kits import orm_mapping as kit

# A small project: app/models/<one module per class>, and an entry point that imports only
# the model it queries, as a cron script or a worker often does.
DB = """
    from sqlalchemy import create_engine
    from sqlalchemy.orm import declarative_base

    Base = declarative_base()
    engine = create_engine("sqlite:///app.db")
"""
USER = """
    from typing import TYPE_CHECKING

    from sqlalchemy import Column, ForeignKey, Integer
    from sqlalchemy.orm import relationship

    from app.db import Base

    if TYPE_CHECKING:
        from app.models.organization import Organization


    class User(Base):
        __tablename__ = "users"
        id = Column(Integer, primary_key=True)
        organization_id = Column(ForeignKey("organizations.id"))
        organization = relationship("Organization")
        roles = relationship("Role", secondary=%s)
"""
ORGANIZATION = """
    from sqlalchemy import Column, Integer, String

    from app.db import Base


    class Organization(Base):
        __tablename__ = "organizations"
        id = Column(Integer, primary_key=True)
        name = Column(String(50))
"""
ROLE = """
    from sqlalchemy import Column, Integer

    from app.db import Base


    class Role(Base):
        __tablename__ = "roles"
        id = Column(Integer, primary_key=True)
"""
ASSOCIATIONS = """
    from sqlalchemy import Column, ForeignKey, Table

    from app.db import Base

    user_roles = Table(
        "user_roles",
        Base.metadata,
        Column("left_id", ForeignKey("users.id"), primary_key=True),
        Column("right_id", ForeignKey("roles.id"), primary_key=True),
    )
"""
# the fix import-all-models, as the fault file prints it
IMPORT_ALL = """
    import importlib
    import pkgutil

    for _module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{_module.name}")
"""
REPORT = """
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    %s
    from app.db import engine
    from app.models.role import Role
    from app.models.user import User

    with Session(engine) as session:
        print(session.execute(select(User)).scalars().all())
"""
# the fix configure-at-startup: a FastAPI-style lifespan hook
MAIN = """
    from contextlib import asynccontextmanager
    from sqlalchemy.orm import configure_mappers

    import app.models  # noqa: F401  (registers every class)

    @asynccontextmanager
    async def lifespan(app):
        configure_mappers()  # raises here if a relationship() name cannot be resolved
        yield
"""
SERVE = """
    import asyncio

    from app.main import lifespan

    async def serve():
        async with lifespan(None):
            exec(open("scripts/nightly_report.py").read())

    asyncio.run(serve())
"""


SCHEMA = """
    CREATE TABLE organizations (id INTEGER PRIMARY KEY, name VARCHAR(50));
    CREATE TABLE users (id INTEGER PRIMARY KEY, organization_id INTEGER REFERENCES organizations (id));
    CREATE TABLE roles (id INTEGER PRIMARY KEY);
    CREATE TABLE user_roles (left_id INTEGER REFERENCES users (id), right_id INTEGER REFERENCES roles (id),
                             PRIMARY KEY (left_id, right_id));
"""


def project(fix, secondary, import_models_line=""):
    import sqlite3

    with sqlite3.connect("app.db") as conn:  # the database the migrations built
        conn.executescript(SCHEMA)
    files = {
        "app/__init__.py": "",
        "app/db.py": DB,
        "app/models/__init__.py": "",
        "app/models/user.py": USER % secondary,
        "app/models/organization.py": ORGANIZATION,
        "app/models/role.py": ROLE,
        "app/models/associations.py": ASSOCIATIONS,
        "scripts/nightly_report.py": REPORT % import_models_line,
    }
    return files


def model_not_imported(fix):
    """scripts/nightly_report.py imports app.models.user; Organization's module is never imported."""
    kit.expect_fix(fix, "import-all-models", "configure-at-startup")
    files = project(fix, "lambda: Base.metadata.tables['user_roles']")
    files["scripts/nightly_report.py"] = (REPORT % "").replace("from app.models.role import Role\n", "from app.models.role import Role\n    from app.models.associations import user_roles  # noqa: F401\n")
    if fix == "import-all-models":
        files["app/models/__init__.py"] = IMPORT_ALL
        files["scripts/nightly_report.py"] = REPORT % "import app.models  # noqa: F401"
    elif fix == "configure-at-startup":
        # "import app.models (registers every class)": the package imports its modules
        files["app/models/__init__.py"] = IMPORT_ALL
        files["app/main.py"] = MAIN
        files["scripts/serve.py"] = SERVE
        kit.write_app(files)
        return kit.run_script("scripts/serve.py")
    kit.write_app(files)
    kit.run_script("scripts/nightly_report.py")


def secondary_not_found(fix):
    """User.roles uses secondary="user_roles", defined in app/models/associations.py, never imported."""
    kit.expect_fix(fix, "import-all-models", "secondary-table-object", "secondary-table-object/column")
    files = project(fix, '"user_roles"')
    files["scripts/nightly_report.py"] = (REPORT % "").replace("from app.models.role import Role\n", "from app.models.role import Role\n    from app.models.organization import Organization  # noqa: F401\n")
    if fix == "import-all-models":
        files["app/models/__init__.py"] = IMPORT_ALL
        files["scripts/nightly_report.py"] = REPORT % "import app.models  # noqa: F401"
    elif fix and fix.startswith("secondary-table-object"):
        files["app/models/user.py"] = SECONDARY_TABLE_OBJECT_2 if fix == "secondary-table-object" else SECONDARY_TABLE_OBJECT_1
        files["scripts/nightly_report.py"] = (REPORT % "").replace("from app.models.role import Role\n", "from app.models.role import Role\n    from app.models.organization import Organization  # noqa: F401\n")
    kit.write_app(files)
    kit.run_script("scripts/nightly_report.py")


_USER_HEAD = """
    from sqlalchemy import Column, ForeignKey, Integer, Table
    from sqlalchemy.orm import relationship

    from app.db import Base

    user_roles = Table(
        "user_roles",
        Base.metadata,  # the same Base as User
        Column("left_id", ForeignKey("users.id"), primary_key=True),
        Column("right_id", ForeignKey("roles.id"), primary_key=True),
    )
"""
SECONDARY_TABLE_OBJECT_2 = _USER_HEAD + """
    from sqlalchemy.orm import Mapped


    class User(Base):
        __tablename__ = "users"
        id = Column(Integer, primary_key=True)
        organization_id = Column(ForeignKey("organizations.id"))
        organization = relationship("Organization")
        roles: Mapped[list["Role"]] = relationship(secondary=user_roles)
"""
SECONDARY_TABLE_OBJECT_1 = _USER_HEAD + """

    class User(Base):
        __tablename__ = "users"
        id = Column(Integer, primary_key=True)
        organization_id = Column(ForeignKey("organizations.id"))
        organization = relationship("Organization")
        roles = relationship("Role", secondary=user_roles)
"""


def wrong_name(fix, target="customer"):
    """Order.customer = relationship("customer"): neither a class nor a table of this Base
    (or, with target="customers", the table name where the class name belongs)."""
    kit.expect_fix(fix, "fix-relationship-name", "fix-relationship-name/column")
    Base = kit.base()

    class Customer(Base):
        __tablename__ = "customers"
        id = Column(Integer, primary_key=True)
        orders = relationship("Order", back_populates="customer")

    if fix == "fix-relationship-name":
        from sqlalchemy.orm import Mapped

        class Order(Base):
            __tablename__ = "orders"
            id = Column(Integer, primary_key=True)
            customer_id = Column(ForeignKey("customers.id"))
            # the class name, exactly as defined (not "customers", not the attribute name)
            customer: Mapped["Customer"] = relationship(back_populates="orders")
    elif fix == "fix-relationship-name/column":
        class Order(Base):
            __tablename__ = "orders"
            id = Column(Integer, primary_key=True)
            customer_id = Column(ForeignKey("customers.id"))
            customer = relationship("Customer", back_populates="orders")
    else:
        class Order(Base):
            __tablename__ = "orders"
            id = Column(Integer, primary_key=True)
            customer_id = Column(ForeignKey("customers.id"))
            customer = relationship(target, back_populates="orders")

    session = kit.sqlite_session(Base)
    session.add(Order(customer=Customer()))
    session.commit()
    assert len(session.execute(select(Customer)).scalar_one().orders) == 1


labkit.run({
    "model-not-imported": model_not_imported,
    "secondary-table-not-found": secondary_not_found,
    "wrong-name": wrong_name,
    "table-name-used": lambda fix: wrong_name(fix, target="customers"),
})
