"""PostgreSQL out_of_memory (53200), the shared lock table's kind: "out of shared memory" when one
transaction locks more objects than max_locks_per_transaction x connections allows. A private
cluster (max_connections 20) keeps the shared lab server's lock table out of it."""
import labkit
from kits.pg_admin import PrivateCluster

TABLES = 3000


def _create_tables(cluster):
    # per-tenant tables, created over time (each batch in its own transaction)
    for start in range(0, TABLES, 500):
        cluster.psql(
            f"DO $$ BEGIN FOR i IN {start}..{start + 499} LOOP "
            "EXECUTE format('CREATE TABLE tenant_%s (id int)', i); END LOOP; END $$"
        )


def lock_table_exhausted(fix):
    # A clean-up job drops every tenant table in one transaction.
    import psycopg2

    if fix not in (None, "smaller-transactions", "raise-max-locks"):
        raise labkit.UnknownFix(fix)
    cluster = PrivateCluster("locks").init()
    try:
        cluster.start()
        _create_tables(cluster)
        if fix == "raise-max-locks":
            cluster.stop("fast")
            cluster.write_conf("max_locks_per_transaction = 256")  # needs a restart
            cluster.start()
        conn = psycopg2.connect(cluster.dsn())
        try:
            batch = 500 if fix == "smaller-transactions" else TABLES
            for start in range(0, TABLES, batch):
                with conn, conn.cursor() as cur:  # one transaction per batch
                    for i in range(start, min(start + batch, TABLES)):
                        cur.execute(f"DROP TABLE tenant_{i}")
        finally:
            conn.close()
    finally:
        cluster.remove()


labkit.run({"lock-table-exhausted": lock_table_exhausted})
