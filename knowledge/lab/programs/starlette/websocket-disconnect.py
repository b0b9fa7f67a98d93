"""A WebSocket endpoint keeps receiving after the client went away: Starlette raises WebSocketDisconnect
(code 1000 normal close, 1001 going away, 1006 abnormal), served by the real uvicorn."""
import asyncio
import sys

import labkit
from kits import app_stack as kit
from kits import web_stack


def make_app(fix):
    from starlette.applications import Starlette
    from starlette.routing import WebSocketRoute
    from starlette.websockets import WebSocketDisconnect

    async def chat(websocket):
        await websocket.accept()
        if fix == "catch-disconnect":
            try:
                while True:
                    text = await websocket.receive_text()
                    await websocket.send_text(f"echo: {text}")
            except WebSocketDisconnect as exc:
                sys.stdout.write(f"client left with code {exc.code}\n")
        else:
            while True:
                text = await websocket.receive_text()
                await websocket.send_text(f"echo: {text}")

    return Starlette(routes=[WebSocketRoute("/ws", chat)])


def client_closes(fix):
    """The browser tab closes (the client sends a close frame, code 1000)."""
    kit.expect_fix(fix, "catch-disconnect")
    import websockets

    server = web_stack.uvicorn_in_thread(make_app(fix), log_level="warning", ws="websockets")
    with kit_logged_errors() as errors:   # after uvicorn configured its loggers
        with server as port:
            async def talk():
                async with websockets.connect(f"ws://127.0.0.1:{port}/ws") as ws:
                    await ws.send("hello")
                    assert await ws.recv() == "echo: hello"
                await asyncio.sleep(0.5)

            asyncio.run(talk())
    if errors:
        sys.exit(1)


class kit_logged_errors:
    """Collects the errors uvicorn logged (it logs the endpoint's exception and carries on)."""

    def __enter__(self):
        import logging

        self.records = []
        outer = self

        class Keep(logging.Handler):
            def emit(self, record):
                if record.levelno >= logging.ERROR:
                    outer.records.append(record)

        self.handler = Keep()
        logging.getLogger("uvicorn.error").addHandler(self.handler)
        return self.records

    def __exit__(self, *exc):
        import logging

        logging.getLogger("uvicorn.error").removeHandler(self.handler)


SCENARIOS = {
    "client-closes": client_closes,
}

labkit.run(SCENARIOS)
