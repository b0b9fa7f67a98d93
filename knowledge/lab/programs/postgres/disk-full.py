"""PostgreSQL disk_full (53100): the volume under a table fills up and the server cannot extend
its file. A private cluster keeps a tablespace on a 2 MB tmpfs (mounted by this program, as root
in the lab's own mount namespace), so the shared lab server's disk is never touched, and its
fresh catalog gives the same file names (OIDs) on every run."""
import os
import pwd

import labkit
from kits.pg_admin import PrivateCluster, mount_tmpfs, remount_tmpfs, unmount


def data_volume_full(fix):
    if fix not in (None, "grow-the-volume"):
        raise labkit.UnknownFix(fix)
    volume = os.path.abspath("volume")
    os.makedirs(volume)
    pg = pwd.getpwnam("postgres")
    try:
        mount_tmpfs(volume, f"size=2m,mode=0700,uid={pg.pw_uid},gid={pg.pw_gid}")
    except OSError as e:
        raise labkit.NotApplicable(f"cannot mount a tmpfs here ({e})")
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


labkit.run({"data-volume-full": data_volume_full})
