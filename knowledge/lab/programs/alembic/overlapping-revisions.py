"""alembic_version holds a revision and one of its ancestors: "Requested revision X overlaps with other requested revisions Y"."""
from sqlalchemy import create_engine, text

import labkit
from kits import app_stack as kit
from kits import web_stack

BASE, OURS, THEIRS = "a1f3c0de5b71", "b2e4d1f06c82", "c3d5e2a17d93"


def relinked_after_applied(fix):
    """Two heads were both applied (upgrade heads); then THEIRS was re-parented onto OURS and a step added."""
    kit.expect_fix(fix, "delete-ancestor-row", "stamp-purge")
    project = web_stack.alembic_project()
    project.revision(BASE, None, "users")
    project.revision(OURS, BASE, "orders")
    theirs = project.revision(THEIRS, BASE, "invoices")
    project.cli("upgrade", "heads")
    # the "fix" for two heads, done after both were applied: a linear history
    with open(theirs) as fh:
        source = fh.read()
    with open(theirs, "w") as fh:
        fh.write(source.replace(f"down_revision = {BASE!r}", f"down_revision = {OURS!r}"))
    project.revision("d4e6f3b28ea4", THEIRS, "payments")
    if fix == "delete-ancestor-row":
        engine = create_engine(project.url)
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM alembic_version WHERE version_num = :v"), {"v": OURS})
        engine.dispose()
    elif fix == "stamp-purge":
        project.cli("stamp", "--purge", THEIRS)
    project.cli("upgrade", "head")
    assert project.current() == ["d4e6f3b28ea4"]


SCENARIOS = {
    "relinked-after-applied": relinked_after_applied,
}

labkit.run(SCENARIOS)
