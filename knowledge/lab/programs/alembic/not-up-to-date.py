"""`alembic revision --autogenerate` refuses: "Target database is not up to date"."""
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

import labkit
from kits import app_stack as kit

FIRST, SECOND, OTHER = "a1f3c0de5b71", "b2e4d1f06c82", "c3d5e2a17d93"


def project_with_models(*revisions):
    project = kit.AlembicProject()
    for rev, down, table in revisions:
        project.revision(rev, down, table)
    metadata = sa.MetaData()
    for table in ("users", "orders", "invoices", "refunds"):
        sa.Table(table, metadata, sa.Column("id", sa.Integer, primary_key=True))
    project.cfg.attributes["target_metadata"] = metadata
    return project, metadata


def autogenerate(project):
    command.revision(project.cfg, message="describe the change", autogenerate=True)


def pending_migrations(fix):
    """The database is at the first migration; the second was never applied."""
    kit.expect_fix(fix, "upgrade-head", "stamp-head")
    project, _ = project_with_models((FIRST, None, "users"), (SECOND, FIRST, "orders"))
    command.upgrade(project.cfg, FIRST)
    if fix == "upgrade-head":
        project.cli("upgrade", "head")
    elif fix == "stamp-head":
        project.cli("stamp", "head")
    autogenerate(project)


def several_heads(fix):
    """Two heads; the database was upgraded along one of them."""
    kit.expect_fix(fix, "merge-or-upgrade-heads")
    project, _ = project_with_models((FIRST, None, "users"), (SECOND, FIRST, "orders"), (OTHER, FIRST, "invoices"))
    command.upgrade(project.cfg, SECOND)
    if fix == "merge-or-upgrade-heads":
        project.cli("merge", "-m", "merge heads", "heads")
        project.cli("upgrade", "head")
    autogenerate(project)


def bootstrap_script(fix):
    """A bootstrap script built the schema with create_all(); alembic_version was never written."""
    kit.expect_fix(fix, "stamp-head")
    project, metadata = project_with_models((FIRST, None, "users"), (SECOND, FIRST, "orders"))
    engine = sa.create_engine(project.url)
    metadata.create_all(engine)
    engine.dispose()
    if fix == "stamp-head":
        cfg = Config("alembic.ini")
        command.stamp(cfg, "head")
    autogenerate(project)


# one line below, so a traceback's source line never shows scenario names
SCENARIOS = {
    "pending-migrations": pending_migrations,
    "several-heads": several_heads,
    "created-with-create-all": bootstrap_script,
}

labkit.run(SCENARIOS)
