"""FastAPI answers 422 Unprocessable Entity: the request does not fit the endpoint's parameters (run in-process with TestClient)."""
from fastapi import FastAPI
from pydantic import BaseModel

import labkit
from kits import app_stack as kit


class UserCreate(BaseModel):
    email: str
    age: int


def make_app():
    app = FastAPI()

    @app.post("/users")
    async def create_user(user: UserCreate):
        return {"email": user.email}

    @app.get("/users/{user_id}")
    async def read_user(user_id: int):
        return {"id": user_id}

    return app


def form_sent_to_json_body(fix):
    """The client posts form-encoded data (requests' data=) to a JSON body parameter."""
    kit.expect_fix(fix, "send-json")
    if kit.pydantic2():
        raise labkit.NotApplicable("pydantic 2 reports this as model_attributes_type, which pydantic.from-attributes (cause string-input) answers")
    client = kit.test_client(make_app())
    payload = {"email": "ana@example.com", "age": 31}
    response = client.post("/users", json=payload) if fix == "send-json" else client.post("/users", data=payload)
    kit.fail_on_client_error(response)


def malformed_json(fix):
    """The body is not valid JSON (a trailing comma, single quotes from a shell)."""
    kit.expect_fix(fix, "send-valid-json")
    client = kit.test_client(make_app())
    body = '{"email": "ana@example.com", "age": 31}' if fix == "send-valid-json" else '{"email": "ana@example.com", "age": 31,}'
    response = client.post("/users", content=body, headers={"content-type": "application/json"})
    kit.fail_on_client_error(response)


def wrong_type(fix):
    """A path parameter declared int gets a string (/users/me, /users/abc)."""
    kit.expect_fix(fix, "send-the-declared-type")
    client = kit.test_client(make_app())
    response = client.get("/users/42" if fix == "send-the-declared-type" else "/users/me")
    kit.fail_on_client_error(response)


SCENARIOS = {
    "form-sent-to-json-body": form_sent_to_json_body,
    "malformed-json": malformed_json,
    "wrong-type": wrong_type,
}

labkit.run(SCENARIOS)
