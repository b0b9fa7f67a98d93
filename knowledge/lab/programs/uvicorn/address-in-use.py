"""uvicorn or gunicorn cannot bind: another process already listens on the address ("[Errno 98] ... address already in use")."""
import os
import socket
import sys

import labkit
from kits import app_stack as kit
from kits import web_stack

APP = '''
async def app(scope, receive, send):
    assert scope["type"] in ("http", "lifespan")
'''

PORT = 8000


def holder(host):
    """A process that already listens there (another server, a previous run that did not exit)."""
    s = socket.socket()
    s.bind((host, PORT))
    s.listen()
    return s


def serve(argv, host, fix):
    # a fix run goes on at the same time as its scenario's run: give it its own address
    host = host if fix is None else web_stack.fixed_address(f"{host}/{fix}")
    web_stack.write_files({"main.py": APP})
    taken = holder(host)
    port = PORT
    if fix == "stop-the-other-process":
        taken.close()
    elif fix == "use-another-port":
        port = web_stack.free_port()
        host = "127.0.0.1"
    argv = [a.format(host=host, port=port) for a in argv]
    # without a fix the server exits by itself (it cannot bind); with one it is stopped once it listens
    proc = web_stack.run_command(argv, timeout=30, transform=web_stack.normalise_gunicorn_times) if fix is None else None
    if proc is not None:
        sys.exit(proc.returncode or 1)
    import subprocess
    server = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        web_stack.wait_for_port(port, timeout=20, host=host)
    finally:
        server.terminate()
        try:
            # gunicorn stops its workers gracefully first; on a loaded machine that took over 10 s
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)
        taken.close()


def uvicorn_port_taken(fix):
    kit.expect_fix(fix, "stop-the-other-process", "use-another-port")
    serve([sys.executable, "-m", "uvicorn", "main:app", "--host", "{host}", "--port", "{port}"],
          web_stack.fixed_address("uvicorn-port-taken"), fix)


def gunicorn_port_taken(fix):
    kit.expect_fix(fix, "stop-the-other-process", "use-another-port")
    web_stack.write_files({"wsgi.py": "def app(environ, start_response):\n    start_response('200 OK', [])\n    return [b'ok']\n"})
    serve([sys.executable, "-m", "gunicorn", "wsgi:app", "--bind", "{host}:{port}", "--workers", "1"],
          web_stack.fixed_address("gunicorn-port-taken"), fix)


SCENARIOS = {
    "uvicorn-port-taken": uvicorn_port_taken,
    "gunicorn-port-taken": gunicorn_port_taken,
}

labkit.run(SCENARIOS)
