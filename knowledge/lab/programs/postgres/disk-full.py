"""PostgreSQL disk_full (53100): the volume under a table fills up and the server cannot extend
its file. A private cluster keeps a tablespace on a 2 MB tmpfs (mounted by this program, as root
in the lab's own mount namespace), so the shared lab server's disk is never touched, and its
fresh catalog gives the same file names (OIDs) on every run.
server-start: the same kind of cluster with its whole data directory on a tmpfs filled to the last
block, then started: the postmaster cannot write its lock file."""
import os
import pwd
import subprocess
import sys

import labkit
from kits.pg_admin import PrivateCluster, mount_tmpfs, remount_tmpfs, unmount


def _small_volume(fix, size):
    """A tmpfs of `size` that the postgres user owns, mounted at ./volume (the lab's own mount namespace)."""
    if fix not in (None, "grow-the-volume"):
        raise labkit.UnknownFix(fix)
    volume = os.path.abspath("volume")
    os.makedirs(volume)
    pg = pwd.getpwnam("postgres")
    try:
        mount_tmpfs(volume, f"size={size},mode=0700,uid={pg.pw_uid},gid={pg.pw_gid}")
    except OSError as e:
        raise labkit.NotApplicable(f"cannot mount a tmpfs here ({e})")
    return volume


def data_volume_full(fix):
    volume = _small_volume(fix, "2m")
    try:
        _fill(volume, fix)
    finally:
        unmount(volume)


def _fill(volume, fix):
    import psycopg2

    cluster = PrivateCluster("diskfull").init()
    try:
        cluster.start()
        cluster.psql(f"CREATE TABLESPACE small_volume LOCATION '{volume}'")
        cluster.psql("CREATE TABLE update_presence (id bigint, payload text) TABLESPACE small_volume")
        if fix == "grow-the-volume":
            # what resizing the disk (cloud volume, PVC, docker volume) does; no restart needed
            remount_tmpfs(volume, "size=64m")
        conn = psycopg2.connect(cluster.dsn())
        try:
            with conn, conn.cursor() as cur:
                cur.execute("INSERT INTO update_presence SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g")
        finally:
            conn.close()
    finally:
        cluster.remove()


def server_start(fix):
    cluster = PrivateCluster("diskfull-start").init()
    try:
        volume = _small_volume(fix, "96m")
        try:
            data = os.path.join(volume, "data")
            subprocess.run(["cp", "-a", cluster.data, data], check=True)
            cluster.data = data
            _fill_to_the_last_block(os.path.join(volume, "filler"))
            if fix == "grow-the-volume":
                # what resizing the disk (cloud volume, PVC, docker volume) does before the restart
                remount_tmpfs(volume, "size=192m")
            try:
                cluster.start()
            except RuntimeError:
                # pg_ctl only says "could not start server"; the reason is in the server's log
                with open(os.path.join(cluster.root, "log")) as f:
                    sys.stderr.write(f.read())
                raise
            cluster.psql("SELECT 1")
        finally:
            cluster.stop()
            unmount(volume)
    finally:
        cluster.remove()


def _fill_to_the_last_block(path):
    with open(path, "wb", buffering=0) as f:
        chunk = b"x" * (1 << 20)
        try:
            while True:
                f.write(chunk)
        except OSError:
            pass
        try:
            while True:
                f.write(b"x" * 512)
        except OSError:
            pass


labkit.run({"data-volume-full": data_volume_full, "server-start": server_start})
