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


labkit.run({"noeviction-full": noeviction_full})
