"""An ASGI response whose body does not match the Content-Length header it declared, served by the real uvicorn (h11)."""
import sys

import labkit
from kits import app_stack as kit
from kits import web_stack


def make_app(declared, body, fix):
    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        headers = [(b"content-type", b"application/json")]
        if fix == "recompute-content-length":
            headers.append((b"content-length", str(len(body)).encode()))
        elif fix != "drop-content-length":
            headers.append((b"content-length", str(declared).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
    return app


def fetch(app):
    import httpx

    with web_stack.uvicorn_in_thread(app, log_level="warning") as port:
        try:
            response = httpx.get(f"http://127.0.0.1:{port}/users")
        except httpx.HTTPError as exc:
            sys.stdout.write(f"client: {type(exc).__name__}: {exc}\n")
            return None
    return response


def body_longer(fix):
    """A middleware rewrote the JSON body but passed the original headers on (declared 20 bytes, sent 41)."""
    kit.expect_fix(fix, "recompute-content-length", "drop-content-length")
    body = b'{"users": [{"id": 1, "email": "ana"}]}!!!'
    response = fetch(make_app(20, body, fix))
    if response is None:
        sys.exit(1)
    assert response.content == body


def body_shorter(fix):
    """The handler declared the length of the original body and then sent less (declared 64, sent 41)."""
    kit.expect_fix(fix, "recompute-content-length", "drop-content-length")
    body = b'{"users": [{"id": 1, "email": "ana"}]}!!!'
    response = fetch(make_app(64, body, fix))
    if response is None:
        sys.exit(1)
    assert response.content == body


SCENARIOS = {
    "body-longer": body_longer,
    "body-shorter": body_shorter,
}

labkit.run(SCENARIOS)
