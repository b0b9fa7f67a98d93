"""A resource a test leaves open is finalised by the garbage collector, its ResourceWarning cannot be
raised there, and pytest reports it as PytestUnraisableExceptionWarning (an error under filterwarnings = error)."""
import labkit
from kits import app_stack as kit
from kits import web_stack

INI = "[pytest]\nfilterwarnings =\n    error\n"

TEST = '''
import gc


def read_report(path):
%(body)s


def test_report(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("ok")
    assert read_report(path) == "ok"
    gc.collect()
'''


def unclosed_file(fix):
    """read_report() opens the file and never closes it."""
    kit.expect_fix(fix, "close-with-context-manager")
    body = "    return open(path).read()"
    if fix == "close-with-context-manager":
        body = "    with open(path) as fh:\n        return fh.read()"
    proc = web_stack.pytest_session({"pytest.ini": INI, "test_report.py": TEST % {"body": body}}, "-p", "no:asyncio")
    web_stack.fail_unless_clean(proc)


SCENARIOS = {
    "unclosed-file": unclosed_file,
}

labkit.run(SCENARIOS)
