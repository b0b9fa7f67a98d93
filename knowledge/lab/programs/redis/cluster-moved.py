"""A plain (non-cluster) client talks to one node of a Redis Cluster: the node answers MOVED."""
import time

import labkit
from kits.redis_server import RedisServer, stable_port


def two_node_cluster(slot):
    import redis

    a = RedisServer("--cluster-enabled", "yes", "--cluster-config-file", "nodes-a.conf", port=stable_port(slot)).start()
    b = RedisServer("--cluster-enabled", "yes", "--cluster-config-file", "nodes-b.conf", port=stable_port(slot + 1)).start()
    ra, rb = redis.Redis(port=a.port), redis.Redis(port=b.port)
    ra.execute_command("CLUSTER", "ADDSLOTS", *range(0, 8192))
    rb.execute_command("CLUSTER", "ADDSLOTS", *range(8192, 16384))
    ra.execute_command("CLUSTER", "MEET", "127.0.0.1", b.port)
    deadline = time.time() + 20
    while time.time() < deadline:
        info = ra.execute_command("CLUSTER", "INFO")
        info = info.decode() if isinstance(info, bytes) else info
        if "cluster_state:ok" in info and "cluster_known_nodes:2" in info:
            infob = rb.execute_command("CLUSTER", "INFO")
            infob = infob.decode() if isinstance(infob, bytes) else infob
            if "cluster_state:ok" in infob:
                return a, b
        time.sleep(0.2)
    raise RuntimeError("the two-node cluster did not converge")


def plain_client(fix):
    import redis

    a, _b = two_node_cluster(0 if fix is None else 2)
    key = "cart:42"  # hash slot 15749, served by the second node
    if fix is None:
        redis.Redis(host="127.0.0.1", port=a.port).set(key, "3 items")
    elif fix == "cluster-client":
        from redis.cluster import RedisCluster

        rc = RedisCluster(host="127.0.0.1", port=a.port)
        rc.set(key, "3 items")
        assert rc.get(key) == b"3 items"
        rc.close()
    else:
        raise labkit.UnknownFix(fix)


labkit.run({"plain-client": plain_client})
