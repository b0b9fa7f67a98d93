"""current transaction is aborted, commands ignored until end of transaction block (25P02).

caught-and-continued: an INSERT fails on a unique key inside a transaction; the code catches the
error and runs its fallback UPDATE on the same transaction, which PostgreSQL refuses.
"""
from kits.pg_errors import Session, admin, both_drivers, expect_fix

import labkit


def unique_error(driver):
    import asyncpg
    import psycopg2

    return psycopg2.errors.UniqueViolation if driver == "psycopg2" else asyncpg.exceptions.UniqueViolationError


def caught_and_continued(driver, fix):
    expect_fix(fix, ["rollback-after-error", "savepoint", "transaction-per-unit"])
    admin("CREATE TABLE counters (name text PRIMARY KEY, hits integer NOT NULL)", "INSERT INTO counters VALUES ('home', 1)")
    session = Session(driver)
    duplicate = unique_error(driver)
    try:
        if fix == "transaction-per-unit":
            for unit in (["INSERT INTO counters VALUES ('home', 1)"], ["UPDATE counters SET hits = hits + 1 WHERE name = 'home'"]):
                try:
                    if driver == "asyncpg":
                        session.execute("BEGIN")
                    for sql in unit:
                        session.execute(sql)
                    session.commit()
                except duplicate:
                    session.rollback()  # the unit failed: its transaction ends here, the next one starts clean
            return
        if driver == "asyncpg":
            session.execute("BEGIN")
        if fix == "savepoint":
            session.execute("SAVEPOINT try_insert")
        try:
            session.execute("INSERT INTO counters VALUES ('home', 1)")
        except duplicate:
            if fix == "rollback-after-error":
                session.rollback()
                if driver == "asyncpg":
                    session.execute("BEGIN")
            elif fix == "savepoint":
                session.execute("ROLLBACK TO SAVEPOINT try_insert")
            session.execute("UPDATE counters SET hits = hits + 1 WHERE name = 'home'")
        session.commit()
    finally:
        session.close()


labkit.run(both_drivers({"caught-and-continued": caught_and_continued}))
