"""Alembic with two heads: two branches each added a migration on the same parent."""
from alembic import command

import labkit
from kits import app_stack as kit

BASE, OURS, THEIRS = "a1f3c0de5b71", "b2e4d1f06c82", "c3d5e2a17d93"


def two_heads(relink=False):
    project = kit.AlembicProject()
    project.revision(BASE, None, "users")
    project.revision(OURS, BASE, "orders")
    project.revision(THEIRS, OURS if relink else BASE, "invoices")   # relink: down_revision = the other head
    return project


def parallel_branches(fix):
    """`upgrade head` with two heads."""
    kit.expect_fix(fix, "merge-heads", "upgrade-all-heads", "relink-down-revision")
    project = two_heads(relink=fix == "relink-down-revision")
    if fix == "merge-heads":
        project.cli("merge", "-m", "merge heads", "heads")
        project.cli("upgrade", "head")
    elif fix == "upgrade-all-heads":
        project.cli("upgrade", "heads")
    else:
        command.upgrade(project.cfg, "head")
    assert len(project.current()) == (2 if fix == "upgrade-all-heads" else 1)


def revision_needs_parent(fix):
    """`alembic revision -m "add column"` with two heads."""
    kit.expect_fix(fix, "merge-heads", "revision-on-a-head")
    project = two_heads()
    if fix == "merge-heads":
        project.cli("merge", "-m", "merge heads", "heads")
        project.cli("upgrade", "head")
    if fix == "revision-on-a-head":
        project.cli("revision", "-m", "add column", "--head", THEIRS)
    else:
        command.revision(project.cfg, message="add column")
    assert len(project.heads()) == (2 if fix == "revision-on-a-head" else 1)


def stamp_needs_target(fix):
    """`alembic stamp head` (a database built by create_all) with two heads."""
    kit.expect_fix(fix, "stamp-heads")
    project = two_heads()
    if fix == "stamp-heads":
        project.cli("stamp", "heads")
    else:
        command.stamp(project.cfg, "head")
    assert sorted(project.current()) == sorted([OURS, THEIRS])


# one line below, so a traceback's source line never shows scenario names
SCENARIOS = {
    "parallel-branches": parallel_branches,
    "revision-needs-parent": revision_needs_parent,
    "stamp-needs-target": stamp_needs_target,
}

labkit.run(SCENARIOS)
