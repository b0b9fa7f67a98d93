"""A ClientSession (and its connector) was never closed: aiohttp logs "Unclosed client session".

The run fails the way a leak check does (pytest's unraisable-exception plugin, `-W error` in CI):
after the event loop ends, any "Unclosed" record logged by asyncio makes the program exit 1.
"""
import asyncio
import gc
import logging
import sys

import labkit


class LeakCheck(logging.Handler):
    def __init__(self):
        super().__init__()
        self.leaks = 0

    def emit(self, record):
        if "Unclosed" in record.getMessage():
            self.leaks += 1


def server():
    async def handle(reader, writer):
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        await writer.drain()
        writer.close()

    return asyncio.start_server(handle, "127.0.0.1", 0)


def session_not_closed(fix):
    import aiohttp

    logging.basicConfig(level=logging.ERROR, format="%(message)s")
    check = LeakCheck()
    logging.getLogger("asyncio").addHandler(check)

    class WeatherClient:
        def __init__(self):
            self.session = aiohttp.ClientSession()

        async def close(self):
            await self.session.close()

    async def main():
        srv = await server()
        port = srv.sockets[0].getsockname()[1]
        async with srv:
            if fix is None:
                client = WeatherClient()
                async with client.session.get(f"http://127.0.0.1:{port}/") as resp:
                    await resp.text()
            elif fix == "async-with-session":
                async with aiohttp.ClientSession() as session:
                    async with session.get(f"http://127.0.0.1:{port}/") as resp:
                        await resp.text()
            elif fix == "close-in-shutdown":
                client = WeatherClient()
                try:
                    async with client.session.get(f"http://127.0.0.1:{port}/") as resp:
                        await resp.text()
                finally:
                    await client.close()
            else:
                raise labkit.UnknownFix(fix)

    asyncio.run(main())
    gc.collect()
    if check.leaks:
        sys.exit(1)


labkit.run({"session-not-closed": session_not_closed})
