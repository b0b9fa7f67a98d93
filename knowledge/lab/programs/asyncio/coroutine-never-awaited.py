"""An async function called without await: the coroutine is created, never run, and the work silently skipped."""
import asyncio
import gc
import threading
import tracemalloc

import labkit
from kits import app_stack as kit

saved = []


async def save_order(order_id):
    await asyncio.sleep(0)
    saved.append(order_id)


def check_saved(order_id):
    gc.collect()   # the RuntimeWarning is printed when the forgotten coroutine is collected
    if order_id not in saved:
        raise AssertionError(f"order {order_id} was never saved")


def missing_await(fix):
    """save_order(42) inside async code, without await."""
    kit.expect_fix(fix, "await-the-call", "create-task-with-reference")
    background_tasks = set()

    async def checkout(order_id):
        if fix == "await-the-call":
            await save_order(order_id)
        elif fix == "create-task-with-reference":
            task = asyncio.create_task(save_order(order_id))
            background_tasks.add(task)
            task.add_done_callback(background_tasks.discard)
        else:
            save_order(order_id)
        await asyncio.sleep(0.01)

    asyncio.run(checkout(42))
    check_saved(42)


def called_from_thread(fix):
    """A worker thread calls save_order(42) like a plain function."""
    kit.expect_fix(fix, "submit-from-other-thread")
    tracemalloc.start(20)   # as with python -X tracemalloc=20: the warning says where the coroutine was created

    async def main():
        main_loop = asyncio.get_running_loop()

        def worker():
            if fix == "submit-from-other-thread":
                future = asyncio.run_coroutine_threadsafe(save_order(42), main_loop)
                future.result(timeout=30)
            else:
                save_order(42)

        thread = threading.Thread(target=worker)
        thread.start()
        while thread.is_alive():
            await asyncio.sleep(0.01)

    asyncio.run(main())
    check_saved(42)


# one line below, so a traceback's source line never shows scenario names
SCENARIOS = {
    "missing-await": missing_await,
    "called-from-thread": called_from_thread,
}

labkit.run(SCENARIOS)
