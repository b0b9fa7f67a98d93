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


def password_to_passwordless_server(fix):
    # The reverse: a Compose or local Redis without requirepass, and a URL that still carries one.
    import redis

    with RedisServer() as server:
        if fix is None:
            r = redis.Redis.from_url(f"redis://:{PASSWORD}@127.0.0.1:{server.port}/0")
        elif fix == "password-in-url":
            r = redis.Redis.from_url(f"redis://127.0.0.1:{server.port}/0")  # the server's own (no) credentials
        else:
            raise labkit.UnknownFix(fix)
        r.set("greeting", "hi")


labkit.run({"no-password": no_password, "wrong-password": wrong_password, "password-to-passwordless-server": password_to_passwordless_server})
