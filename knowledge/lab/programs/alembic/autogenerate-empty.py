"""`alembic revision --autogenerate` that cannot see the models: target_metadata left as None, or the models never imported."""
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


def process_revision_directives(context, revision, directives):
    # Flask-Migrate's env.py (and Alembic's cookbook): no file for an empty autogenerate
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_online():
    connectable = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          process_revision_directives=process_revision_directives)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
'''


def setup_app():
    project = web_stack.alembic_project()
    web_stack.write_files({"app/__init__.py": "", "app/db.py": DB, "app/models.py": MODELS}, project.root)
    return project


def write_env(project, metadata):
    with open(os.path.join(project.root, "migrations", "env.py"), "w") as fh:
        fh.write(ENV % {"root": project.root, "metadata": metadata})


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


SCENARIOS = {
    "no-target-metadata": no_target_metadata,
    "models-not-imported": models_not_imported,
}

labkit.run(SCENARIOS)
