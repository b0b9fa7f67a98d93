"""Shared pieces for the web-serving and test-runner programs: uvicorn, gunicorn, pytest.

Servers run for real on a free loopback port (never a fixed one: runs go in parallel), their log
output is this program's output (what users paste), and every process a program starts is stopped
before it returns.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from typing import Any, Dict, List, Optional


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class uvicorn_in_thread:
    """`with uvicorn_in_thread(app) as port:` serves an ASGI app with the real uvicorn (h11)."""

    def __init__(self, app: Any, **config: Any) -> None:
        import uvicorn

        self.port = free_port()
        config = {"http": "h11", "log_level": "info", **config}
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, **config))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> int:
        self.thread.start()
        deadline = time.time() + 20
        while not self.server.started:
            if time.time() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self.port

    def __exit__(self, *exc: Any) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def write_files(files: Dict[str, str], root: str = ".") -> None:
    for name, text in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "w") as fh:
            fh.write(textwrap.dedent(text).lstrip())


def run_command(argv: List[str], timeout: float = 60, cwd: Optional[str] = None,
                env: Optional[Dict[str, str]] = None, transform: Any = None) -> subprocess.CompletedProcess:
    """Runs a command (its output becomes ours, merged in order, through transform) and returns it."""
    proc = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=timeout, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1", **(env or {})))
    sys.stdout.write(transform(proc.stdout) if transform else proc.stdout)
    sys.stdout.flush()
    return proc


def pytest_project(files: Dict[str, str], *args: str) -> None:
    """Writes a project into the working folder and runs the real pytest; a failed session exits 1."""
    write_files(files)
    proc = run_command([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], timeout=120)
    if proc.returncode != 0:
        sys.exit(1)


def wait_for_port(port: int, timeout: float = 20, host: str = "127.0.0.1") -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex((host, port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


class _FixedDir:
    """Stands in for TemporaryDirectory so a project's paths (printed in messages) are the same every run."""

    def __init__(self, name: str) -> None:
        self.name = name
        os.makedirs(name)


def alembic_project(url: Optional[str] = None, folder: str = "project") -> Any:
    """kits.app_stack.AlembicProject rooted at <working folder>/<folder> instead of a random /tmp name."""
    import tempfile

    from kits import app_stack

    original = tempfile.TemporaryDirectory
    tempfile.TemporaryDirectory = lambda: _FixedDir(os.path.join(os.getcwd(), folder))  # type: ignore[assignment]
    try:
        return app_stack.AlembicProject(url=url)
    finally:
        tempfile.TemporaryDirectory = original  # type: ignore[assignment]


def pytest_session(files: Dict[str, str], *args: str, quiet: bool = False) -> subprocess.CompletedProcess:
    """Writes a project into the working folder and runs the real pytest with its header (plugins,
    asyncio mode) as users paste it; returns the finished process for the caller to judge."""
    write_files(files)
    argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", *args]
    if quiet:
        argv.append("-q")
    return run_command(argv, timeout=120)


def fail_unless_clean(proc: subprocess.CompletedProcess) -> None:
    """A CI gate: a failed session, or one that skipped tests, exits 1."""
    if proc.returncode != 0 or " skipped" in proc.stdout.splitlines()[-1]:
        sys.exit(1)


def fixed_address(scenario: str) -> str:
    """A loopback address of this world and scenario, so a recorded trace names the same host:port every
    run while runs of both worlds and every scenario can listen on port 8000 at the same time."""
    import zlib

    world = 1 if os.environ.get("LAB_WORLD", "bookworm") == "bookworm" else 2
    return f"127.0.{world}.{zlib.crc32(scenario.encode()) % 200 + 20}"


def block_import(*names: str) -> None:
    """Makes `import <name>` fail as if the distribution were not installed (the world has it)."""
    import importlib.abc

    class Blocker(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
            if fullname.split(".")[0] in names:
                raise ModuleNotFoundError(f"No module named '{fullname}'", name=fullname)
            return None

    for name in list(sys.modules):
        if name.split(".")[0] in names:
            del sys.modules[name]
    sys.meta_path.insert(0, Blocker())


def normalise_gunicorn_times(text: str) -> str:
    """gunicorn stamps every log line with the time; a recorded trace must not change between runs."""
    import re

    return re.sub(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\]", "[2026-01-01 00:00:00 +0000]", text, flags=re.M)
