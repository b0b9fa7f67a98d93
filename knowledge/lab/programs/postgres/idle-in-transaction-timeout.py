"""terminating connection due to idle-in-transaction timeout (25P03), psycopg2 and asyncpg.

slow-work-in-transaction: the request opens a transaction, then calls a slow service (1 s) before
its next statement; idle_in_transaction_session_timeout (300ms here) ends the session.

Run through psycopg 3 only: psycopg2 and asyncpg report just the closed connection ("server closed
the connection unexpectedly", ConnectionDoesNotExistError), not the server's reason (the lab saw
that on both worlds); psycopg reports the FATAL itself from 3.2.4 (psycopg/psycopg#988).
"""
import time

from kits.pg_errors import Session, admin, expect_fix

import labkit


def begin(session):
    if session.driver == "asyncpg":
        session.execute("BEGIN")


def slow_work_in_transaction(driver, fix):
    expect_fix(fix, ["commit-before-slow-work", "raise-idle-timeout"])
    admin("CREATE TABLE orders (id serial PRIMARY KEY, state text NOT NULL)")
    main = Session(driver)
    try:
        timeout = "10s" if fix == "raise-idle-timeout" else "300ms"
        main.execute(f"SET idle_in_transaction_session_timeout = '{timeout}'")  # usually set on the role or server
        if driver != "asyncpg":
            main.commit()
        begin(main)
        order_id = main.execute("INSERT INTO orders (state) VALUES ('new') RETURNING id")[0][0]
        if fix == "commit-before-slow-work":
            main.commit()
        time.sleep(1.0)  # call the payment service while the transaction sits open
        if fix == "commit-before-slow-work":
            begin(main)
        main.execute(f"UPDATE orders SET state = 'paid' WHERE id = {order_id}")
        main.commit()
    finally:
        try:
            main.close()
        except Exception:  # noqa: BLE001 - the server already closed it
            pass


labkit.run({"slow-work-in-transaction": lambda fix: slow_work_in_transaction("psycopg", fix)})
