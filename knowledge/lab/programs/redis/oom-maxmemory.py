"""Writes refused once used memory passes `maxmemory` under the noeviction policy."""
import labkit
from kits.redis_server import RedisServer


def noeviction_full(fix):
    import redis

    if fix is None:
        policy = "noeviction"
    elif fix == "eviction-policy":
        policy = "allkeys-lru"
    elif fix == "ttl-on-cache-keys":
        policy = "volatile-lru"
    else:
        raise labkit.UnknownFix(fix)
    with RedisServer("--maxmemory", "2mb", "--maxmemory-policy", policy) as server:
        r = redis.Redis(port=server.port)
        value = "x" * 10000
        for n in range(2000):  # ~20 MB of cache entries into a 2 MB instance
            if fix == "ttl-on-cache-keys":
                r.set(f"cache:page:{n}", value, ex=3600)
            else:
                r.set(f"cache:page:{n}", value)
        assert r.dbsize() < 2000


def kombu_publish_full(fix):
    """A Celery-style producer publishing through kombu into a full Redis broker."""
    import redis
    from kombu import Connection

    if fix is None:
        limit = "2mb"
    elif fix == "more-memory":
        limit = "64mb"
    else:
        raise labkit.UnknownFix(fix)
    with RedisServer("--maxmemory", limit, "--maxmemory-policy", "noeviction") as server:
        r = redis.Redis(port=server.port)
        value = "x" * 10000
        for n in range(150):  # ~1.5 MB of other data already in the instance
            r.set(f"result:{n}", value)
        with Connection(f"redis://127.0.0.1:{server.port}/0") as conn:
            queue = conn.SimpleQueue("telemetry")
            for n in range(100):  # ~1 MB of task messages
                queue.put({"n": n, "payload": value})
            queue.close()


labkit.run({"noeviction-full": noeviction_full, "kombu-publish-full": kombu_publish_full})
