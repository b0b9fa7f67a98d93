"""PostgreSQL grouping_error (42803): a selected (or ordered-by) column neither grouped nor aggregated."""
import labkit
from kits.pg_admin import admin_sql

SETUP = (
    "CREATE TABLE customers (id int PRIMARY KEY, name text)",
    "CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers(id), status text, total numeric)",
    "INSERT INTO customers VALUES (1, 'Ada'), (2, 'Linus')",
    "INSERT INTO orders (customer_id, status, total) VALUES (1, 'paid', 10), (1, 'open', 5), (2, 'paid', 7)",
)


def _tables():
    from sqlalchemy import Column, ForeignKey, Integer, MetaData, Numeric, String, Table

    md = MetaData()
    customers = Table("customers", md, Column("id", Integer, primary_key=True), Column("name", String))
    orders = Table("orders", md, Column("id", Integer, primary_key=True), Column("customer_id", ForeignKey("customers.id")), Column("status", String), Column("total", Numeric))
    return customers, orders


def select_list(fix):
    from sqlalchemy import create_engine, func, select

    admin_sql(*SETUP)
    customers, orders = _tables()
    if fix is None:
        stmt = select(orders.c.customer_id, orders.c.status, func.sum(orders.c.total)).group_by(orders.c.customer_id)
    elif fix == "add-to-group-by":
        stmt = select(orders.c.customer_id, orders.c.status, func.sum(orders.c.total)).group_by(orders.c.customer_id, orders.c.status)
    elif fix == "aggregate-the-column":
        stmt = select(orders.c.customer_id, func.max(orders.c.status), func.sum(orders.c.total)).group_by(orders.c.customer_id)
    elif fix == "group-by-primary-key":
        stmt = (
            select(customers.c.id, customers.c.name, func.sum(orders.c.total))
            .join_from(customers, orders)
            .group_by(customers.c.id)  # name is functionally dependent on the primary key
        )
    else:
        raise labkit.UnknownFix(fix)
    engine = create_engine(labkit.pg_url("psycopg2"))
    try:
        with engine.connect() as conn:
            assert conn.execute(stmt).all()
    finally:
        engine.dispose()


async def order_by(fix):
    import asyncpg

    admin_sql(*SETUP)
    if fix is None:
        sql = "SELECT customer_id, sum(total) FROM orders GROUP BY customer_id ORDER BY status"
    elif fix == "aggregate-the-column":
        sql = "SELECT customer_id, sum(total) FROM orders GROUP BY customer_id ORDER BY max(status)"
    elif fix == "add-to-group-by":
        sql = "SELECT customer_id, status, sum(total) FROM orders GROUP BY customer_id, status ORDER BY status"
    else:
        raise labkit.UnknownFix(fix)
    conn = await asyncpg.connect(labkit.pg_dsn())
    try:
        assert await conn.fetch(sql)
    finally:
        await conn.close()


labkit.run({"select-list": select_list, "order-by": order_by})
