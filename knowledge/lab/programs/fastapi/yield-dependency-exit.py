"""Exceptions around a dependency with `yield`: FastAPI < 0.106 ran the code after `yield` once the
response was sent (an HTTPException there cannot become a response); FastAPI >= 0.110 requires a
dependency that catches the endpoint's exception to re-raise it."""
from fastapi import Depends, FastAPI, HTTPException

import labkit
from kits import app_stack as kit


def fastapi_version():
    return tuple(int(p) for p in labkit.version("fastapi").split(".")[:2])


def raise_after_yield(fix):
    """The dependency commits after the endpoint and turns a failed commit into HTTPException(409)."""
    kit.expect_fix(fix, "raise-before-response", "upgrade-fastapi")
    if fix is None and fastapi_version() >= (0, 106):
        raise labkit.NotApplicable(f"FastAPI {labkit.version('fastapi')} runs the exit code before the response: the HTTPException becomes the response")
    if fix == "upgrade-fastapi" and fastapi_version() < (0, 106):
        raise labkit.NotApplicable(f"FastAPI {labkit.version('fastapi')} predates 0.106")
    app = FastAPI()

    def commit():
        raise ValueError("duplicate key value violates unique constraint \"users_email_key\"")

    async def get_session():
        yield "session"
        if fix != "raise-before-response":
            try:
                commit()
            except ValueError:
                raise HTTPException(status_code=409, detail="email already registered")

    @app.post("/users")
    async def create_user(session=Depends(get_session)):
        if fix == "raise-before-response":
            try:
                commit()
            except ValueError:
                raise HTTPException(status_code=409, detail="email already registered")
        return {"ok": True}

    response = kit.test_client(app).post("/users")
    assert response.status_code == 409, response.status_code


def swallowed_in_dependency(fix):
    """The dependency wraps `yield` in `except Exception:` (to roll back) and does not re-raise."""
    kit.expect_fix(fix, "reraise")
    if fastapi_version() < (0, 110):
        raise labkit.NotApplicable(f"FastAPI {labkit.version('fastapi')}: before 0.110 the endpoint's exception did not reach the dependency")
    app = FastAPI()

    async def get_session():
        try:
            yield "session"
        except Exception:
            # rollback here
            if fix == "reraise":
                raise

    @app.get("/users/{user_id}")
    async def read_user(user_id: int, session=Depends(get_session)):
        if user_id == 42:
            raise HTTPException(status_code=404, detail="User not found")
        return {"id": user_id}

    client = kit.test_client(app)
    assert client.get("/users/42").status_code == 404


SCENARIOS = {
    "raise-after-yield": raise_after_yield,
    "swallowed-in-dependency": swallowed_in_dependency,
}

labkit.run(SCENARIOS)
