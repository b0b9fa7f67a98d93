"""PostgreSQL cardinality_violation (21000): a scalar subquery returned more than one row."""
import labkit
from kits.pg_admin import admin_sql

SETUP = (
    "CREATE TABLE users (id int PRIMARY KEY, name text)",
    "CREATE TABLE orders (id serial PRIMARY KEY, user_id int, total numeric, created_at timestamp DEFAULT now())",
    "INSERT INTO users VALUES (1, 'Ada'), (2, 'Linus'), (3, 'Grace')",
    "INSERT INTO orders (user_id, total) VALUES (1, 150), (2, 300), (3, 20)",
)


def scalar_subquery_in_where(fix):
    from sqlalchemy import Column, Integer, MetaData, Numeric, String, Table, create_engine, select

    admin_sql(*SETUP)
    md = MetaData()
    users = Table("users", md, Column("id", Integer, primary_key=True), Column("name", String))
    orders = Table("orders", md, Column("id", Integer, primary_key=True), Column("user_id", Integer), Column("total", Numeric))
    big_spenders = select(orders.c.user_id).where(orders.c.total > 100)
    if fix is None:
        stmt = select(users.c.name).where(users.c.id == big_spenders.scalar_subquery())
    elif fix == "use-in":
        stmt = select(users.c.name).where(users.c.id.in_(big_spenders))
    elif fix == "limit-one":
        stmt = select(users.c.name).where(users.c.id == big_spenders.order_by(orders.c.total.desc()).limit(1).scalar_subquery())
    else:
        raise labkit.UnknownFix(fix)
    engine = create_engine(labkit.pg_url("psycopg2"))
    try:
        with engine.connect() as conn:
            assert conn.execute(stmt).all()
    finally:
        engine.dispose()


async def correlated_select_list(fix):
    import asyncpg

    admin_sql(*SETUP, "INSERT INTO orders (user_id, total) VALUES (1, 40)")
    if fix not in (None, "limit-one", "aggregate"):
        raise labkit.UnknownFix(fix)
    conn = await asyncpg.connect(labkit.pg_dsn())
    try:
        if fix is None:
            rows = await conn.fetch("SELECT u.name, (SELECT o.total FROM orders o WHERE o.user_id = u.id) AS last_total FROM users u")
        elif fix == "limit-one":
            rows = await conn.fetch("SELECT u.name, (SELECT o.total FROM orders o WHERE o.user_id = u.id ORDER BY o.created_at DESC, o.id DESC LIMIT 1) AS last_total FROM users u")
        else:
            rows = await conn.fetch("SELECT u.name, (SELECT sum(o.total) FROM orders o WHERE o.user_id = u.id) AS total FROM users u")
        assert len(rows) == 3
    finally:
        await conn.close()


labkit.run({"scalar-subquery-in-where": scalar_subquery_in_where, "correlated-select-list": correlated_select_list})
