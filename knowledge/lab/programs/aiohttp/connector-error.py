"""aiohttp could not open the TCP connection: nothing listens there, or the name does not resolve."""
import asyncio

import labkit
from kits.redis_server import closed_port


def connection_refused(fix):
    import aiohttp

    port = closed_port(10 if fix is None else 11)

    async def main():
        async with aiohttp.ClientSession() as session:
            if fix is None:
                async with session.get(f"http://127.0.0.1:{port}/health") as resp:
                    await resp.text()
            elif fix == "retry-until-ready":
                # The service comes up 1 s later (a container still starting).
                async def late_server():
                    await asyncio.sleep(1.0)

                    async def handle(reader, writer):
                        await reader.readuntil(b"\r\n\r\n")
                        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                        await writer.drain()
                        writer.close()

                    return await asyncio.start_server(handle, "127.0.0.1", port)

                starting = asyncio.ensure_future(late_server())
                for attempt in range(10):
                    try:
                        async with session.get(f"http://127.0.0.1:{port}/health") as resp:
                            assert await resp.text() == "ok"
                        break
                    except aiohttp.ClientConnectorError:
                        if attempt == 9:
                            raise
                        await asyncio.sleep(0.5)
                (await starting).close()
            else:
                raise labkit.UnknownFix(fix)

    return main()


def dns_failure(fix):
    import aiohttp

    async def main():
        async with aiohttp.ClientSession() as session:
            if fix is None:
                async with session.get("http://payments.invalid:8080/charge") as resp:
                    await resp.text()
            else:
                raise labkit.UnknownFix(fix)

    return main()


labkit.run({"connection-refused": connection_refused, "dns-failure": dns_failure})
