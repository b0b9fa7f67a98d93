"""Strict mode: an async generator fixture declared with @pytest.fixture reaches the test as the generator object itself."""
import labkit
from kits import app_stack as kit
from kits import web_stack

TEST = '''
import asyncio
import pytest
import pytest_asyncio


class Client:
    def __init__(self):
        self.host = "127.0.0.1"

    async def close(self):
        await asyncio.sleep(0)


%(decorator)s
async def client():
    client = Client()
    yield client
    await client.close()


@pytest.mark.asyncio
async def test_host(client):
    assert client.host == "127.0.0.1"
'''


def strict_mode_plain_fixture(fix):
    """asyncio_mode = strict, fixture decorated with @pytest.fixture."""
    kit.expect_fix(fix, "pytest-asyncio-fixture", "asyncio-mode-auto")
    ini = "[pytest]\nasyncio_mode = strict\n"
    decorator = "@pytest.fixture"
    if fix == "pytest-asyncio-fixture":
        decorator = "@pytest_asyncio.fixture"
    elif fix == "asyncio-mode-auto":
        ini = "[pytest]\nasyncio_mode = auto\n"
    proc = web_stack.pytest_session({"pytest.ini": ini, "test_client.py": TEST % {"decorator": decorator}})
    web_stack.fail_unless_clean(proc)


SCENARIOS = {
    "strict-mode-plain-fixture": strict_mode_plain_fixture,
}

labkit.run(SCENARIOS)
