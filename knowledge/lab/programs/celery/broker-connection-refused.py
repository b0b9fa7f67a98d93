"""Nothing listens at the broker URL: sending a task (or starting a worker) is refused."""
import labkit
from kits.redis_server import RedisServer, closed_port


def delay_invoice(broker, **transport_options):
    """`send_invoice.delay(17)` to the broker at that URL, its connect retried once, for a second."""
    from celery import Celery

    app = Celery("proj", broker=broker)
    app.conf.broker_connection_timeout = 1
    app.conf.broker_transport_options = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, **transport_options}

    @app.task(name="proj.tasks.send_invoice")
    def task(order_id):
        return order_id

    return task.delay(17)


def send_task(fix):
    from celery import Celery

    if fix is None:
        delay_invoice(f"redis://127.0.0.1:{closed_port(30)}/0")  # the broker is down, not started yet, or elsewhere
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


def silent_port():
    """A loopback port whose accept queue is full: the kernel drops further SYNs, as a firewall or a
    security group without a rule for the broker port does, so a connect times out instead of
    being refused. Returns the sockets to keep open and the port."""
    import socket
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    held = [listener]
    for _ in range(3):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        held.append(s)
    time.sleep(0.2)
    return held, port


def send_task_timeout(fix):
    if fix is not None:
        return send_task(fix)
    held, port = silent_port()
    try:
        delay_invoice(f"redis://127.0.0.1:{port}/0", socket_connect_timeout=1)
    except TypeError as exc:
        if "disconnect()" in str(exc):
            raise labkit.NotApplicable(
                f"kombu {labkit.version('kombu')} with redis-py {labkit.version('redis')}: a connect timeout "
                f"ends in a TypeError in Connection.disconnect(), not the timeout message") from exc
        raise
    finally:
        for s in held:
            s.close()


def send_task_no_route(fix):
    if fix is not None:
        return send_task(fix)
    # A broker address this host has no route to: the kernel answers the connect at once with an
    # "unreachable" errno, as it does for a host behind a missing route or an ICMP-unreachable
    # firewall. A multicast address is one no Linux host routes TCP to (ENETUNREACH), with no packet
    # leaving the machine.
    delay_invoice("redis://224.0.0.1:6379/0")


labkit.run({"send-task": send_task, "send-task-timeout": send_task_timeout,
            "send-task-no-route": send_task_no_route})
