"""The server requires a password: none was sent (NOAUTH) or it was wrong (WRONGPASS)."""
import labkit
from kits.redis_server import RedisServer

PASSWORD = "s3cret-lab-pass"


def no_password(fix):
    import redis

    with RedisServer("--requirepass", PASSWORD) as server:
        if fix is None:
            r = redis.Redis.from_url(f"redis://127.0.0.1:{server.port}/0")
        elif fix == "password-in-url":
            r = redis.Redis.from_url(f"redis://:{PASSWORD}@127.0.0.1:{server.port}/0")
        else:
            raise labkit.UnknownFix(fix)
        r.set("greeting", "hi")


def wrong_password(fix):
    import redis

    with RedisServer("--requirepass", PASSWORD) as server:
        if fix is None:
            r = redis.Redis(port=server.port, password=PASSWORD + "\n")  # a secret file's trailing newline
        elif fix == "password-in-url":
            r = redis.Redis.from_url(f"redis://:{PASSWORD}@127.0.0.1:{server.port}/0")
        else:
            raise labkit.UnknownFix(fix)
        r.set("greeting", "hi")


labkit.run({"no-password": no_password, "wrong-password": wrong_password})
