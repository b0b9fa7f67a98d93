"""Asking a task for its state or result when the Celery app has no result backend."""
import labkit


def make_app(fix, server=None):
    from celery import Celery

    if fix is None:
        return Celery("proj", broker="memory://")  # no backend=...: results go nowhere
    if fix == "configure-backend":
        return Celery("proj", broker="memory://", backend=f"redis://127.0.0.1:{server.port}/1")
    raise labkit.UnknownFix(fix)


def with_backend(fix, body):
    if fix is None:
        return body(make_app(fix))
    from kits.redis_server import RedisServer

    with RedisServer() as server:
        return body(make_app(fix, server))


def get_result(fix):
    def body(app):
        task_id = "b7f1c1a2-5a4e-4c61-9d5e-3f9a0c1e2d34"
        if fix is not None:
            app.backend.store_result(task_id, 42, "SUCCESS")  # what the worker does when done
        result = app.AsyncResult(task_id)
        assert result.get(timeout=5) == 42

    return with_backend(fix, body)


def check_state(fix):
    def body(app):
        result = app.AsyncResult("b7f1c1a2-5a4e-4c61-9d5e-3f9a0c1e2d34")
        assert result.state == "PENDING", result.state

    return with_backend(fix, body)


labkit.run({"get-result": get_result, "check-state": check_state})
