"""PostgreSQL division_by_zero (22012): a zero divisor in the data, in a modulo and in a ratio of aggregates."""
import labkit
from kits.pg_admin import admin_sql


def modulo_by_column(fix):
    # A bot rewards every N-th game: `10 % awards.every_n = 0`, and one guild stored every_n = 0.
    from sqlalchemy import Boolean, Column, Integer, MetaData, Table, case, create_engine, func, select

    admin_sql(
        "CREATE TABLE guild_awards (id serial PRIMARY KEY, guild_xid bigint, every_n int, repeating boolean)",
        "INSERT INTO guild_awards (guild_xid, every_n, repeating) VALUES (1, 5, true), (1, 0, true), (1, 10, false)",
    )
    md = MetaData()
    awards = Table("guild_awards", md, Column("id", Integer, primary_key=True), Column("guild_xid", Integer), Column("every_n", Integer), Column("repeating", Boolean))
    games = 10
    if fix is None:
        divisor = awards.c.every_n
        condition = (games % divisor == 0) & awards.c.repeating.is_(True)
    elif fix == "nullif-divisor":
        divisor = func.nullif(awards.c.every_n, 0)
        condition = (games % divisor == 0) & awards.c.repeating.is_(True)
    elif fix == "case-guard":
        condition = case((awards.c.every_n == 0, False), else_=(games % awards.c.every_n == 0)) & awards.c.repeating.is_(True)
    else:
        raise labkit.UnknownFix(fix)
    engine = create_engine(labkit.pg_url("psycopg2"))
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(awards.c.id).where(awards.c.guild_xid == 1).where(condition)).all()
            assert [r.id for r in rows] == [1], rows
    finally:
        engine.dispose()


async def ratio_of_aggregates(fix):
    # Conversion rate per day: sum(orders) / sum(visits), and one day had no visits recorded.
    import asyncpg

    admin_sql(
        "CREATE TABLE daily_stats (day date, visits int, orders int)",
        "INSERT INTO daily_stats VALUES ('2025-01-01', 100, 5), ('2025-01-02', 0, 0)",
    )
    if fix not in (None, "nullif-divisor", "case-guard"):
        raise labkit.UnknownFix(fix)
    conn = await asyncpg.connect(labkit.pg_dsn())
    try:
        if fix is None:
            rows = await conn.fetch("SELECT day, sum(orders)::numeric / sum(visits) AS rate FROM daily_stats GROUP BY day ORDER BY day")
        elif fix == "nullif-divisor":
            rows = await conn.fetch("SELECT day, sum(orders)::numeric / NULLIF(sum(visits), 0) AS rate FROM daily_stats GROUP BY day ORDER BY day")
        else:
            rows = await conn.fetch("SELECT day, CASE WHEN sum(visits) = 0 THEN 0 ELSE sum(orders)::numeric / sum(visits) END AS rate FROM daily_stats GROUP BY day ORDER BY day")
        assert len(rows) == 2, rows
    finally:
        await conn.close()


labkit.run({"modulo-by-column": modulo_by_column, "ratio-of-aggregates": ratio_of_aggregates})
