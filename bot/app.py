"""Process wiring: database, migrations, services, Discord endpoints, the bot."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator

import discord
import yarl
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import Clock, SystemClock
from bot.runtime.client import AuguryBot, ShardedAuguryBot
from bot.runtime.operations import OperationsServer
from bot.services.context import ServiceContext
from bot.services.registry import Services
from bot.settings import Settings
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.query_metrics import time_queries
from db.single_process import SQLiteInUse, hold_sqlite_lock

log = logging.getLogger(__name__)


async def open_database(settings: Settings) -> AsyncEngine:
    """Create the SQLite folder if needed, connect, and bring the schema up to date."""
    path = settings.sqlite_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.database_url)
    await upgrade(engine)
    log.info("Database is at the latest migration")
    time_queries(engine)
    return engine


async def migrate_only(settings: Settings) -> None:
    engine = await open_database(settings)
    await engine.dispose()


def point_at_discord(settings: Settings) -> None:
    """REST and gateway endpoints: Discord itself, a proxy, or the fake in the e2e tests."""
    discord.http.Route.BASE = settings.discord_api_base_url.rstrip("/")
    if settings.discord_gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


def build_bot(settings: Settings, engine: AsyncEngine, clock: Clock | None = None) -> AuguryBot:
    clock = clock or SystemClock()
    ctx = ServiceContext(sessions=create_session_factory(engine), clock=clock)
    kind = ShardedAuguryBot if settings.is_sharded else AuguryBot
    return kind(settings=settings, services=Services.build(ctx), clock=clock)


@contextlib.asynccontextmanager
async def operations(settings: Settings, bot: AuguryBot) -> AsyncIterator[None]:
    """``/healthz`` and ``/metrics`` while the bot runs, when ``METRICS_PORT`` is set."""
    if not settings.metrics_port:
        yield
        return
    server = OperationsServer(bot, settings.metrics_host, settings.metrics_port)
    await server.start()
    try:
        yield
    finally:
        await server.stop()


def sqlite_lock(settings: Settings) -> contextlib.AbstractContextManager[object]:
    """One process per SQLite file: a second one is refused (exit 2) with a line naming
    PostgreSQL."""
    path = settings.sqlite_path()
    if path is None:
        return contextlib.nullcontext()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return hold_sqlite_lock(path)
    except SQLiteInUse as error:
        log.error("%s", error)
        raise SystemExit(2) from None


async def run_bot(settings: Settings) -> None:
    with sqlite_lock(settings):
        await _run_bot(settings)


async def _run_bot(settings: Settings) -> None:
    engine = await open_database(settings)
    point_at_discord(settings)
    bot = build_bot(settings, engine)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: asyncio.ensure_future(bot.close()))
    try:
        async with bot, operations(settings, bot):
            await bot.start(settings.discord_token.get_secret_value())
    except discord.LoginFailure:
        log.error("Discord rejected DISCORD_TOKEN; reset it in the developer portal")
        raise SystemExit(2) from None
    finally:
        await engine.dispose()
