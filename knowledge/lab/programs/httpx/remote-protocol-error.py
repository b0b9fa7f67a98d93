"""The server (or a proxy) closed the connection without answering: httpx RemoteProtocolError."""
import asyncio

import labkit


async def start_server(answer_first_request_only):
    """False: every connection is closed as soon as a request arrives (a crashing upstream, a
    proxy cutting it). True: each connection answers one request with keep-alive and closes
    when the next request arrives on it (the server's keep-alive timeout expired just then)."""

    async def handle(reader, writer):
        answered = 0
        try:
            while True:
                await reader.readuntil(b"\r\n\r\n")
                if answered >= (1 if answer_first_request_only else 0):
                    break
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok")
                await writer.drain()
                answered += 1
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


def closed_without_response(fix):
    import httpx

    if fix is not None:
        raise labkit.UnknownFix(fix)

    async def main():
        server, port = await start_server(answer_first_request_only=False)
        async with server:
            async with httpx.AsyncClient() as client:
                await client.get(f"http://127.0.0.1:{port}/v1/embeddings")

    return main()


def stale_keepalive(fix):
    import httpx

    async def main():
        server, port = await start_server(answer_first_request_only=True)
        async with server:
            if fix is None or fix == "retry-idempotent":
                limits = httpx.Limits()
            elif fix == "no-keepalive-reuse":
                limits = httpx.Limits(max_keepalive_connections=0)
            else:
                raise labkit.UnknownFix(fix)
            async with httpx.AsyncClient(limits=limits) as client:
                for n in range(3):
                    url = f"http://127.0.0.1:{port}/v1/items/{n}"
                    if fix == "retry-idempotent":
                        for attempt in range(3):
                            try:
                                response = await client.get(url)
                                break
                            except httpx.RemoteProtocolError:
                                if attempt == 2:
                                    raise
                    else:
                        response = await client.get(url)
                    assert response.text == "ok"

    return main()


labkit.run({"closed-without-response": closed_without_response, "stale-keepalive": stale_keepalive})
