"""pytest cannot find a fixture a test asks for: defined in a conftest.py the test cannot see, or misspelled."""
import labkit
from kits import app_stack as kit
from kits import web_stack

FIXTURE = '''
import pytest


@pytest.fixture
def db_session():
    return {"users": ["ana"]}
'''

TEST = '''
def test_list_users(%(arg)s):
    assert %(arg)s["users"] == ["ana"]
'''


def conftest_not_visible(fix):
    """The fixture lives in tests/api/conftest.py; a test in tests/jobs/ uses it."""
    kit.expect_fix(fix, "move-to-common-conftest")
    files = {"pytest.ini": "[pytest]\n", "tests/jobs/test_jobs.py": TEST % {"arg": "db_session"}}
    files["tests/conftest.py" if fix == "move-to-common-conftest" else "tests/api/conftest.py"] = FIXTURE
    files["tests/api/test_api.py"] = TEST % {"arg": "db_session"}
    proc = web_stack.pytest_session(files, "-p", "no:asyncio")
    web_stack.fail_unless_clean(proc)


def misspelled(fix):
    """The test asks for db_sesion."""
    kit.expect_fix(fix, "fix-the-name")
    arg = "db_session" if fix == "fix-the-name" else "db_sesion"
    files = {"pytest.ini": "[pytest]\n", "tests/conftest.py": FIXTURE, "tests/test_users.py": TEST % {"arg": arg}}
    proc = web_stack.pytest_session(files, "-p", "no:asyncio")
    web_stack.fail_unless_clean(proc)


SCENARIOS = {
    "conftest-not-visible": conftest_not_visible,
    "misspelled": misspelled,
}

labkit.run(SCENARIOS)
