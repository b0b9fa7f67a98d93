"""Alembic cannot find a revision: the database, a down_revision or the command line names one no file has."""
import os

from alembic import command

import labkit
from kits import app_stack as kit


def database_ahead_of_code(fix):
    """The database was upgraded to c3 on another branch; this checkout has a1 and b2 only."""
    kit.expect_fix(fix, "restore-revision-file", "downgrade-then-switch", "stamp-known-revision")
    project = kit.AlembicProject()
    project.revision("a1f3c0de5b71", None, "users")
    project.revision("b2e4d1f06c82", "a1f3c0de5b71", "orders")
    other_branch = project.revision("c3d5e2a17d93", "b2e4d1f06c82", "invoices")
    command.upgrade(project.cfg, "head")
    if fix == "downgrade-then-switch":
        project.cli("downgrade", "b2e4d1f06c82")   # still on the branch that has c3d5e2a17d93
    os.remove(other_branch)                         # git switch main
    if fix == "restore-revision-file":
        project.revision("c3d5e2a17d93", "b2e4d1f06c82", "invoices")   # git checkout <commit> -- migrations/versions/
    elif fix == "stamp-known-revision":
        project.cli("stamp", "--purge", "b2e4d1f06c82")
    command.upgrade(project.cfg, "head")
    assert project.current() in (["b2e4d1f06c82"], ["c3d5e2a17d93"])


def missing_down_revision(fix):
    """b2's down_revision names a revision whose file was deleted."""
    kit.expect_fix(fix, "fix-down-revision")
    project = kit.AlembicProject()
    project.revision("a1f3c0de5b71", None, "users")
    parent = "a1f3c0de5b71" if fix == "fix-down-revision" else "9f8e7d6c5b4a"
    project.revision("b2e4d1f06c82", parent, "orders")
    command.upgrade(project.cfg, "head")
    assert project.current() == ["b2e4d1f06c82"]


def bad_revision_argument(fix):
    """`upgrade ae1`: a typo, and shorter than four characters."""
    kit.expect_fix(fix, "valid-revision-argument")
    project = kit.AlembicProject()
    project.revision("a1f3c0de5b71", None, "users")
    project.revision("b2e4d1f06c82", "a1f3c0de5b71", "orders")
    command.upgrade(project.cfg, "a1f3" if fix == "valid-revision-argument" else "ae1")
    assert project.current() == ["a1f3c0de5b71"]


# one line below, so a traceback's source line never shows scenario names
SCENARIOS = {
    "database-ahead-of-code": database_ahead_of_code,
    "missing-down-revision": missing_down_revision,
    "bad-revision-argument": bad_revision_argument,
}

labkit.run(SCENARIOS)
