"""A FastAPI route with Form(...) parameters needs the python-multipart package (imported as `multipart`,
since 0.0.13 also as `python_multipart`). Debian 12 ships it as python3-multipart; Debian 13's
python3-multipart is a different project (defnull's `multipart`), which FastAPI 0.115 recognises and refuses."""
import labkit
from kits import app_stack as kit
from kits import web_stack


def make_app(use_form=True):
    from fastapi import FastAPI, Form
    from pydantic import BaseModel

    app = FastAPI()
    if use_form:
        @app.post("/login")
        async def login(username: str = Form(...), password: str = Form(...)):
            return {"user": username}
    else:
        class Login(BaseModel):
            username: str
            password: str

        @app.post("/login")
        async def login(body: Login):
            return {"user": body.username}
    return app


def python_multipart_ok():
    try:
        import python_multipart  # noqa: F401  (0.0.13+)
        return True
    except ImportError:
        pass
    try:
        from multipart.multipart import parse_options_header  # noqa: F401  (python-multipart < 0.0.13)
        return True
    except ImportError:
        return False


def not_installed(fix):
    """No multipart package at all (a slim image); emulated by blocking the import of the installed one."""
    kit.expect_fix(fix, "install-python-multipart", "json-body-instead")
    if fix == "install-python-multipart":
        if not python_multipart_ok():
            raise labkit.NotApplicable("this world has no python-multipart to install (Debian 13 ships defnull's multipart)")
    else:
        web_stack.block_import("multipart", "python_multipart")
    app = make_app(use_form=fix != "json-body-instead")
    client = kit.test_client(app)
    if fix == "json-body-instead":
        response = client.post("/login", json={"username": "ana", "password": "s3cret"})
    else:
        response = client.post("/login", data={"username": "ana", "password": "s3cret"})
    assert response.json() == {"user": "ana"}


def wrong_package(fix):
    """`pip install multipart` (or Debian 13's python3-multipart): defnull's multipart, not python-multipart."""
    kit.expect_fix(fix, "replace-multipart", "json-body-instead")
    if python_multipart_ok() and fix != "json-body-instead":
        raise labkit.NotApplicable(f"this world's multipart is python-multipart {labkit.version('python-multipart')}")
    if fix == "replace-multipart":
        raise labkit.NotApplicable("python-multipart is not packaged in this world; the fix needs pip")
    app = make_app(use_form=fix != "json-body-instead")
    client = kit.test_client(app)
    response = client.post("/login", json={"username": "ana", "password": "s3cret"})
    assert response.json() == {"user": "ana"}


SCENARIOS = {
    "not-installed": not_installed,
    "wrong-package": wrong_package,
}

labkit.run(SCENARIOS)
