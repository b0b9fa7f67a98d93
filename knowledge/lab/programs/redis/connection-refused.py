"""Nothing listens where the client connects: redis-py's connect is refused (Error 111)."""
import threading
import time

import labkit
from kits.redis_server import RedisServer, closed_port, port_is_free, stable_port

DEFAULT_PORT = 6379


def default_port_closed():
    """The URL most apps start with, redis://localhost:6379/0, on a host where no Redis runs."""
    if not port_is_free(DEFAULT_PORT):
        raise labkit.NotApplicable("something listens on 6379 on this host")
    return f"redis://localhost:{DEFAULT_PORT}/0"


def start_later(server, delay):
    """Starts `server` after `delay` seconds, as a Redis container does after the app's container."""
    def run():
        time.sleep(delay)
        server.start()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def sync_fix(fix, slot):
    import redis

    if fix == "start-redis-and-point-url":
        with RedisServer(port=stable_port(slot)) as server:
            r = redis.Redis.from_url(f"redis://127.0.0.1:{server.port}/0")
            r.set("session:42", "alice")
            assert r.get("session:42") == b"alice"
    elif fix == "retry-on-startup":
        from redis.backoff import ExponentialBackoff
        from redis.retry import Retry

        # The server comes up 0.5 s after the first command. redis-py retries a connect only for
        # the errors it is told: the refused socket is ConnectionRefusedError (an OSError), which
        # its default Retry does not include (the lab: no retry without it on 4.3 and 6.1).
        # First the same Retry without retry_on_error, against a closed port: the figure says how
        # many connects it made (1: no retry for a refusal).
        attempts = []
        connect = redis.connection.Connection._connect

        def counted(self):
            attempts.append(1)
            return connect(self)

        redis.connection.Connection._connect = counted
        try:
            redis.Redis.from_url(f"redis://127.0.0.1:{closed_port(slot + 2)}/0",
                                 retry=Retry(ExponentialBackoff(cap=2, base=0.1), 10)).ping()
        except redis.ConnectionError:
            labkit.measure(connects_default_retry=len(attempts))
        finally:
            redis.connection.Connection._connect = connect

        server = RedisServer(port=stable_port(slot + 1))
        thread = start_later(server, 0.5)
        try:
            r = redis.Redis.from_url(
                f"redis://127.0.0.1:{server.port}/0",
                retry=Retry(ExponentialBackoff(cap=2, base=0.1), 10),
                retry_on_error=[ConnectionRefusedError],
            )
            r.set("session:42", "alice")
            assert r.get("session:42") == b"alice"
        finally:
            thread.join()
            server.stop()
    else:
        raise labkit.UnknownFix(fix)


def server_down(fix):
    import redis

    if fix is None:
        r = redis.Redis.from_url(default_port_closed())
        r.set("session:42", "alice")
    else:
        sync_fix(fix, slot=50)


def server_down_asyncio(fix):
    import asyncio

    import redis.asyncio as aioredis

    async def main(url):
        r = aioredis.Redis.from_url(url)
        try:
            await r.set("session:42", "alice")
            assert await r.get("session:42") == b"alice"
        finally:
            await (getattr(r, "aclose", None) or r.close)()

    if fix is None:
        asyncio.run(main(default_port_closed()))
    elif fix == "start-redis-and-point-url":
        with RedisServer(port=stable_port(55)) as server:
            asyncio.run(main(f"redis://127.0.0.1:{server.port}/0"))
    else:
        raise labkit.UnknownFix(fix)


def wrong_port(fix):
    import redis

    # Redis runs, but on another port than the client's URL names (a Compose host port mapping
    # such as "6380:6379" used from inside the network, a second instance, a typo).
    with RedisServer(port=stable_port(60)) as server:
        if fix is None:
            port = closed_port(61)
        elif fix == "fix-port-or-bind":
            port = server.port
        else:
            raise labkit.UnknownFix(fix)
        r = redis.Redis.from_url(f"redis://127.0.0.1:{port}/0")
        r.set("session:42", "alice")
        assert r.get("session:42") == b"alice"


def host_dns(fix):
    import redis

    # A host name no resolver knows (.invalid is reserved for that): a Compose service name used
    # outside its network, or a typo.
    with RedisServer(port=stable_port(65)) as server:
        if fix is None:
            url = "redis://redis.invalid:6379/0"
        elif fix == "fix-host-name":
            url = f"redis://127.0.0.1:{server.port}/0"
        else:
            raise labkit.UnknownFix(fix)
        r = redis.Redis.from_url(url)
        r.set("session:42", "alice")
        assert r.get("session:42") == b"alice"


labkit.run({"server-down": server_down, "server-down-asyncio": server_down_asyncio,
            "wrong-port": wrong_port, "host-dns": host_dns})
