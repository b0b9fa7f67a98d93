"""httpx cannot open a TCP connection in time: the server's accept queue is full, SYNs are dropped."""
import socket
import threading
import time

import labkit


def backlogged_server():
    # listen(0) and never accept: once the queue holds a connection, the kernel drops new SYNs,
    # which is what a client sees from a firewalled port or an overloaded/unreachable host.
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(0)
    port = srv.getsockname()[1]
    fillers = []
    for _ in range(3):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        fillers.append(s)
    time.sleep(0.2)
    return srv, port, fillers


def drain_later(srv, delay):
    # The server comes back: it starts accepting (and answering) after `delay` seconds.
    def run():
        time.sleep(delay)
        srv.settimeout(5)
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            try:
                conn.settimeout(2)
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            except OSError:
                pass
            conn.close()

    threading.Thread(target=run, daemon=True).start()


def unreachable(fix):
    import httpx

    srv, port, _fillers = backlogged_server()
    url = f"http://127.0.0.1:{port}/health"
    if fix is None:
        httpx.get(url, timeout=httpx.Timeout(5.0, connect=0.5))
    elif fix == "longer-connect-timeout-and-retries":
        drain_later(srv, 0.3)
        transport = httpx.HTTPTransport(retries=3)
        with httpx.Client(transport=transport, timeout=httpx.Timeout(10.0, connect=5.0)) as client:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
    else:
        raise labkit.UnknownFix(fix)


labkit.run({"unreachable": unreachable})
