"""Helpers for the lab programs of the PostgreSQL server-error faults (SQLSTATE families).

Used by programs/postgres/* written for issue 14 (read-only transactions, disk full, duplicate
objects, data exceptions...). Everything runs against the run's own database
(labkit.pg_dsn()), except `PrivateCluster`, which starts a throwaway PostgreSQL of the world's
own version for the faults that need a server in a state the shared one must never be in
(starting up, in recovery, a hot standby, SSL-only pg_hba.conf).
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from typing import Any, Iterable, List, Optional
from urllib.parse import urlsplit

import labkit

# The lab runs programs with PATH=/usr/local/bin:/usr/bin:/bin; runuser lives in /usr/sbin.
RUNUSER = "/usr/sbin/runuser"


def admin_sql(*statements: str) -> None:
    """Runs statements on the run's database as the lab's superuser, in autocommit."""
    import psycopg2

    conn = psycopg2.connect(labkit.pg_dsn())
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            for statement in statements:
                cur.execute(statement)
    finally:
        conn.close()


def admin_query(sql: str) -> List[tuple]:
    import psycopg2

    conn = psycopg2.connect(labkit.pg_dsn())
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()
    finally:
        conn.close()


def database_name() -> str:
    return urlsplit(labkit.pg_dsn()).path.lstrip("/")


def asyncpg_dsn() -> str:
    return labkit.pg_dsn()


def mount_tmpfs(target: str, options: str) -> None:
    """mount -t tmpfs through mount(2): the trixie world has no mount(8) binary."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.mount(b"tmpfs", target.encode(), b"tmpfs", 0, options.encode()) != 0:
        raise OSError(ctypes.get_errno(), f"mount tmpfs on {target}: {os.strerror(ctypes.get_errno())}")


def remount_tmpfs(target: str, options: str) -> None:
    import ctypes

    ms_remount = 32
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.mount(b"tmpfs", target.encode(), b"tmpfs", ms_remount, options.encode()) != 0:
        raise OSError(ctypes.get_errno(), f"remount {target}: {os.strerror(ctypes.get_errno())}")


def unmount(target: str) -> None:
    import ctypes

    mnt_detach = 2
    ctypes.CDLL(None, use_errno=True).umount2(target.encode(), mnt_detach)


