"""Two test modules with the same basename in folders without __init__.py: pytest's default (prepend) import mode imports both as `test_utils`."""
import labkit
from kits import app_stack as kit
from kits import web_stack

TEST = '''
def test_%(name)s():
    assert True
'''


def duplicate_basenames(fix):
    """tests/api/test_utils.py and tests/jobs/test_utils.py, no packages."""
    kit.expect_fix(fix, "add-init-files", "importlib-mode", "rename-module")
    files = {"pytest.ini": "[pytest]\n", "tests/api/test_utils.py": TEST % {"name": "api"}}
    files["tests/jobs/test_job_utils.py" if fix == "rename-module" else "tests/jobs/test_utils.py"] = TEST % {"name": "jobs"}
    args = ["-p", "no:asyncio"]
    if fix == "add-init-files":
        files.update({"tests/__init__.py": "", "tests/api/__init__.py": "", "tests/jobs/__init__.py": ""})
    elif fix == "importlib-mode":
        args.append("--import-mode=importlib")
    proc = web_stack.pytest_session(files, *args)
    web_stack.fail_unless_clean(proc)


def duplicate_conftest_packages(fix):
    """api/tests/conftest.py and jobs/tests/conftest.py, each `tests` a package, their parents not:
    both conftests are `tests.conftest`, and pytest raises ImportPathMismatchError for the second
    as it is (the conftest import is not reworded as `import file mismatch`)."""
    kit.expect_fix(fix, "parent-packages")
    files = {"pytest.ini": "[pytest]\n"}
    for app in ("api", "jobs"):
        files.update({f"{app}/tests/__init__.py": "", f"{app}/tests/conftest.py": "", f"{app}/tests/test_{app}.py": TEST % {"name": app}})
    if fix == "parent-packages":
        files.update({"api/__init__.py": "", "jobs/__init__.py": ""})
    proc = web_stack.pytest_session(files, "-p", "no:asyncio")
    web_stack.fail_unless_clean(proc)


SCENARIOS = {
    "duplicate-basenames": duplicate_basenames,
    "duplicate-conftest-packages": duplicate_conftest_packages,
}

labkit.run(SCENARIOS)
