"""``METRICS_PORT``: ``/healthz`` for orchestrators and ``/metrics`` for Prometheus.

Served by aiohttp (already a discord.py dependency) on the bot's own event loop, so the health
answer reads the live client: ready, every shard of this process connected, the database
answering. Counters live in :mod:`bot.metrics`; what is read rather than counted (renders
pending, gateway latency per shard, shards connected) is collected from the bot per scrape.
The loop-lag probe runs only while the server does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.metrics import EVENT_LOOP_LAG

if TYPE_CHECKING:
    from bot.runtime.client import AuguryBot

log = logging.getLogger(__name__)

LAG_PROBE_SECONDS = 1.0


class BotCollector(Collector):
    """Gauges read from the running bot at scrape time."""

    def __init__(self, bot: AuguryBot) -> None:
        self._bot = bot

    def collect(self) -> Iterator[Metric]:
        pending = GaugeMetricFamily(
            "augury_renders_pending", "Prediction messages waiting for a redraw"
        )
        pending.add_metric([], self._bot.public_messages.waiting)
        yield pending
        latency = GaugeMetricFamily(
            "augury_gateway_latency_seconds", "Heartbeat latency per shard", labels=["shard"]
        )
        for shard, seconds in self._bot.gateway_latencies():
            if math.isfinite(seconds):
                latency.add_metric([str(shard)], seconds)
        yield latency
        connected = GaugeMetricFamily(
            "augury_shard_connected",
            "1 while the shard's gateway connection is up",
            labels=["shard"],
        )
        for shard, up in self._bot.shards_connected().items():
            connected.add_metric([str(shard)], 1.0 if up else 0.0)
        yield connected
        ready = GaugeMetricFamily("augury_ready", "1 once the bot is ready")
        ready.add_metric([], 1.0 if self._bot.ready_event.is_set() else 0.0)
        yield ready


class OperationsServer:
    def __init__(self, bot: AuguryBot, host: str, port: int) -> None:
        self.bot = bot
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None
        self._collector = BotCollector(bot)
        self._lag_task: asyncio.Task[None] | None = None

    async def health(self) -> tuple[bool, dict[str, object]]:
        bot = self.bot
        shards = bot.shards_connected()
        ready = bot.ready_event.is_set() and not bot.is_closed()
        database = await bot.services.health.database_reachable()
        healthy = ready and bool(shards) and all(shards.values()) and database
        report: dict[str, object] = {
            "ready": ready,
            "shards": {str(shard): up for shard, up in shards.items()},
            "database": database,
        }
        return healthy, report

    async def _healthz(self, _request: web.Request) -> web.Response:
        healthy, report = await self.health()
        return web.json_response(report, status=200 if healthy else 503, dumps=json.dumps)

    async def _metrics(self, _request: web.Request) -> web.Response:
        body = generate_latest(REGISTRY)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        REGISTRY.register(self._collector)
        self._lag_task = asyncio.create_task(_probe_loop_lag(), name="augury-loop-lag")
        log.info("Serving /healthz and /metrics on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        if self._lag_task is not None:
            self._lag_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._lag_task
        with contextlib.suppress(KeyError):
            REGISTRY.unregister(self._collector)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


async def _probe_loop_lag() -> None:
    """How late a timer fires: the event loop's responsiveness (wall clock, not the bot's)."""
    loop = asyncio.get_running_loop()
    while True:
        started = loop.time()
        await asyncio.sleep(LAG_PROBE_SECONDS)
        EVENT_LOOP_LAG.observe(max(0.0, loop.time() - started - LAG_PROBE_SECONDS))