def pg_bin(tool: str) -> str:
    """The world's PostgreSQL binary (15 on bookworm, 17 on trixie)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"))
    if not found:
        raise labkit.NotApplicable(f"no PostgreSQL server binaries ({tool}) in this world")
    return found[-1]


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateCluster:
    """A throwaway PostgreSQL cluster in a fresh folder under /tmp, owned by the `postgres` user.

    The shared lab server must never be restarted, crashed, made a standby or given an SSL-only
    pg_hba.conf: other runs use it. Faults about those states start their own cluster (initdb
    takes a few seconds), user `lab` / password `lab`, and stop it with `-m immediate` on exit.
    It listens on a Unix socket only, in a folder of the run's working directory, as port 5432:
    the lab rewrites the working directory in recorded traces and nothing else listens there,
    so a trace that names the server ("connection to server on socket ...") reads the same on
    every run. Its data folder is under /tmp; `remove()` deletes it.
    """

    def __init__(self, name: str = "cluster", hba: Optional[Iterable[str]] = None, conf: Optional[Iterable[str]] = None, tcp: bool = False) -> None:
        self.root = tempfile.mkdtemp(prefix=f"lab-{name}-")
        self.data = os.path.join(self.root, "data")
        self.socket_dir = os.path.abspath(name)
        self.port = 5432
        # tcp=True also listens on a free loopback port (SSL and pg_hba.conf `host*` lines need
        # TCP); messages that name that port then differ between runs, so use it only where the
        # client's message does not (asyncpg's server errors do not).
        self.tcp_port = _free_port() if tcp else None
        if self.tcp_port:
            self.port = self.tcp_port  # the socket is named after the port too
        self.hba = list(hba) if hba is not None else None
        self.conf = list(conf or [])

    def _as_pg(self, argv: List[str], check: bool = True) -> subprocess.CompletedProcess:
        env = {**os.environ, "PGPASSWORD": "lab", "HOME": self.root}
        r = subprocess.run([RUNUSER, "-u", "postgres", "--", *argv], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=self.root)
        if check and r.returncode != 0:
            raise RuntimeError(f"{os.path.basename(argv[0])} failed ({r.returncode}): {r.stdout.strip()[-500:]}")
        return r

    def init(self) -> "PrivateCluster":
        shutil.chown(self.root, "postgres", "postgres")
        os.chmod(self.root, 0o700)
        os.makedirs(self.socket_dir, exist_ok=True)
        shutil.chown(self.socket_dir, "postgres", "postgres")
        pw = os.path.join(self.root, "pw")
        with open(pw, "w") as f:
            f.write("lab\n")
        shutil.chown(pw, "postgres", "postgres")
        self._as_pg([pg_bin("initdb"), "-D", self.data, "-U", "lab", "-A", "scram-sha-256", f"--pwfile={pw}", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"])
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write(f"port = {self.port}\nlisten_addresses = ''\nunix_socket_directories = '{self.socket_dir}'\nfsync = off\n")
            f.write("max_connections = 20\nshared_buffers = 16MB\ndynamic_shared_memory_type = mmap\n")
            if self.tcp_port:
                f.write("listen_addresses = '127.0.0.1'\n")
            for line in self.conf:
                f.write(line + "\n")
        if self.hba is not None:
            with open(os.path.join(self.data, "pg_hba.conf"), "w") as f:
                f.write("local all all trust\n")
                for line in self.hba:
                    f.write(line + "\n")
        return self

    def enable_ssl(self) -> None:
        """A self-signed certificate (openssl) and ssl = on."""
        key, crt = os.path.join(self.data, "server.key"), os.path.join(self.data, "server.crt")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt, "-days", "2", "-subj", "/CN=localhost"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for path in (key, crt):
            shutil.chown(path, "postgres", "postgres")
        os.chmod(key, 0o600)
        self.write_conf("ssl = on", "ssl_cert_file = 'server.crt'", "ssl_key_file = 'server.key'")

    def write_conf(self, *lines: str) -> None:
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            for line in lines:
                f.write(line + "\n")

    def touch(self, name: str) -> None:
        path = os.path.join(self.data, name)
        open(path, "w").close()
        shutil.chown(path, "postgres", "postgres")

    def start(self, wait: bool = True) -> None:
        argv = [pg_bin("pg_ctl"), "-D", self.data, "-l", os.path.join(self.root, "log"), "start"]
        argv.insert(1, "-w" if wait else "-W")
        self._as_pg(argv)

    def stop(self, mode: str = "immediate") -> None:
        self._as_pg([pg_bin("pg_ctl"), "-D", self.data, "-m", mode, "-w", "stop"], check=False)

    def remove(self) -> None:
        try:
            self.stop()
        finally:  # a failed stop (or start) must not leave the data folder behind in /tmp
            shutil.rmtree(self.root, ignore_errors=True)

    def promote(self) -> None:
        self._as_pg([pg_bin("pg_ctl"), "-D", self.data, "-w", "promote"])

    def psql(self, sql: str) -> str:
        """Runs SQL over the Unix socket (trust), whatever pg_hba.conf says for TCP."""
        return self._as_pg([pg_bin("psql"), "-X", "-q", "-At", "-h", self.socket_dir, "-p", str(self.port), "-U", "lab", "-d", "postgres", "-c", sql]).stdout

    def tcp_dsn(self, database: str = "postgres") -> str:
        assert self.tcp_port, "PrivateCluster(tcp=True) listens on TCP"
        return f"postgresql://lab:lab@127.0.0.1:{self.tcp_port}/{database}"

    def dsn(self, database: str = "postgres") -> str:
        """A libpq keyword DSN over the cluster's socket (psycopg2, psycopg)."""
        return f"host={self.socket_dir} port={self.port} dbname={database} user=lab password=lab"

    def url(self, driver: str, database: str = "postgres") -> str:
        """A SQLAlchemy URL over the cluster's socket."""
        return f"postgresql+{driver}://lab:lab@/{database}?host={self.socket_dir}&port={self.port}"

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r = self._as_pg([pg_bin("pg_isready"), "-q", "-h", self.socket_dir, "-p", str(self.port)], check=False)
            if r.returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError("the private cluster did not become ready")

    def __enter__(self) -> "PrivateCluster":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()
