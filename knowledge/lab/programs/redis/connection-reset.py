"""A pooled connection was cut while idle (a proxy, NAT or load balancer idle timeout, a server
`timeout`); the next command on it fails with "Connection reset by peer" / "closed by server"."""
import socket
import struct
import threading
import time

import labkit
from kits.redis_server import RedisServer, stable_port


def idle_cutting_proxy(upstream_port, idle_seconds, reset, port):
    """Forwards to Redis; a client connection idle for `idle_seconds` is cut: with a TCP RST
    (reset=True, what cloud load balancers and NAT gateways send) or a plain close."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", port))
    listener.listen(16)

    def pipe(src, dst, state):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                state["last"] = time.time()
                dst.sendall(data)
        except OSError:
            pass

    def watchdog(client, upstream, state):
        while not state["closed"]:
            time.sleep(0.05)
            if time.time() - state["last"] > idle_seconds:
                if reset:
                    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                client.close()
                upstream.close()
                state["closed"] = True

    def accept_loop():
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", upstream_port))
            state = {"last": time.time(), "closed": False}
            threading.Thread(target=pipe, args=(client, upstream, state), daemon=True).start()
            threading.Thread(target=pipe, args=(upstream, client, state), daemon=True).start()
            threading.Thread(target=watchdog, args=(client, upstream, state), daemon=True).start()

    threading.Thread(target=accept_loop, daemon=True).start()
    return listener.getsockname()[1]


def make_client(port, fix):
    import redis

    if fix is None:
        # redis-py 6 retries a failed command 3 times by default; 4.x does not. Pin "no retries"
        # so both worlds show what an app without retries sees.
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        return redis.Redis(port=port, retry=Retry(NoBackoff(), 0))
    if fix == "health-check-interval":
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # PING before a command on a connection idle longer than the interval; a failed PING is
        # retried on a new connection only when the client has a retry (redis-py >= 4: Retry(..., 1)).
        return redis.Redis(port=port, health_check_interval=0.2, retry=Retry(NoBackoff(), 1))
    if fix == "retry-on-connection-error":
        from redis.backoff import ExponentialBackoff
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.retry import Retry

        return redis.Redis(port=port, retry=Retry(ExponentialBackoff(cap=1, base=0.05), 3),
                           retry_on_error=[RedisConnectionError])
    raise labkit.UnknownFix(fix)


FIXES = [None, "health-check-interval", "retry-on-connection-error"]


def scenario(reset):
    def run(fix):
        slot = 20 + (0 if reset else 5) + (FIXES.index(fix) if fix in FIXES else 4)
        with RedisServer() as server:
            port = idle_cutting_proxy(server.port, idle_seconds=0.5, reset=reset, port=stable_port(slot))
            r = make_client(port, fix)
            r.set("rate:user:7", 1)
            time.sleep(1.0)  # the worker idles longer than the proxy allows
            r.incr("rate:user:7")
            assert int(r.get("rate:user:7")) == 2
    return run


labkit.run({"idle-reset": scenario(reset=True), "idle-closed": scenario(reset=False)})
