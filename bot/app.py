"""Process wiring: database, migrations, services, Discord endpoints, the bot."""

from __future__ import annotations

import asyncio
import logging
import signal

import discord
import yarl
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import Clock, SystemClock
from bot.runtime.client import AuguryBot
from bot.services.context import ServiceContext
from bot.services.registry import Services
from bot.settings import Settings
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade

log = logging.getLogger(__name__)


async def open_database(settings: Settings) -> AsyncEngine:
    """Create the SQLite folder if needed, connect, and bring the schema up to date."""
    path = settings.sqlite_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    await upgrade(engine)
    log.info("Database is at the latest migration")
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
    return AuguryBot(settings=settings, services=Services.build(ctx), clock=clock)


async def run_bot(settings: Settings) -> None:
    engine = await open_database(settings)
    point_at_discord(settings)
    bot = build_bot(settings, engine)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: asyncio.ensure_future(bot.close()))
    try:
        async with bot:
            await bot.start(settings.discord_token.get_secret_value())
    except discord.LoginFailure:
        log.error("Discord rejected DISCORD_TOKEN; reset it in the developer portal")
        raise SystemExit(2) from None
    finally:
        await engine.dispose()
