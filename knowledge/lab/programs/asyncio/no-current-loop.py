"""No event loop where the code expected one: get_event_loop() in a thread or after asyncio.run(), create_task() outside a loop."""
import asyncio
import sys
import threading
import warnings

import labkit
from kits import app_stack as kit


async def fetch_rates():
    await asyncio.sleep(0)
    return {"EUR": 1.08}


def in_thread(target, *args):
    """Runs target in a worker thread and re-raises what it raised (as the worker would have logged it)."""
    outcome = {}

    def run():
        try:
            outcome["value"] = target(*args)
        except BaseException as exc:  # noqa: BLE001 - handed back to the main thread unchanged
            outcome["error"] = exc

    worker = threading.Thread(target=run, name="rates-worker")
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def get_event_loop_in_thread(fix):
    """A worker thread calls asyncio.get_event_loop().run_until_complete()."""
    kit.expect_fix(fix, "loop-per-thread-or-submit", "asyncio-run-entry-point")

    def worker():
        if fix in ("loop-per-thread-or-submit", "asyncio-run-entry-point"):
            return asyncio.run(fetch_rates())
        loop = asyncio.get_event_loop()
        return loop.run_until_complete(fetch_rates())

    assert in_thread(worker) == {"EUR": 1.08}


def submit_from_thread(fix):
    """The same worker, when the rates client belongs to the main loop: submit to that loop."""
    kit.expect_fix(fix, "loop-per-thread-or-submit")

    def worker_shared(main_loop):
        if fix == "loop-per-thread-or-submit":
            return asyncio.run_coroutine_threadsafe(fetch_rates(), main_loop).result(timeout=30)
        return asyncio.get_event_loop().run_until_complete(fetch_rates())

    async def main():
        main_loop = asyncio.get_running_loop()
        return await main_loop.run_in_executor(None, worker_shared, main_loop)

    assert asyncio.run(main()) == {"EUR": 1.08}


class Notifier:
    def __init__(self, start_now):
        self._task = None
        if start_now:
            self._task = asyncio.create_task(self._run())   # no loop is running yet

    async def start(self):
        loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._run())

    async def _run(self):
        await asyncio.sleep(0)


def no_running_loop(fix):
    """A class creates its background task in __init__, at import time, before any loop runs."""
    kit.expect_fix(fix, "get-running-loop-inside-coroutine")
    notifier = Notifier(start_now=fix is None)

    async def lifespan():
        await notifier.start()
        await notifier._task

    asyncio.run(lifespan())


def main_thread_after_run(fix):
    """A script ran asyncio.run(setup()), then get_event_loop().run_until_complete(main())."""
    kit.expect_fix(fix, "asyncio-run-entry-point")
    asyncio.run(fetch_rates())
    if fix == "asyncio-run-entry-point":
        result = asyncio.run(fetch_rates())
    else:
        loop = asyncio.get_event_loop()
        result = loop.run_until_complete(fetch_rates())
    assert result == {"EUR": 1.08}


def implicit_loop(fix):
    """get_event_loop() in a fresh main thread: Python 3.12+ warns (run with -W error::DeprecationWarning)."""
    kit.expect_fix(fix, "asyncio-run-entry-point")
    if sys.version_info < (3, 12):
        raise labkit.NotApplicable(f"Python {sys.version.split()[0]} creates the loop without a DeprecationWarning (3.12+ warns)")
    warnings.filterwarnings("error", category=DeprecationWarning)
    if fix == "asyncio-run-entry-point":
        result = asyncio.run(fetch_rates())
    else:
        loop = asyncio.get_event_loop()
        result = loop.run_until_complete(fetch_rates())
    assert result == {"EUR": 1.08}


# one line below, so a traceback's source line never shows scenario names
SCENARIOS = {
    "get-event-loop-in-thread": get_event_loop_in_thread,
    "submit-from-thread": submit_from_thread,
    "no-running-loop": no_running_loop,
    "main-thread-after-run-or-314": main_thread_after_run,
    "deprecation-implicit-loop": implicit_loop,
}

labkit.run(SCENARIOS)
