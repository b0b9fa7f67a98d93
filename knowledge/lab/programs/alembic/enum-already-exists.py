"""`alembic upgrade` creates a PostgreSQL ENUM type that already exists (two migrations, or twice in one)."""
import logging
import os

import labkit
from kits import app_stack as kit
from kits import web_stack

# alembic.ini's default logging: the INFO lines users paste with the error
logging.basicConfig(format="%(levelname)-5.5s [%(name)s] %(message)s", level=logging.INFO)
logging.getLogger("sqlalchemy").setLevel(logging.WARNING)

STATUS = "sa.Enum('pending', 'paid', name='status')"
STATUS_REUSED = "postgresql.ENUM('pending', 'paid', name='status', create_type=False)"


def write(project, rev, down, body, undo="pass"):
    path = os.path.join(project.versions, f"{rev}_step.py")
    with open(path, "w") as fh:
        fh.write(
            '"""step"""\nfrom alembic import op\nimport sqlalchemy as sa\nfrom sqlalchemy.dialects import postgresql\n\n'
            f"revision = {rev!r}\ndown_revision = {down!r}\nbranch_labels = None\ndepends_on = None\n\n\n"
            f"def upgrade():\n    {body}\n\n\ndef downgrade():\n    {undo}\n"
        )


def reused_in_later_migration(fix):
    """A later migration's op.create_table repeats sa.Enum(name='status'), a type an earlier deploy created."""
    kit.expect_fix(fix, "create-type-false")
    project = web_stack.alembic_project(url=labkit.pg_url("psycopg2"))
    write(project, "a1", None, f"op.create_table('orders', sa.Column('id', sa.Integer, primary_key=True), sa.Column('status', {STATUS}))")
    column = STATUS_REUSED if fix == "create-type-false" else STATUS
    write(project, "b2", "a1", f"op.create_table('invoices', sa.Column('id', sa.Integer, primary_key=True), sa.Column('status', {column}))")
    project.cli("upgrade", "a1")     # an earlier deploy
    project.cli("upgrade", "head")   # this deploy (in one run, SQLAlchemy remembers the type and skips it)
    assert project.current() == ["b2"]


def created_twice_in_one_migration(fix):
    """Autogenerate-style: the type is created explicitly, then op.create_table creates it again."""
    kit.expect_fix(fix, "create-type-false", "checkfirst")
    project = web_stack.alembic_project(url=labkit.pg_url("psycopg2"))
    if fix == "checkfirst":
        first = "postgresql.ENUM('pending', 'paid', name='status').create(op.get_bind(), checkfirst=True)"
        column = STATUS_REUSED
    else:
        first = "sa.Enum('pending', 'paid', name='status').create(op.get_bind())"
        column = STATUS_REUSED if fix == "create-type-false" else STATUS
    write(project, "a1", None, first + f"\n    op.create_table('orders', sa.Column('id', sa.Integer, primary_key=True), sa.Column('status', {column}))")
    project.cli("upgrade", "head")
    assert project.current() == ["a1"]


def left_by_downgrade(fix):
    """downgrade() dropped the table but not the type; the next upgrade creates it again."""
    kit.expect_fix(fix, "drop-type-in-downgrade")
    project = web_stack.alembic_project(url=labkit.pg_url("psycopg2"))
    undo = "op.drop_table('orders')"
    if fix == "drop-type-in-downgrade":
        undo += "\n    sa.Enum(name='status').drop(op.get_bind(), checkfirst=True)"
    write(project, "a1", None, f"op.create_table('orders', sa.Column('id', sa.Integer, primary_key=True), sa.Column('status', {STATUS}))", undo)
    project.cli("upgrade", "head")
    project.cli("downgrade", "base")
    project.cli("upgrade", "head")
    assert project.current() == ["a1"]


SCENARIOS = {
    "reused-in-later-migration": reused_in_later_migration,
    "created-twice-in-one-migration": created_twice_in_one_migration,
    "left-by-downgrade": left_by_downgrade,
}

labkit.run(SCENARIOS)
