"""`uvicorn main:app` cannot load the app: the module does not import from here, or has no such attribute."""
import os
import sys

import labkit
from kits import app_stack as kit
from kits import web_stack

MAIN = '''
from fastapi import FastAPI

application = FastAPI()
'''


def run_uvicorn(target, app_dir=None, fix=None):
    argv = [sys.executable, "-m", "uvicorn", target, "--host", web_stack.fixed_address(target), "--port", "8000"]
    if app_dir:
        argv += ["--app-dir", app_dir]
    if fix is None:
        proc = web_stack.run_command(argv, timeout=30)
        sys.exit(proc.returncode or 1)
    import subprocess

    server = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        web_stack.wait_for_port(8000, host=web_stack.fixed_address(target))
    finally:
        server.terminate()
        server.wait(10)


def module_not_found(fix):
    """The app is in backend/app/main.py; uvicorn main:app runs from the repository root."""
    kit.expect_fix(fix, "full-module-path", "app-dir")
    web_stack.write_files({"backend/app/__init__.py": "", "backend/app/main.py": MAIN.replace("application", "app")})
    if fix == "full-module-path":
        os.chdir("backend")
        run_uvicorn("app.main:app", fix=fix)
    elif fix == "app-dir":
        run_uvicorn("main:app", app_dir="backend/app", fix=fix)
    else:
        run_uvicorn("main:app")


def attribute_not_found(fix):
    """main.py names the FastAPI object `application`; uvicorn is told main:app."""
    kit.expect_fix(fix, "name-the-attribute")
    web_stack.write_files({"main.py": MAIN})
    run_uvicorn("main:application" if fix == "name-the-attribute" else "main:app", fix=fix)


SCENARIOS = {
    "module-not-found": module_not_found,
    "attribute-not-found": attribute_not_found,
}

labkit.run(SCENARIOS)
