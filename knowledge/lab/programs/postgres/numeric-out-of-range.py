"""integer out of range / numeric field overflow (22003), through psycopg2 and asyncpg.

integer-overflow: a 2709475657 id from another system into an integer (int4) column.
numeric-overflow: 12345.678 into numeric(5,2).
sequence-exhausted: an INSERT after a serial key's sequence reached 2147483647 (2200H).
"""
from kits.pg_errors import admin, both_drivers, execute, expect_fix

import labkit


def integer_overflow(driver, fix):
    expect_fix(fix, ["bigint-column"])
    admin("CREATE TABLE events (id serial PRIMARY KEY, external_id integer NOT NULL)")
    if fix == "bigint-column":
        admin("ALTER TABLE events ALTER COLUMN external_id TYPE bigint")
    execute(driver, ["INSERT INTO events (external_id) VALUES (2709475657)"])


def numeric_overflow(driver, fix):
    expect_fix(fix, ["widen-precision"])
    admin("CREATE TABLE prices (id serial PRIMARY KEY, amount numeric(5, 2) NOT NULL)")
    if fix == "widen-precision":
        admin("ALTER TABLE prices ALTER COLUMN amount TYPE numeric(12, 2)")
    execute(driver, ["INSERT INTO prices (amount) VALUES (12345.678)"])


def sequence_exhausted(driver, fix):
    expect_fix(fix, ["bigint-sequence", "restart-sequence"])
    admin(
        "CREATE TABLE events (id serial PRIMARY KEY, note text)",
        "SELECT setval('events_id_seq', 2147483647)",
    )
    if fix == "bigint-sequence":
        admin("ALTER TABLE events ALTER COLUMN id TYPE bigint", "ALTER SEQUENCE events_id_seq AS bigint")
    elif fix == "restart-sequence":
        admin("DELETE FROM events", "ALTER SEQUENCE events_id_seq RESTART WITH 1")
    execute(driver, ["INSERT INTO events (note) VALUES ('x')"])


labkit.run(
    both_drivers(
        {
            "integer-overflow": integer_overflow,
            "numeric-overflow": numeric_overflow,
            "sequence-exhausted": sequence_exhausted,
        }
    )
)
