"""could not serialize access (40001), through psycopg2 and asyncpg.

concurrent-update: a REPEATABLE READ transaction read a balance, another request updated and
committed the row, then the first one updates it too.
write-skew: two SERIALIZABLE transactions each check that another doctor is on call and take
themselves off; the second commit is refused (read/write dependencies among transactions).
"""
import time

from kits.pg_errors import Session, admin, both_drivers, expect_fix

import labkit


def serialization_error(driver):
    import asyncpg
    import psycopg2

    return psycopg2.errors.SerializationFailure if driver == "psycopg2" else asyncpg.exceptions.SerializationError


def begin(session, level):
    if session.driver == "asyncpg":
        session.execute(f"BEGIN ISOLATION LEVEL {level}")
    else:
        session.execute(f"SET TRANSACTION ISOLATION LEVEL {level}")


def retrying(driver, session, work, attempts=3):
    for attempt in range(attempts):
        try:
            return work()
        except serialization_error(driver):
            session.rollback()
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def concurrent_update(driver, fix):
    expect_fix(fix, ["retry-transaction", "atomic-update"])
    admin("CREATE TABLE accounts (id integer PRIMARY KEY, balance integer NOT NULL)", "INSERT INTO accounts VALUES (1, 100)")
    main, other = Session(driver), Session(driver)
    level = "READ COMMITTED" if fix == "atomic-update" else "REPEATABLE READ"
    first = [True]

    def withdraw():
        begin(main, level)
        balance = main.execute("SELECT balance FROM accounts WHERE id = 1")[0][0]
        if first[0]:  # meanwhile another request withdraws and commits
            first[0] = False
            begin(other, "READ COMMITTED")
            other.execute("UPDATE accounts SET balance = balance - 30 WHERE id = 1")
            other.commit()
        if fix == "atomic-update":  # the database does the arithmetic on the row as it is now
            main.execute("UPDATE accounts SET balance = balance - 10 WHERE id = 1 AND balance >= 10")
        else:
            main.execute(f"UPDATE accounts SET balance = {balance - 10} WHERE id = 1")
        main.commit()

    try:
        if fix == "retry-transaction":
            retrying(driver, main, withdraw)
        else:
            withdraw()
    finally:
        main.close()
        other.close()


def write_skew(driver, fix):
    expect_fix(fix, ["retry-transaction"])
    admin("CREATE TABLE doctors (name text PRIMARY KEY, on_call boolean NOT NULL)", "INSERT INTO doctors VALUES ('alice', true), ('bob', true)")
    alice, bob = Session(driver), Session(driver)
    first = [True]

    def go_off_call():
        begin(alice, "SERIALIZABLE")
        if alice.execute("SELECT count(*) FROM doctors WHERE on_call")[0][0] >= 2:
            alice.execute("UPDATE doctors SET on_call = false WHERE name = 'alice'")
        if first[0]:  # bob does the same check at the same time, and commits first
            first[0] = False
            begin(bob, "SERIALIZABLE")
            if bob.execute("SELECT count(*) FROM doctors WHERE on_call")[0][0] >= 2:
                bob.execute("UPDATE doctors SET on_call = false WHERE name = 'bob'")
            bob.commit()
        alice.commit()

    try:
        if fix == "retry-transaction":
            retrying(driver, alice, go_off_call)
        else:
            go_off_call()
    finally:
        alice.close()
        bob.close()


labkit.run(both_drivers({"concurrent-update": concurrent_update, "write-skew": write_skew}))
