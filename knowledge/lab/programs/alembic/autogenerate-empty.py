"""`alembic revision --autogenerate` that cannot see the models: target_metadata left as None, the models never
imported (into an empty database, or one that has their tables), or tables another component owns."""
import glob
import os
import sys

import labkit
from kits import app_stack as kit
from kits import web_stack

DB = '''
from sqlalchemy.orm import declarative_base

Base = declarative_base()
'''

MODELS = '''
from sqlalchemy import Column, Integer, String

from app.db import Base


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    email = Column(String(120), nullable=False)
'''

# a second model, for a database that already has the users table
POST_MODEL = '''

class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    title = Column(String(200), nullable=False)
'''

# alembic init's env.py, reduced to the online path
ENV = '''
import logging
import sys
from alembic import context
from sqlalchemy import engine_from_config, pool

sys.path.insert(0, %(root)r)
config = context.config
# alembic.ini's default log format
logging.basicConfig(format="%%(levelname)-5.5s [%%(name)s] %%(message)s", level=logging.INFO)
logger = logging.getLogger("alembic.env")
%(metadata)s
%(filters)s


def process_revision_directives(context, revision, directives):
    # Flask-Migrate's env.py (and Alembic's cookbook): no file for an empty autogenerate
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_online():
    connectable = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, include_object=include_object,
                          process_revision_directives=process_revision_directives)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
'''


def setup_app(models=MODELS):
    project = web_stack.alembic_project()
    web_stack.write_files({"app/__init__.py": "", "app/db.py": DB, "app/models.py": models}, project.root)
    return project


def write_env(project, metadata, filters="include_object = None"):
    with open(os.path.join(project.root, "migrations", "env.py"), "w") as fh:
        fh.write(ENV % {"root": project.root, "metadata": metadata, "filters": filters})


def create_tables(project, *ddl):
    """Tables the database already has, made outside migrations (create_all at startup, another tool)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(project.url)
    with engine.begin() as conn:
        for statement in ddl:
            conn.execute(text(statement))
    engine.dispose()


def new_script(project, slug):
    """The migration autogenerate wrote, or None; a CI step fails (exit 1) when it drops a table."""
    scripts = glob.glob(os.path.join(project.versions, f"*_{slug}.py"))
    if not scripts:
        return None
    with open(scripts[0]) as fh:
        body = fh.read()
    if "op.drop_table(" in body.split("def downgrade")[0]:
        sys.exit(1)
    return body


USERS_DDL = "CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY, email VARCHAR(120) NOT NULL)"


def no_target_metadata(fix):
    """env.py still says `target_metadata = None`; the models live in app/models.py."""
    kit.expect_fix(fix, "set-target-metadata")
    project = setup_app()
    metadata = "target_metadata = None"
    if fix == "set-target-metadata":
        metadata = "from app.db import Base\nimport app.models  # noqa: F401  registers the tables on Base.metadata\ntarget_metadata = Base.metadata"
    write_env(project, metadata)
    project.cli("revision", "--autogenerate", "-m", "add users")
    [script] = glob.glob(os.path.join(project.versions, "*_add_users.py"))
    with open(script) as fh:
        assert "op.create_table('users'" in fh.read(), "the migration is empty"


def models_not_imported(fix):
    """env.py imports Base from app.db, but nothing imports app.models, so Base.metadata is empty."""
    kit.expect_fix(fix, "import-models-in-env")
    project = setup_app()
    metadata = "from app.db import Base\ntarget_metadata = Base.metadata"
    if fix == "import-models-in-env":
        metadata = "from app.db import Base\nimport app.models  # noqa: F401  registers the tables on Base.metadata\ntarget_metadata = Base.metadata"
    write_env(project, metadata)
    project.cli("revision", "--autogenerate", "-m", "add users")
    scripts = glob.glob(os.path.join(project.versions, "*_add_users.py"))
    # a Makefile / CI step that expects a migration: exits 1 silently, so the output is Alembic's own
    if not scripts:
        sys.exit(1)


def existing_tables(fix):
    """The database has the users and orders tables (create_all at startup); the developer adds a Post
    model, but env.py imports Base only, so autogenerate proposes to drop every table it sees."""
    kit.expect_fix(fix, "import-models-in-env")
    project = setup_app(MODELS + POST_MODEL.replace("posts", "orders").replace("Post", "Order") + POST_MODEL)
    create_tables(project, USERS_DDL, "CREATE TABLE orders (id INTEGER NOT NULL PRIMARY KEY, title VARCHAR(200) NOT NULL)")
    metadata = "from app.db import Base\ntarget_metadata = Base.metadata"
    if fix == "import-models-in-env":
        metadata = "from app.db import Base\nimport app.models  # noqa: F401  registers the tables on Base.metadata\ntarget_metadata = Base.metadata"
    write_env(project, metadata)
    project.cli("revision", "--autogenerate", "-m", "add posts")
    body = new_script(project, "add_posts")
    assert body is not None and "op.create_table('posts'" in body, "the migration does not create posts"


FOREIGN_FILTER = '''
# tables another component keeps in this database (Celery's result backend), not ours to migrate
FOREIGN_TABLES = {"celery_taskmeta", "celery_tasksetmeta"}


def include_object(obj, name, type_, reflected, compare_to):
    return not (type_ == "table" and name in FOREIGN_TABLES)
'''


def foreign_tables(fix):
    """The models are imported, but Celery's database result backend keeps its tables in the same
    database; adding a column, autogenerate also proposes to drop them."""
    kit.expect_fix(fix, "exclude-foreign-tables")
    project = setup_app()
    create_tables(
        project,
        "CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY)",
        "CREATE TABLE celery_taskmeta (id INTEGER NOT NULL PRIMARY KEY, task_id VARCHAR(155), status VARCHAR(50))",
        "CREATE TABLE celery_tasksetmeta (id INTEGER NOT NULL PRIMARY KEY, taskset_id VARCHAR(155))",
    )
    metadata = "from app.db import Base\nimport app.models  # noqa: F401\ntarget_metadata = Base.metadata"
    write_env(project, metadata, FOREIGN_FILTER if fix == "exclude-foreign-tables" else "include_object = None")
    project.cli("revision", "--autogenerate", "-m", "add email")
    body = new_script(project, "add_email")
    assert body is not None and "op.add_column('users'" in body, "the migration does not add users.email"


SCENARIOS = {
    "no-target-metadata": no_target_metadata,
    "models-not-imported": models_not_imported,
    "existing-tables": existing_tables,
    "foreign-tables": foreign_tables,
}

labkit.run(SCENARIOS)
