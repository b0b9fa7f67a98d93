"""The alembic command line cannot find its configuration: no alembic.ini here, or no script_location in it."""
import os
import tempfile

from alembic.config import main

import labkit
from kits import app_stack as kit
from kits import web_stack


def no_ini_here(fix):
    """`alembic upgrade head` run from a folder without alembic.ini (the project lives in backend/)."""
    kit.expect_fix(fix, "pass-config-path", "run-from-project-root")
    project = web_stack.alembic_project()
    project.revision("a1f3c0de5b71", None, "users")
    elsewhere = tempfile.mkdtemp()
    os.chdir(project.root if fix == "run-from-project-root" else elsewhere)
    argv = ["upgrade", "head"]
    if fix == "pass-config-path":
        argv = ["-c", os.path.join(project.root, "alembic.ini"), *argv]
    main(argv=argv, prog="alembic")
    assert project.current() == ["a1f3c0de5b71"]


def no_script_location(fix):
    """The ini file has an [alembic] section (sqlalchemy.url) but no script_location."""
    kit.expect_fix(fix, "add-script-location")
    project = web_stack.alembic_project()
    project.revision("a1f3c0de5b71", None, "users")
    ini = os.path.join(project.root, "alembic.ini")
    with open(ini, "w") as fh:
        fh.write("[alembic]\n")
        if fix == "add-script-location":
            fh.write("script_location = %(here)s/migrations\n")
        fh.write(f"sqlalchemy.url = {project.url}\n")
    main(argv=["-c", ini, "upgrade", "head"], prog="alembic")
    assert project.current() == ["a1f3c0de5b71"]


SCENARIOS = {
    "no-ini-here": no_ini_here,
    "no-script-location": no_script_location,
}

labkit.run(SCENARIOS)
