"""PostgreSQL invalid_datetime_format (22007) and datetime_field_overflow (22008): date strings the server cannot read."""
import datetime

import labkit
from kits.pg_admin import admin_sql


def _engine():
    from sqlalchemy import create_engine

    return create_engine(labkit.pg_url("psycopg2"))


def day_first_string(fix):
    # A CSV import passes "31/07/2020" (day first) as a string into a date column.
    from sqlalchemy import text

    admin_sql("CREATE TABLE youtube_day_log (id text PRIMARY KEY, date date, count int)")
    raw = "31/07/2020"
    if fix is None:
        value = raw
    elif fix == "parse-in-python":
        value = datetime.datetime.strptime(raw, "%d/%m/%Y").date()
    else:
        raise labkit.UnknownFix(fix)
    engine = _engine()
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO youtube_day_log (id, date, count) VALUES ('count', :date, 1)"), {"date": value})
    finally:
        engine.dispose()


def epoch_number(fix):
    # A Unix timestamp (seconds) stored into a timestamptz column as a number string.
    from sqlalchemy import text

    admin_sql("CREATE TABLE trips_snapshot (id serial PRIMARY KEY, sort_order_datetime_utc timestamptz)")
    epoch = "1699142400"
    if fix is None:
        sql, params = "INSERT INTO trips_snapshot (sort_order_datetime_utc) VALUES (:ts)", {"ts": epoch}
    elif fix == "to-timestamp":
        sql, params = "INSERT INTO trips_snapshot (sort_order_datetime_utc) VALUES (to_timestamp(:ts))", {"ts": int(epoch)}
    elif fix == "parse-in-python":
        sql, params = "INSERT INTO trips_snapshot (sort_order_datetime_utc) VALUES (:ts)", {"ts": datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc)}
    else:
        raise labkit.UnknownFix(fix)
    engine = _engine()
    try:
        with engine.begin() as conn:
            conn.execute(text(sql), params)
    finally:
        engine.dispose()


def unparseable_string(fix):
    # An optional date field left empty in a form: the empty string is sent on as is.
    from sqlalchemy import text

    admin_sql("CREATE TABLE events (id serial PRIMARY KEY, starts_at timestamptz)")
    raw = ""
    if fix is None:
        value = raw
    elif fix == "parse-in-python":
        value = datetime.datetime.fromisoformat(raw) if raw.strip() else None
    else:
        raise labkit.UnknownFix(fix)
    engine = _engine()
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO events (starts_at) VALUES (:starts_at)"), {"starts_at": value})
    finally:
        engine.dispose()


labkit.run({"day-first-string": day_first_string, "epoch-number": epoch_number, "unparseable-string": unparseable_string})
