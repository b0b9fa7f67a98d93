"""conflicting key value violates exclusion constraint (23P01), through psycopg2 and asyncpg.

double-booking: a room booked 10:30-12:00 is booked again 10:00-11:00.
inclusive-bounds: back-to-back bookings written with an inclusive upper bound ('[10:00,11:00]'),
so 11:00 belongs to both and they overlap.
"""
from kits.pg_errors import admin, both_drivers, execute, expect_fix

import labkit

SCHEMA = (
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "CREATE TABLE bookings (id serial PRIMARY KEY, room_id integer NOT NULL, during tstzrange NOT NULL,"
    " EXCLUDE USING gist (room_id WITH =, during WITH &&))",
)


def double_booking(driver, fix):
    expect_fix(fix, ["map-to-409"])
    admin(*SCHEMA, "INSERT INTO bookings (room_id, during) VALUES (3, '[2025-05-01 10:30+00,2025-05-01 12:00+00)')")
    insert = "INSERT INTO bookings (room_id, during) VALUES (3, '[2025-05-01 10:00+00,2025-05-01 11:00+00)')"
    if fix == "map-to-409":
        import asyncpg
        import psycopg2

        try:
            execute(driver, [insert])
        except (psycopg2.errors.ExclusionViolation, asyncpg.exceptions.ExclusionViolationError):
            return  # 409 "room 3 is already booked then": the constraint did its job, atomically
        raise AssertionError("the overlapping booking was accepted")
    execute(driver, [insert])


def inclusive_bounds(driver, fix):
    expect_fix(fix, ["half-open-ranges"])
    admin(*SCHEMA)
    bounds = "[)" if fix == "half-open-ranges" else "[]"
    execute(driver, [
        f"INSERT INTO bookings (room_id, during) VALUES (3, tstzrange('2025-05-01 10:00+00', '2025-05-01 11:00+00', '{bounds}'))",
        f"INSERT INTO bookings (room_id, during) VALUES (3, tstzrange('2025-05-01 11:00+00', '2025-05-01 12:00+00', '{bounds}'))",
    ])


labkit.run(both_drivers({"double-booking": double_booking, "inclusive-bounds": inclusive_bounds}))
