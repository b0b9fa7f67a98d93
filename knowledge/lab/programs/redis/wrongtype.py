"""A command for one Redis type on a key that holds another (WRONGTYPE)."""
import labkit
from kits.redis_server import RedisServer


def list_on_string(fix):
    import redis

    with RedisServer() as server:
        r = redis.Redis(port=server.port)
        r.set("jobs", "3")  # an older release kept a counter under this name
        if fix is None:
            r.lpush("jobs", "send-invoice")
        elif fix == "separate-key-names":
            r.lpush("jobs:queue", "send-invoice")  # one name per purpose and type
            assert r.llen("jobs:queue") == 1
        elif fix == "check-type-first":
            if r.type("jobs") != b"list":
                r.delete("jobs")  # stale value from the old layout
            r.lpush("jobs", "send-invoice")
            assert r.llen("jobs") == 1
        else:
            raise labkit.UnknownFix(fix)


def hash_scan(fix):
    import redis

    with RedisServer() as server:
        r = redis.Redis(port=server.port)
        r.hset("session:1", mapping={"user": "7"})
        r.set("session:count", 1)
        if fix is None:
            for key in r.scan_iter("session:*"):
                r.hgetall(key)
        elif fix == "check-type-first":
            for key in r.scan_iter("session:*", _type="hash"):
                r.hgetall(key)
        else:
            raise labkit.UnknownFix(fix)


labkit.run({"list-on-string": list_on_string, "hash-scan": hash_scan})
