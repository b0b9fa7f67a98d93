"""gunicorn's master gives up when its worker cannot load the app: "Reason: Worker failed to boot."."""
import subprocess
import sys

import labkit
from kits import app_stack as kit
from kits import web_stack

APP = '''
%(imports)s


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [render_report().encode()]
'''

REPORTLIB = '''
def render_report():
    return "report ready"
'''


def app_import_error(fix):
    """wsgi.py imports a module that is not installed in the server's environment."""
    kit.expect_fix(fix, "fix-the-import")
    files = {"wsgi.py": APP % {"imports": "from reportlib import render_report"}}
    if fix == "fix-the-import":
        files["reportlib.py"] = REPORTLIB
    web_stack.write_files(files)
    host = web_stack.fixed_address("app-import-error" if fix is None else "app-import-error/fixed")
    argv = [sys.executable, "-m", "gunicorn", "--bind", f"{host}:8000", "--workers", "1", "wsgi:app"]
    if fix is None:
        proc = web_stack.run_command(argv, timeout=60, transform=web_stack.normalise_gunicorn_times)
        sys.exit(proc.returncode or 1)
    server = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        web_stack.wait_for_port(8000, host=host)
        import httpx

        assert httpx.get(f"http://{host}:8000/").text == "report ready"
    finally:
        server.terminate()
        server.wait(10)


SCENARIOS = {
    "app-import-error": app_import_error,
}

labkit.run(SCENARIOS)
