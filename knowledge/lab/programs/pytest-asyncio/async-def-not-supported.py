"""An `async def` test that no plugin runs: pytest warns "async def functions are not natively supported" and skips it."""
import labkit
from kits import app_stack as kit
from kits import web_stack

TEST = '''
import asyncio
%(imports)s

%(mark)s
async def test_create_user():
    await asyncio.sleep(0)
    assert 1 + 1 == 2
'''


def project(mark="", imports="import pytest", ini="[pytest]\n"):
    if tuple(int(p) for p in labkit.version("pytest-asyncio").split(".")[:2]) >= (0, 24):
        ini += "asyncio_default_fixture_loop_scope = function\n"   # silences 0.24+'s deprecation warning
    return {"pytest.ini": ini, "test_users.py": TEST % {"mark": mark, "imports": imports}}


def plugin_not_loaded(fix):
    """pytest-asyncio is not installed (here: disabled with -p no:asyncio) and the test is unmarked."""
    kit.expect_fix(fix, "install-pytest-asyncio")
    if fix == "install-pytest-asyncio":
        proc = web_stack.pytest_session(project(mark="@pytest.mark.asyncio"))
    else:
        proc = web_stack.pytest_session(project(), "-p", "no:asyncio")
    web_stack.fail_unless_clean(proc)


def strict_mode_unmarked(fix):
    """pytest-asyncio is installed, in strict mode (its default since 0.19), and the test has no marker."""
    kit.expect_fix(fix, "mark-asyncio", "asyncio-mode-auto")
    ini = "[pytest]\nasyncio_mode = strict\n"
    mark = ""
    if fix == "mark-asyncio":
        mark = "@pytest.mark.asyncio"
    elif fix == "asyncio-mode-auto":
        ini = "[pytest]\nasyncio_mode = auto\n"
    proc = web_stack.pytest_session(project(mark=mark, ini=ini))
    web_stack.fail_unless_clean(proc)


SCENARIOS = {
    "plugin-not-loaded": plugin_not_loaded,
    "strict-mode-unmarked": strict_mode_unmarked,
}

labkit.run(SCENARIOS)
