"""deadlock detected (40P01), through psycopg2 and asyncpg.

opposite-order: two transfers update the same two accounts in opposite orders; each holds the
row the other needs. This program's session waits first, so PostgreSQL (after deadlock_timeout,
1 s) picks it as the victim and it dies with the real error.
"""
import threading
import time

from kits.pg_errors import Session, admin, both_drivers, expect_fix

import labkit


def deadlock_error(driver):
    import asyncpg
    import psycopg2

    return psycopg2.errors.DeadlockDetected if driver == "psycopg2" else asyncpg.exceptions.DeadlockDetectedError


def begin(session):
    if session.driver == "asyncpg":
        session.execute("BEGIN")


def opposite_order(driver, fix):
    expect_fix(fix, ["consistent-lock-order", "retry-transaction"])
    admin("CREATE TABLE accounts (id integer PRIMARY KEY, balance integer NOT NULL)", "INSERT INTO accounts VALUES (1, 100), (2, 100)")
    debit = "UPDATE accounts SET balance = balance - 10 WHERE id = {}"
    main_locked, other_locked = threading.Event(), threading.Event()
    ordered = fix == "consistent-lock-order"

    def other_transfer():  # the other request: 2 then 1 (or, fixed, 1 then 2 like everyone)
        other = Session(driver)
        try:
            main_locked.wait(10)
            begin(other)
            first, second = (1, 2) if ordered else (2, 1)
            if ordered:
                other_locked.set()
            other.execute(debit.format(first))
            other_locked.set()
            time.sleep(0.3)
            other.execute(debit.format(second))
            other.commit()
        finally:
            other.close()

    thread = threading.Thread(target=other_transfer, daemon=True)
    main = Session(driver)

    def transfer():
        begin(main)
        main.execute(debit.format(1))
        main_locked.set()
        other_locked.wait(10)
        main.execute(debit.format(2))
        main.commit()

    thread.start()
    try:
        if fix == "retry-transaction":
            for attempt in range(3):
                try:
                    transfer()
                    break
                except deadlock_error(driver):
                    main.rollback()  # the victim's work is undone: run the whole transaction again
                    time.sleep(0.1 * (attempt + 1))
        else:
            transfer()
        thread.join(10)
    finally:
        main.close()


labkit.run(both_drivers({"opposite-order": opposite_order}))
