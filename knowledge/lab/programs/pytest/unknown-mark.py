"""pytest warns (or, with --strict-markers / -W error, fails) on a mark nobody registered: pytest.mark.asyncio without pytest-asyncio, or a custom mark."""
import labkit
from kits import app_stack as kit
from kits import web_stack

ASYNC_TEST = '''
import asyncio
import pytest


@pytest.mark.asyncio
async def test_create_user():
    await asyncio.sleep(0)
'''

SLOW_TEST = '''
import pytest


@pytest.mark.slow
def test_report():
    assert sum(range(10)) == 45
'''


def asyncio_mark_without_plugin(fix):
    """pytest.mark.asyncio, and pytest-asyncio is not installed (here: disabled with -p no:asyncio); CI runs -W error."""
    kit.expect_fix(fix, "install-pytest-asyncio")
    ini = "[pytest]\nfilterwarnings = error\n"
    if fix and tuple(int(p) for p in labkit.version("pytest-asyncio").split(".")[:2]) >= (0, 24):
        ini += "asyncio_default_fixture_loop_scope = function\n"
    args = [] if fix == "install-pytest-asyncio" else ["-p", "no:asyncio"]
    proc = web_stack.pytest_session({"pytest.ini": ini, "test_users.py": ASYNC_TEST}, *args)
    web_stack.fail_unless_clean(proc)


def custom_mark_unregistered(fix):
    """A project mark (slow) used without a `markers` entry, under --strict-markers."""
    kit.expect_fix(fix, "register-marker")
    ini = "[pytest]\naddopts = --strict-markers\n"
    if fix == "register-marker":
        ini += "markers =\n    slow: long-running tests (deselect with -m 'not slow')\n"
    proc = web_stack.pytest_session({"pytest.ini": ini, "test_reports.py": SLOW_TEST}, "-p", "no:asyncio")
    web_stack.fail_unless_clean(proc)


SCENARIOS = {
    "asyncio-mark-without-plugin": asyncio_mark_without_plugin,
    "custom-mark-unregistered": custom_mark_unregistered,
}

labkit.run(SCENARIOS)
