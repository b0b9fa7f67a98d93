"""canceling statement due to statement timeout / user request (57014), psycopg2 and asyncpg.

statement-timeout: a report query runs longer than the role's statement_timeout (300ms here).
user-cancel: a watchdog (a client-side timeout, an admin's pg_cancel_backend) cancels the query
from another connection after 300 ms.
"""
import threading

from kits.pg_errors import Session, admin, both_drivers, expect_fix

import labkit


def begin(session):
    if session.driver == "asyncpg":
        session.execute("BEGIN")


def statement_timeout(driver, fix):
    expect_fix(fix, ["timeout-for-this-query"])
    main = Session(driver)
    try:
        main.execute("SET statement_timeout = '300ms'")  # what ALTER ROLE ... SET statement_timeout gives every session
        begin(main)
        if fix == "timeout-for-this-query":
            main.execute("SET LOCAL statement_timeout = '5s'")  # this report only, until the transaction ends
        main.execute("SELECT pg_sleep(0.8)")  # the slow report
        main.commit()
    finally:
        main.close()


def user_cancel(driver, fix):
    expect_fix(fix, ["longer-client-timeout"])
    main = Session(driver)
    pid = main.execute("SELECT pg_backend_pid()")[0][0]
    budget = 5.0 if fix == "longer-client-timeout" else 0.3

    def watchdog():  # cancels the query like a client timeout or pg_cancel_backend would
        admin(f"SELECT pg_sleep({budget}), pg_cancel_backend({pid})")

    threading.Thread(target=watchdog, daemon=True).start()
    try:
        main.execute("SELECT pg_sleep(0.8)")
    finally:
        main.close()


labkit.run(both_drivers({"statement-timeout": statement_timeout, "user-cancel": user_cancel}))
