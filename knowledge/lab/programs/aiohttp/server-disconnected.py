"""The server closed the connection without sending a response (aiohttp ServerDisconnectedError)."""
import asyncio

import labkit


async def start_server(answer_first_request_only):
    """answer_first_request_only=False: every connection is closed as soon as a request arrives.
    True: each connection answers one request (keep-alive, no "Connection: close") and then closes
    when the next request arrives on it, like a server whose keep-alive timeout just expired."""

    async def handle(reader, writer):
        answered = 0
        while True:
            head = await reader.readuntil(b"\r\n\r\n") if not reader.at_eof() else b""
            if not head:
                break
            if answered >= (1 if answer_first_request_only else 0):
                break
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok")
            await writer.drain()
            answered += 1
        writer.close()

    async def guarded(reader, writer):
        try:
            await handle(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    server = await asyncio.start_server(guarded, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


def closed_without_response(fix):
    import aiohttp

    async def main():
        server, port = await start_server(answer_first_request_only=False)
        async with server:
            async with aiohttp.ClientSession() as session:
                if fix is None:
                    async with session.get(f"http://127.0.0.1:{port}/api/items") as resp:
                        await resp.text()
                else:
                    raise labkit.UnknownFix(fix)

    return main()


def stale_keepalive(fix):
    import aiohttp

    async def main():
        server, port = await start_server(answer_first_request_only=True)
        async with server:
            if fix is None:
                connector = aiohttp.TCPConnector()
            elif fix == "force-close":
                connector = aiohttp.TCPConnector(force_close=True)
            elif fix == "retry-idempotent":
                connector = aiohttp.TCPConnector()
            else:
                raise labkit.UnknownFix(fix)
            async with aiohttp.ClientSession(connector=connector) as session:
                for n in range(3):
                    url = f"http://127.0.0.1:{port}/api/items/{n}"
                    if fix == "retry-idempotent":
                        for attempt in range(3):
                            try:
                                async with session.get(url) as resp:
                                    assert await resp.text() == "ok"
                                break
                            except aiohttp.ServerDisconnectedError:
                                if attempt == 2:
                                    raise
                    else:
                        async with session.get(url) as resp:
                            assert await resp.text() == "ok"

    return main()


labkit.run({"closed-without-response": closed_without_response, "stale-keepalive": stale_keepalive})
