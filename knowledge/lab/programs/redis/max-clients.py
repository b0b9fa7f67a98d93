"""The server refuses a new connection: it already has `maxclients` clients."""
import labkit
from kits.redis_server import RedisServer


def client_per_call(fix):
    import redis

    # maxclients 3 stands for a small managed plan (30 on a free tier) or 10000 reached by a leak.
    with RedisServer("--maxclients", "3", "--requirepass", "lab-pass") as server:
        if fix is None:
            clients = []
            for _ in range(5):  # a new Redis() (its own pool) per request, never closed
                r = redis.Redis(port=server.port, password="lab-pass")
                r.ping()
                clients.append(r)
        elif fix == "share-one-pool":
            pool = redis.ConnectionPool(port=server.port, password="lab-pass")
            for _ in range(5):
                redis.Redis(connection_pool=pool).ping()
            labkit.measure(connections=len(pool._available_connections) + len(pool._in_use_connections))
        elif fix == "blocking-pool-limit":
            pool = redis.BlockingConnectionPool(port=server.port, password="lab-pass", max_connections=2, timeout=5)
            r = redis.Redis(connection_pool=pool)
            for _ in range(5):
                r.ping()
        else:
            raise labkit.UnknownFix(fix)


labkit.run({"client-per-call": client_per_call})
