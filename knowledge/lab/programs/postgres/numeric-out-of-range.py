"""integer out of range / numeric field overflow (22003), through psycopg2 and asyncpg.

integer-overflow: a 2709475657 id from another system into an integer (int4) column.
numeric-overflow: 12345.678 into numeric(5,2).
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


labkit.run(both_drivers({"integer-overflow": integer_overflow, "numeric-overflow": numeric_overflow}))
