"""A private redis-server for one lab run: a free loopback port, no persistence, stopped at exit.

    with RedisServer("--requirepass", "s3cret") as server:
        redis.Redis(port=server.port, password="s3cret")

Extra arguments go straight to /usr/bin/redis-server (both worlds ship it: 7.0 and 8.0).
"""
import atexit
import shutil
import socket
import subprocess
import tempfile
import time

import labkit

REDIS_SERVER = "/usr/bin/redis-server"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def stable_port(slot):
    """A free loopback port that is the same from run to run, so recorded traces do not change.

    `slot` (0-99) must differ between the scenarios and fixes of one program, which the lab may
    run at once; the two worlds get separate ranges. Ports stay below 20000 so that a cluster
    node's bus port (port + 10000) is valid too. Falls back to a random port when all are taken.
    """
    import os

    base = 7100 + (100 if os.environ.get("LAB_WORLD") == "trixie" else 0) + slot
    for port in (base, base + 1000, base + 2000):
        if port_is_free(port) and port_is_free(port + 10000):
            return port
    return free_port()


def closed_port(slot):
    """A loopback port where nothing listens (stable from run to run, see stable_port)."""
    return stable_port(slot)


class RedisServer:
    def __init__(self, *args, port=None):
        self.port = port or free_port()
        self.args = list(args)
        self.proc = None
        self.dir = None

    def start(self):
        if not shutil.which(REDIS_SERVER):
            raise labkit.NotApplicable("no /usr/bin/redis-server in this world")
        self.dir = tempfile.mkdtemp(prefix="redis-")
        cmd = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no", "--daemonize", "no", "--dir", self.dir, "--loglevel", "warning",
               *self.args]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        atexit.register(self.stop)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"redis-server exited with {self.proc.returncode}")
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start in 10 s")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
