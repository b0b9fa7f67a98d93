"""The "retry once the pool knows the connection is dead" fix, shared by the connection-loss programs."""
import labkit


def retry_on_invalidated(engine, cut, attempts=3):
    """Run a long query that loses its connection on the first attempt, then retry.

    `cut(conn)` arranges for the connection to die mid-query (a proxy drop, a server-side terminate).
    SQLAlchemy marks such an error `connection_invalidated` and replaces the connection in the pool,
    so the retry runs on a fresh one. Any other OperationalError is raised: retrying it would hide a
    real fault. Measures how many attempts the query took.
    """
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    for attempt in range(attempts):
        try:
            with engine.connect() as conn:
                if attempt == 0:
                    cut(conn)
                    conn.execute(text("SELECT pg_sleep(1.5)"))
                else:
                    conn.execute(text("SELECT 1"))
            break
        except OperationalError as exc:
            if not exc.connection_invalidated:
                raise
    labkit.measure(attempts=attempt + 1)
