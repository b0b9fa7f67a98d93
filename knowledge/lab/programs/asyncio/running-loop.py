"""Starting an event loop from inside one that is already running."""
import asyncio
from concurrent.futures import ThreadPoolExecutor

import labkit
from kits import app_stack as kit


async def fetch_report():
    await asyncio.sleep(0)
    return {"orders": 3}


def run_blocking(coro):
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def sync_wrapper(fix):
    """An async handler calls a sync helper that wraps asyncio.run()."""
    kit.expect_fix(fix, "await-instead", "run-in-worker-thread", "single-entry-point")

    def get_report_sync():
        if fix == "run-in-worker-thread":
            return run_blocking(fetch_report())
        return asyncio.run(fetch_report())

    async def handle_request():
        if fix in ("await-instead", "single-entry-point"):
            return await fetch_report()
        return get_report_sync()

    async def main():
        assert (await handle_request()) == {"orders": 3}

    asyncio.run(main())


def nested_run_until_complete(fix):
    """A coroutine running on the loop calls loop.run_until_complete() on that same loop."""
    kit.expect_fix(fix, "await-instead", "run-in-worker-thread", "single-entry-point")
    loop = asyncio.new_event_loop()

    async def handle_request():
        if fix in ("await-instead", "single-entry-point"):
            return await fetch_report()
        if fix == "run-in-worker-thread":
            return run_blocking(fetch_report())
        return loop.run_until_complete(fetch_report())

    try:
        if fix == "single-entry-point":
            assert asyncio.run(handle_request()) == {"orders": 3}
        else:
            assert loop.run_until_complete(handle_request()) == {"orders": 3}
    finally:
        loop.close()


# one line below, so a traceback's source line never shows scenario names
SCENARIOS = {
    "sync-wrapper-in-async-code": sync_wrapper,
    "nested-run-until-complete": nested_run_until_complete,
}

labkit.run(SCENARIOS)
