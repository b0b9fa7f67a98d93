"""httpx cannot open the connection at all (ConnectError): a refused port, or a certificate it cannot verify."""
import asyncio
import http.server
import os
import socket
import ssl
import subprocess
import tempfile
import threading
import time

import labkit


def closed_port():
    # A port nothing listens on: bind, read the number, close. The kernel answers RST at once.
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(port=0, tls=None, delay=0.0):
    """An HTTP server on loopback (TLS when `tls` is an SSLContext), started after `delay` seconds."""
    if port == 0:
        port = closed_port()

    def run():
        time.sleep(delay)
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), Ok)
        if tls is not None:
            srv.socket = tls.wrap_socket(srv.socket, server_side=True)
        srv.serve_forever()

    threading.Thread(target=run, daemon=True).start()
    if delay == 0:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.02)
    return port


def self_signed():
    """A certificate for localhost made by openssl, as a server context and the CA file a client can trust."""
    folder = tempfile.mkdtemp()
    key, cert = os.path.join(folder, "key.pem"), os.path.join(folder, "cert.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost", "-keyout", key, "-out", cert],
        check=True, capture_output=True,
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert, key)
    return server, cert


def refused(fix):
    import httpx

    if fix is None:
        # The service listens elsewhere (another port, another host): the configured address is closed.
        serve()
        httpx.get(f"http://127.0.0.1:{closed_port()}/health", timeout=5)
    elif fix == "fix-the-address":
        os.environ["API_URL"] = f"http://127.0.0.1:{serve()}"
        with httpx.Client(base_url=os.environ["API_URL"], timeout=5) as client:
            assert client.get("/health").status_code == 200
    elif fix == "retry-connect":
        # The service is still starting: it listens 0.3 s after the first attempt.
        port = closed_port()
        serve(port, delay=0.3)
        transport = httpx.HTTPTransport(retries=5)
        with httpx.Client(transport=transport, timeout=5) as client:
            assert client.get(f"http://127.0.0.1:{port}/health").status_code == 200
    else:
        raise labkit.UnknownFix(fix)


def refused_async(fix):
    import httpx

    async def main():
        if fix is None:
            async with httpx.AsyncClient(timeout=5) as client:
                await client.get(f"http://localhost:{closed_port()}/v1/models")
        elif fix == "fix-the-address":
            os.environ["API_URL"] = f"http://127.0.0.1:{serve()}"
            async with httpx.AsyncClient(base_url=os.environ["API_URL"], timeout=5) as client:
                assert (await client.get("/v1/models")).status_code == 200
        elif fix == "retry-connect":
            port = closed_port()
            serve(port, delay=0.3)
            transport = httpx.AsyncHTTPTransport(retries=5)
            async with httpx.AsyncClient(transport=transport, timeout=5) as client:
                assert (await client.get(f"http://127.0.0.1:{port}/v1/models")).status_code == 200
        else:
            raise labkit.UnknownFix(fix)

    asyncio.run(main())


def untrusted_certificate(fix):
    import httpx

    server, ca_file = self_signed()
    port = serve(tls=server)
    url = f"https://localhost:{port}/health"
    if fix is None:
        httpx.get(url, timeout=5)
    elif fix == "trust-the-ca":
        context = ssl.create_default_context(cafile=ca_file)
        with httpx.Client(verify=context, timeout=5) as client:
            assert client.get(url).status_code == 200
    else:
        raise labkit.UnknownFix(fix)


labkit.run({"refused": refused, "refused-async": refused_async, "untrusted-certificate": untrusted_certificate})
