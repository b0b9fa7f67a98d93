"""uvicorn logs "Exception in ASGI application" with the traceback of an exception the app did not handle."""
import sys

import labkit
from kits import app_stack as kit
from kits import web_stack


def make_app(fix, where):
    from fastapi import FastAPI, HTTPException
    from fastapi.responses import JSONResponse
    from starlette.middleware.base import BaseHTTPMiddleware

    app = FastAPI()
    prices = {"basic": 10}

    @app.get("/plans/{name}")
    async def read_plan(name: str):
        if fix == "handle-in-endpoint" and name not in prices:
            raise HTTPException(status_code=404, detail="unknown plan")
        return {"price": prices[name]}

    if where == "middleware":
        class Timing(BaseHTTPMiddleware):
            async def dispatch(self, request, call_next):
                response = await call_next(request)
                if fix == "handle-in-endpoint":
                    response.headers["x-tenant"] = request.headers.get("x-tenant", "public")
                else:
                    response.headers["x-tenant"] = request.headers["x-tenant"]
                return response

        app.add_middleware(Timing)
    return app


def request(app):
    import httpx

    with web_stack.uvicorn_in_thread(app, log_level="warning") as port:
        response = httpx.get(f"http://127.0.0.1:{port}/plans/premium" if True else "")
    return response


def unhandled_in_endpoint(fix):
    """GET /plans/premium: a dict lookup raises KeyError inside the endpoint."""
    kit.expect_fix(fix, "handle-in-endpoint")
    response = request(make_app(fix, "endpoint"))
    if response.status_code >= 500:
        sys.exit(1)


def unhandled_in_middleware(fix):
    """A BaseHTTPMiddleware reads a header the request does not have."""
    kit.expect_fix(fix, "handle-in-endpoint")
    app = make_app(fix, "middleware")
    import httpx

    with web_stack.uvicorn_in_thread(app, log_level="warning") as port:
        response = httpx.get(f"http://127.0.0.1:{port}/plans/basic")
    if response.status_code >= 500:
        sys.exit(1)


SCENARIOS = {
    "unhandled-in-endpoint": unhandled_in_endpoint,
    "unhandled-in-middleware": unhandled_in_middleware,
}

labkit.run(SCENARIOS)
