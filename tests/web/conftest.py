"""The web view in-process: the aiohttp application on the test database (read-only engine),
a fake clock, and charts drawn inline (the chart processes are tested on their own)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any, ParamSpec

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import FakeClock
from bot.rendering.chart_pool import ChartPool
from bot.services.core.context import ServiceContext
from bot.services.public.reader import PublicReader
from cogs.web.app import build_app
from db.engine import create_session_factory
from db.read_only import create_read_only_engine

P = ParamSpec("P")
PUBLIC_URL = "https://augury.example.org"


class InlineCharts(ChartPool):
    """Draws in the test's own process: same functions, no worker to spawn."""

    async def render(self, function: Callable[P, bytes], *args: P.args, **_: P.kwargs) -> bytes:
        return function(*args)


@pytest.fixture
async def read_only_engine(engine: AsyncEngine) -> AsyncIterator[AsyncEngine]:
    ro = create_read_only_engine(engine.url.render_as_string(hide_password=False))
    yield ro
    await ro.dispose()


def make_client_factory(read_only_engine: AsyncEngine, clock: FakeClock) -> Callable[..., Any]:
    async def make(rate_per_minute: int = 0, trusted_proxies: str = "") -> TestClient[Any, Any]:
        ctx = ServiceContext(sessions=create_session_factory(read_only_engine), clock=clock)
        app = build_app(
            PublicReader(ctx),
            clock,
            InlineCharts(),
            public_url=PUBLIC_URL,
            rate_per_minute=rate_per_minute,
            trusted_proxies=trusted_proxies,
        )
        client: TestClient[Any, Any] = TestClient(TestServer(app))
        await client.start_server()
        return client

    return make


@pytest.fixture
async def web_client(
    read_only_engine: AsyncEngine, clock: FakeClock
) -> AsyncIterator[TestClient[Any, Any]]:
    client = await make_client_factory(read_only_engine, clock)()
    yield client
    await client.close()
