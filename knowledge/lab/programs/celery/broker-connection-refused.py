"""Nothing listens at the broker URL: sending a task (or starting a worker) is refused."""
import labkit
from kits.redis_server import RedisServer, closed_port


def send_task(fix):
    from celery import Celery

    if fix is None:
        port = closed_port(30)  # the broker is down, not started yet, or at another address
        app = Celery("proj", broker=f"redis://127.0.0.1:{port}/0")
        app.conf.broker_connection_timeout = 1
        app.conf.broker_transport_options = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}

        @app.task(name="proj.tasks.send_invoice")
        def send_invoice(order_id):
            return order_id

        send_invoice.delay(17)
    elif fix == "start-broker-and-point-at-it":
        with RedisServer() as server:
            app = Celery("proj", broker=f"redis://127.0.0.1:{server.port}/0")

            @app.task(name="proj.tasks.send_invoice")
            def send_invoice(order_id):
                return order_id

            result = send_invoice.delay(17)
            assert result.id
    else:
        raise labkit.UnknownFix(fix)


labkit.run({"send-task": send_task})
