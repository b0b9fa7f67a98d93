"""canceling statement due to lock timeout / could not obtain lock (55P03), psycopg2 and asyncpg.

lock-timeout: another transaction holds the row (an UPDATE not yet committed, 1.5 s); this
session has lock_timeout = 300ms and gives up.
nowait: a worker claims a job with SELECT ... FOR UPDATE NOWAIT while another worker holds it.
"""
import threading
import time

from kits.pg_errors import Session, admin, both_drivers, expect_fix

import labkit


def lock_error(driver):
    import asyncpg
    import psycopg2

    return psycopg2.errors.LockNotAvailable if driver == "psycopg2" else asyncpg.exceptions.LockNotAvailableError


def begin(session):
    if session.driver == "asyncpg":
        session.execute("BEGIN")


def hold_row(driver, sql, seconds, locked):
    other = Session(driver)
    try:
        begin(other)
        other.execute(sql)
        locked.set()
        time.sleep(seconds)
        other.commit()
    finally:
        other.close()


def lock_timeout(driver, fix):
    expect_fix(fix, ["retry-later", "short-transactions"])
    admin("CREATE TABLE accounts (id integer PRIMARY KEY, balance integer NOT NULL)", "INSERT INTO accounts VALUES (1, 100)")
    locked = threading.Event()
    hold = 0.1 if fix == "short-transactions" else 1.5  # the other request commits at once, or sits on the row
    thread = threading.Thread(target=hold_row, args=(driver, "UPDATE accounts SET balance = balance + 1 WHERE id = 1", hold, locked), daemon=True)
    thread.start()
    locked.wait(10)
    main = Session(driver)
    try:
        for attempt in range(5):
            try:
                begin(main)
                main.execute("SET LOCAL lock_timeout = '300ms'")
                main.execute("UPDATE accounts SET balance = balance - 10 WHERE id = 1")
                main.commit()
                break
            except lock_error(driver):
                main.rollback()
                if fix != "retry-later" or attempt == 4:
                    raise
                time.sleep(0.5)
        thread.join(10)
    finally:
        main.close()


def nowait(driver, fix):
    expect_fix(fix, ["skip-locked"])
    admin("CREATE TABLE jobs (id integer PRIMARY KEY, state text NOT NULL)", "INSERT INTO jobs VALUES (1, 'queued'), (2, 'queued')")
    locked = threading.Event()
    claim = "SELECT id FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 1 FOR UPDATE"
    thread = threading.Thread(target=hold_row, args=(driver, claim, 1.0, locked), daemon=True)
    thread.start()
    locked.wait(10)
    main = Session(driver)
    try:
        begin(main)
        rows = main.execute(claim + (" SKIP LOCKED" if fix == "skip-locked" else " NOWAIT"))
        main.execute(f"UPDATE jobs SET state = 'running' WHERE id = {rows[0][0]}")
        main.commit()
        thread.join(10)
    finally:
        main.close()


labkit.run(both_drivers({"lock-timeout": lock_timeout, "nowait": nowait}))
