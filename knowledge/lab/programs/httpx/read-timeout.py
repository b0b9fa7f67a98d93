"""httpx connected and sent the request, but the server did not answer within the read timeout."""
import socket
import threading
import time

import labkit


def slow_server(delay):
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)

    def serve():
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            def answer(conn=conn):
                try:
                    conn.recv(65536)
                    time.sleep(delay)
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                except OSError:
                    pass
                conn.close()
            threading.Thread(target=answer, daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return srv.getsockname()[1]


def slow_response(fix):
    import httpx

    port = slow_server(delay=1.5)  # a report that takes 1.5 s to render
    url = f"http://127.0.0.1:{port}/reports/monthly"
    if fix is None:
        httpx.get(url, timeout=httpx.Timeout(1.0))  # 1 s for everything
    elif fix == "raise-read-timeout":
        response = httpx.get(url, timeout=httpx.Timeout(5.0, read=30.0))
        assert response.text == "ok"
    else:
        raise labkit.UnknownFix(fix)


def async_slow_response(fix):
    import httpx

    port = slow_server(delay=1.5)
    url = f"http://127.0.0.1:{port}/reports/monthly"

    async def main():
        timeout = httpx.Timeout(1.0) if fix is None else httpx.Timeout(5.0, read=30.0)
        async with httpx.AsyncClient(timeout=timeout) as client:
            response = await client.get(url)
            assert response.text == "ok"

    if fix not in (None, "raise-read-timeout"):
        raise labkit.UnknownFix(fix)
    return main()


labkit.run({"slow-response": slow_response, "async-slow-response": async_slow_response})
