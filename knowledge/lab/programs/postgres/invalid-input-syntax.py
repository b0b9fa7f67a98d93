"""invalid input syntax for type ... / invalid input value for enum (22P02), psycopg2 and asyncpg.

bad-integer: an id from the URL ("abc") compared with an integer column.
bad-uuid: a truncated UUID string compared with a uuid column.
enum-label: the enum's Python member name (PENDING) sent where the database stores the value (pending).
The values are literals in the SQL, as the ORM renders them for psycopg2; asyncpg checks bound
parameters on the client, so the text has to reach the server for the server's error.
"""
from kits.pg_errors import admin, both_drivers, execute, expect_fix

import labkit


def bad_integer(driver, fix):
    expect_fix(fix, ["validate-input"])
    admin("CREATE TABLE orders (id serial PRIMARY KEY)", "INSERT INTO orders DEFAULT VALUES")
    raw = "abc"
    if fix == "validate-input":
        if not raw.isdigit():
            return  # answered 404/422 before any SQL
    execute(driver, [f"SELECT id FROM orders WHERE id = '{raw}'"])


def bad_uuid(driver, fix):
    expect_fix(fix, ["validate-input"])
    admin("CREATE TABLE users (id uuid PRIMARY KEY)")
    raw = "05911e41"
    if fix == "validate-input":
        import uuid

        try:
            uuid.UUID(raw)
        except ValueError:
            return
    execute(driver, [f"SELECT id FROM users WHERE id = '{raw}'"])


def enum_label(driver, fix):
    expect_fix(fix, ["store-enum-values"])
    admin("CREATE TYPE requeststatus AS ENUM ('pending', 'approved')", "CREATE TABLE change_requests (id serial PRIMARY KEY, status requeststatus NOT NULL)")
    import enum

    class RequestStatus(str, enum.Enum):
        PENDING = "pending"
        APPROVED = "approved"

    # SQLAlchemy's Enum(RequestStatus) sends the member NAME by default; values_callable sends .value
    sent = RequestStatus.PENDING.value if fix == "store-enum-values" else RequestStatus.PENDING.name
    execute(driver, [f"SELECT id FROM change_requests WHERE status = '{sent}'"])


labkit.run(both_drivers({"bad-integer": bad_integer, "bad-uuid": bad_uuid, "enum-label": enum_label}))
