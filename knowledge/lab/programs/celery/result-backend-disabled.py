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


def restore_group(fix):
    # GroupResult.restore() reads the saved group through the backend: DisabledBackend has no
    # _restore_group, so the AttributeError names another attribute than _get_task_meta_for.
    def body(app):
        group_id = "0c6f6d2e-8e0b-4f55-9a55-6d1f0d6a2b11"
        if fix is not None:
            saved = app.GroupResult(group_id, [app.AsyncResult("b7f1c1a2-5a4e-4c61-9d5e-3f9a0c1e2d34")])
            saved.save()
        restored = app.GroupResult.restore(group_id)
        assert restored is not None and restored.id == group_id, restored

    return with_backend(fix, body)


labkit.run({"get-result": get_result, "check-state": check_state, "restore-group": restore_group})
