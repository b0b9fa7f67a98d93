"""violates check constraint (23514), through psycopg2 and asyncpg.

invalid-value: an order line with quantity 0 against CHECK (quantity > 0).
existing-rows: ALTER TABLE ... ADD CONSTRAINT CHECK on a table that already holds violating rows.
"""
from kits.pg_errors import admin, both_drivers, execute, expect_fix

import labkit


def invalid_value(driver, fix):
    expect_fix(fix, ["validate-input", "map-to-422"])
    admin("CREATE TABLE order_items (id serial PRIMARY KEY, quantity integer NOT NULL CHECK (quantity > 0))")
    quantity = 0
    if fix == "validate-input":
        from pydantic import BaseModel, Field, ValidationError

        class OrderItemIn(BaseModel):
            quantity: int = Field(gt=0)

        try:
            OrderItemIn(quantity=quantity)
        except ValidationError:
            return  # a 422 before any SQL
        raise AssertionError("the validator accepted quantity 0")
    if fix == "map-to-422":
        import asyncpg
        import psycopg2

        try:
            execute(driver, [f"INSERT INTO order_items (quantity) VALUES ({quantity})"])
        except (psycopg2.errors.CheckViolation, asyncpg.exceptions.CheckViolationError) as exc:
            constraint = getattr(getattr(exc, "diag", None), "constraint_name", None) or getattr(exc, "constraint_name", None)
            assert constraint == "order_items_quantity_check", constraint
            return  # answered 422 "quantity must be positive", named by the constraint
        raise AssertionError("the insert did not violate the check")
    execute(driver, [f"INSERT INTO order_items (quantity) VALUES ({quantity})"])


def existing_rows(driver, fix):
    expect_fix(fix, ["clean-data-first", "not-valid-then-validate"])
    admin("CREATE TABLE products (id serial PRIMARY KEY, price numeric NOT NULL)", "INSERT INTO products (price) VALUES (10), (-1), (0)")
    if fix == "clean-data-first":
        execute(driver, ["UPDATE products SET price = 0 WHERE price < 0", "ALTER TABLE products ADD CONSTRAINT products_price_check CHECK (price >= 0)"])
        return
    if fix == "not-valid-then-validate":
        execute(driver, ["ALTER TABLE products ADD CONSTRAINT products_price_check CHECK (price >= 0) NOT VALID"])  # new rows checked from now
        execute(driver, ["UPDATE products SET price = 0 WHERE price < 0", "ALTER TABLE products VALIDATE CONSTRAINT products_price_check"])
        return
    execute(driver, ["ALTER TABLE products ADD CONSTRAINT products_price_check CHECK (price >= 0)"])


labkit.run(both_drivers({"invalid-value": invalid_value, "existing-rows": existing_rows}))
