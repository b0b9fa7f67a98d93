"""A database container's entrypoint cannot take over its bind-mounted data directory.

The official postgres image runs `initdb` as the `postgres` user (uid 999) on
/var/lib/postgresql/data; when that directory is a bind mount owned by another uid on the host,
initdb cannot chmod it. This program runs the world's real initdb as another uid on a directory
owned by root, which is the same uid mismatch without Docker.
"""
import glob
import os
import subprocess
import sys
import tempfile

import labkit

DB_UID = 65534  # stands for the image's postgres user


def initdb_path():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise labkit.NotApplicable("no initdb in this world")
    return found[-1]


def uid_mismatch(fix):
    if os.geteuid() != 0:
        raise labkit.NotApplicable("needs root to run initdb as another uid")
    base = tempfile.mkdtemp(prefix="volumes-")
    os.chmod(base, 0o755)
    data = os.path.join(base, "data")
    os.mkdir(data, 0o755)  # created by `docker compose up` / the host user: owned by root
    if fix == "chown-to-container-uid":
        os.chown(data, DB_UID, DB_UID)  # sudo chown -R 999:999 ./pgdata
    elif fix is not None:
        raise labkit.UnknownFix(fix)
    proc = subprocess.run(
        [initdb_path(), "-D", data, "-U", "postgres", "--auth=trust", "--no-sync"],
        preexec_fn=lambda: (os.setgid(DB_UID), os.setuid(DB_UID)),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=base,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    sys.stderr.write(proc.stderr.replace(base, "/var/lib/postgresql"))
    if proc.returncode != 0:
        sys.exit(proc.returncode)


labkit.run({"uid-mismatch": uid_mismatch})
