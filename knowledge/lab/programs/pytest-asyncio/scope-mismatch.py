"""pytest-asyncio loop scopes, run with the real pytest on a small test project.

The program writes pytest.ini, conftest.py and test_users.py into its working folder and runs
`python3 -m pytest -q -p no:cacheprovider -W error::DeprecationWarning` (a CI that turns
deprecations into errors): pytest's output is what users paste, and its exit code is ours. The
fixture stands for an async engine: it remembers the loop it was made in, and the test checks
it runs in that same loop, as a pooled connection would require. Fixes run under the same
flag, so a fix that only trades the error for a deprecation does not pass.
"""
import os
import subprocess
import sys
import textwrap

import labkit

INI = "[pytest]\nasyncio_default_fixture_loop_scope = function\n"

LEGACY_LOOP = '''
import asyncio
import pytest

@pytest.fixture(scope="session")
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()
'''

ENGINE = '''
import asyncio
import pytest
import pytest_asyncio


class Engine:
    """Stands for an AsyncEngine: its pooled connections belong to the loop it was made in."""

    def __init__(self):
        self.loop = asyncio.get_running_loop()

    async def dispose(self):
        assert asyncio.get_running_loop() is self.loop, "engine disposed from another loop"


%(fixture)s
async def engine():
    engine = Engine()
    yield engine
    await engine.dispose()


%(mark)s
async def test_create_user(engine):
    assert asyncio.get_running_loop() is engine.loop, "test and engine run in different loops"
'''


def pytest_project(files):
    """Writes the project into the working folder, runs pytest, and exits with pytest's code."""
    for name, text in files.items():
        if os.path.dirname(name):
            os.makedirs(os.path.dirname(name), exist_ok=True)
        with open(name, "w") as fh:
            fh.write(textwrap.dedent(text).lstrip())
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error::DeprecationWarning"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120,
        env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"),
    )
    sys.stdout.write(proc.stdout)
    sys.stdout.flush()
    if proc.returncode != 0:
        sys.exit(proc.returncode)


def test_module(fixture, mark="@pytest.mark.asyncio"):
    return ENGINE % {"fixture": fixture, "mark": mark}


def needs(minimum, why):
    if tuple(int(p) for p in labkit.version("pytest-asyncio").split(".")[:2]) < minimum:
        raise labkit.NotApplicable(f"pytest-asyncio {labkit.version('pytest-asyncio')}: {why}")


def wide_fixture_narrow_loop(fix):
    """A session-scoped async engine fixture; the fixture loop scope is (or can only be) function."""
    files = {"pytest.ini": INI}
    if fix is None:
        files["test_users.py"] = test_module('@pytest_asyncio.fixture(scope="session")')
    elif fix == "set-fixture-loop-scope":
        files["test_users.py"] = test_module('@pytest_asyncio.fixture(scope="session", loop_scope="session")',
                                             mark='@pytest.mark.asyncio(loop_scope="session")')
    elif fix == "narrow-fixture-to-function":
        files["test_users.py"] = test_module("@pytest_asyncio.fixture          # function scope: same loop as the test")
    elif fix == "set-fixture-loop-scope/event-loop-fixture":
        files["conftest.py"] = LEGACY_LOOP
        files["test_users.py"] = test_module('@pytest_asyncio.fixture(scope="session")')
    else:
        raise labkit.UnknownFix(fix)
    pytest_project(files)


def custom_event_loop_fixture(fix):
    """An older suite: conftest.py overrides event_loop with a session loop for a session engine."""
    needs((0, 22), "a custom event_loop fixture is the supported way to share a loop before 0.22")
    files = {"pytest.ini": INI}
    if fix is None:
        files["conftest.py"] = LEGACY_LOOP
        files["test_users.py"] = test_module('@pytest_asyncio.fixture(scope="session")')
    elif fix == "remove-event-loop-override":
        # conftest.py's override deleted; its scope moved into loop_scope; the loop from get_running_loop().
        files["test_users.py"] = test_module(
            '@pytest_asyncio.fixture(scope="session", loop_scope="session")',
            mark='@pytest.mark.asyncio(loop_scope="session")',
        ).replace("assert asyncio.get_running_loop() is engine.loop",
                  "loop = asyncio.get_running_loop()\n    assert loop is engine.loop")
    elif fix == "set-fixture-loop-scope":
        files["test_users.py"] = test_module('@pytest_asyncio.fixture(scope="session", loop_scope="session")',
                                             mark='@pytest.mark.asyncio(loop_scope="session")')
    else:
        raise labkit.UnknownFix(fix)
    pytest_project(files)


PACKAGE_FIXTURE = '''
import pytest_asyncio


@pytest_asyncio.fixture(%s, scope="package", autouse=True)
async def setup_and_teardown():
    yield
'''

SKIPPED_MODULE = '''
import pytest

pytestmark = pytest.mark.skip("needs a server")


def test_replica_set():
    pass
'''

FUNCTION_LOOP_MODULE = '''
import pytest


%s
async def test_insert():
    pass
'''


def package_loop_not_visible(fix):
    """pytest-asyncio 0.22-0.26: a package-scoped autouse async fixture in the package's conftest.py
    with loop_scope="package" (pytest-dev/pytest-asyncio#1052). The package's loop fixture,
    named "<package nodeid>::<event_loop>", is attached to the first module collected in the
    package (here one whose tests are all skipped); a test elsewhere in the package that does not
    itself run in the package loop (a function-loop async test, a sync or unittest test) cannot
    see it when it is the first to set the fixture up."""
    needs((0, 24), "loop_scope is new in 0.24")
    loop_scope, mark = 'loop_scope="package"', "@pytest.mark.asyncio"
    if fix == "session-loop-scope":
        loop_scope = 'loop_scope="session"'
    elif fix == "mark-package-loop":
        mark = '@pytest.mark.asyncio(loop_scope="package")'
    elif fix is not None:
        raise labkit.UnknownFix(fix)
    pytest_project({
        "pytest.ini": INI,
        "test/__init__.py": "",
        "test/asynchronous/__init__.py": "",
        "test/asynchronous/conftest.py": PACKAGE_FIXTURE % loop_scope,
        "test/asynchronous/test_a_replica.py": SKIPPED_MODULE,
        "test/asynchronous/test_b_insert.py": FUNCTION_LOOP_MODULE % mark,
    })


labkit.run({
    "wide-fixture-narrow-loop": wide_fixture_narrow_loop,
    "custom-event-loop-fixture": custom_event_loop_fixture,
    "package-loop-not-visible": package_loop_not_visible,
})
