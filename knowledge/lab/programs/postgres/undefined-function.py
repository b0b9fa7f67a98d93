"""function / operator does not exist (42883), through psycopg2 and asyncpg.

operator-type-mismatch: a join compares an integer key with a varchar column.
missing-extension: uuid_generate_v4() without CREATE EXTENSION "uuid-ossp".
argument-types: a function called with arguments of other types than it declares.
"""
from kits.pg_errors import admin, both_drivers, execute, expect_fix

import labkit


def operator_type_mismatch(driver, fix):
    expect_fix(fix, ["cast-one-side", "align-column-types"])
    admin(
        "CREATE TABLE orders (id integer PRIMARY KEY)",
        "CREATE TABLE payments (id serial PRIMARY KEY, order_ref varchar(20) NOT NULL)",
        "INSERT INTO orders VALUES (1)",
        "INSERT INTO payments (order_ref) VALUES ('1')",
    )
    if fix == "align-column-types":
        admin("ALTER TABLE payments ALTER COLUMN order_ref TYPE integer USING order_ref::integer")
    on = "o.id = p.order_ref::integer" if fix == "cast-one-side" else "o.id = p.order_ref"
    execute(driver, [f"SELECT o.id, p.id FROM orders o JOIN payments p ON {on}"])


def missing_extension(driver, fix):
    expect_fix(fix, ["create-extension", "builtin-function"])
    admin("CREATE TABLE items (id uuid PRIMARY KEY, name text)")
    if fix == "create-extension":
        admin('CREATE EXTENSION IF NOT EXISTS "uuid-ossp"')
    function = "gen_random_uuid()" if fix == "builtin-function" else "uuid_generate_v4()"
    execute(driver, [f"INSERT INTO items (id, name) VALUES ({function}, 'first')"])


def argument_types(driver, fix):
    expect_fix(fix, ["cast-arguments"])
    admin("CREATE FUNCTION add_points(user_id integer, points integer) RETURNS integer LANGUAGE sql AS 'SELECT points'")
    call = "SELECT add_points(42, 1.5::integer)" if fix == "cast-arguments" else "SELECT add_points(42, 1.5)"
    execute(driver, [call])


labkit.run(both_drivers({
    "operator-type-mismatch": operator_type_mismatch,
    "missing-extension": missing_extension,
    "argument-types": argument_types,
}))
