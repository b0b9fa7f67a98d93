"""gunicorn's arbiter kills a worker that has not checked in for --timeout seconds: "[CRITICAL] WORKER TIMEOUT (pid:N)"."""
import subprocess
import sys
import time

import labkit
from kits import app_stack as kit
from kits import web_stack

SYNC_APP = '''
import time


def app(environ, start_response):
    time.sleep(3)          # a slow query or an external call that takes longer than --timeout
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"report ready"]
'''

ASGI_APP = '''
import asyncio


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await asyncio.sleep(3)  # awaited: the worker's event loop keeps notifying the arbiter
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"report ready"})
'''


def blocking_request(fix):
    """A sync worker handles a 3 s request with --timeout 1."""
    kit.expect_fix(fix, "raise-timeout", "async-worker", "threaded-worker")
    web_stack.write_files({"wsgi.py": SYNC_APP, "asgi.py": ASGI_APP})
    host = web_stack.fixed_address("blocking-request")
    port = 8000 if fix is None else web_stack.free_port()
    host = host if fix is None else "127.0.0.1"
    argv = [sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}", "--workers", "1", "--timeout", "1",
            "--graceful-timeout", "1"]
    if fix == "raise-timeout":
        argv[argv.index("--timeout") + 1] = "10"
    if fix == "async-worker":
        argv += ["--worker-class", "uvicorn.workers.UvicornWorker", "asgi:app"]
    elif fix == "threaded-worker":
        # gthread's main loop waits up to 1 s for a connection between two heartbeats, so at
        # --timeout 1 whether the worker is killed is a race (20.1 was killed in one recording and
        # not in four later runs); at 2 the heartbeat has room, and the 3 s request still outlasts it.
        argv[argv.index("--timeout") + 1] = "2"
        argv += ["--worker-class", "gthread", "--threads", "4", "wsgi:app"]
    else:
        argv += ["wsgi:app"]
    server = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        web_stack.wait_for_port(port, host=host)
        import httpx

        try:
            response = httpx.get(f"http://{host}:{port}/report", timeout=15)
            body = response.text if response.status_code == 200 else f"client: HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            body = f"client: {type(exc).__name__}"
        time.sleep(0.5)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    log = "\n".join(line for line in output.splitlines() if "[DEBUG]" not in line)
    if "WORKER TIMEOUT" in log or body != "report ready":
        sys.stdout.write(web_stack.normalise_gunicorn_times(log) + "\n")
        sys.stdout.write(f"{body}\n")
        sys.exit(1)


SCENARIOS = {
    "blocking-request": blocking_request,
}

labkit.run(SCENARIOS)
