"""Process wiring: database, migrations, services, Discord endpoints, the bot."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import discord
import yarl
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import Clock, SystemClock
from bot.rendering.chart_pool import ChartPool
from bot.runtime.client import AuguryBot, ShardedAuguryBot
from bot.runtime.interpreter import favour_the_event_loop
from bot.runtime.operations import OperationsServer
from bot.services.core.context import ServiceContext
from bot.services.public.reader import PublicReader
from bot.services.registry import Services
from bot.settings import Settings, safe_url
from bot.startup import (
    BAD_SETTING,
    RETRY_DELAYS,
    UNREACHABLE,
    StartupError,
    host_of,
    reason,
    retry_delays,
    with_retries,
)
from cogs.web.app import WebServer, build_app
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.query_metrics import time_queries
from db.read_only import create_read_only_engine
from db.single_process import SQLiteInUse, hold_sqlite_lock

log = logging.getLogger(__name__)


def ensure_sqlite_folder(path: Path) -> None:
    """The SQLite file's folder, created if needed; one clear line (exit 2) if it cannot be."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StartupError(
            f"DATABASE_URL: cannot create the folder {path.parent} for the SQLite database "
            f"({error.strerror or reason(error)}). Create it with write access for this "
            "user, or point DATABASE_URL at another path.",
            BAD_SETTING,
        ) from error


async def open_database(settings: Settings) -> AsyncEngine:
    """Create the SQLite folder if needed, connect, and bring the schema up to date.

    Raises :class:`StartupError` for a folder that cannot be created (exit 2) or a database
    that stays unreachable through the retries (exit 1).
    """
    path = settings.sqlite_path()
    if path is not None:
        ensure_sqlite_folder(path)
    engine = create_engine(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)

    async def connect() -> None:
        async with engine.connect():
            pass

    where = safe_url(settings.database_url)
    try:
        # A SQLite file is local: retrying cannot help. A server may be starting up.
        delays = () if path is not None else retry_delays(settings.startup_retry_seconds)
        await with_retries(connect, (Exception,), f"the database at {where}", delays)
    except Exception as error:
        await engine.dispose()
        if path is not None:
            raise StartupError(
                f"DATABASE_URL: cannot open the SQLite database {path} ({reason(error)}). "
                "Check that the file and its folder are writable.",
                BAD_SETTING,
            ) from error
        raise StartupError(
            f"Cannot reach the database at {where} ({reason(error)}). Is PostgreSQL running "
            "and reachable, and are DATABASE_URL's host, port, user and password right?",
            UNREACHABLE,
        ) from error
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


def build_bot(
    settings: Settings, engine: AsyncEngine, clock: Clock | None = None, *, service: bool = False
) -> AuguryBot:
    """The bot; ``service`` for the long-running process (see ``AuguryBot``), not test bots."""
    clock = clock or SystemClock()
    ctx = ServiceContext(sessions=create_session_factory(engine), clock=clock)
    kind = ShardedAuguryBot if settings.is_sharded else AuguryBot
    return kind(settings=settings, services=Services.build(ctx), clock=clock, service=service)


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


#: ``python -m bot web`` without ``WEB_PORT``.
DEFAULT_WEB_PORT = 8000


@contextlib.asynccontextmanager
async def web_view(
    settings: Settings, charts: ChartPool, port: int, clock: Clock | None = None
) -> AsyncIterator[WebServer]:
    """The public web view on its own read-only engine, served while the block runs."""
    engine = create_read_only_engine(settings.database_url)
    clock = clock or SystemClock()
    reader = PublicReader(ServiceContext(sessions=create_session_factory(engine), clock=clock))
    app = build_app(
        reader,
        clock,
        charts,
        public_url=settings.public_url,
        rate_per_minute=settings.web_rate_limit,
        trusted_proxies=settings.web_trusted_proxies,
    )
    server = WebServer(app, settings.web_host, port)
    try:
        try:
            await server.start()
        except OSError as error:
            raise StartupError(
                f"WEB_PORT: cannot listen on {settings.web_host}:{port} ({reason(error)}). "
                "Pick a free port, or leave WEB_PORT empty.",
                BAD_SETTING,
            ) from error
        yield server
    finally:
        await server.stop()
        await engine.dispose()


@contextlib.asynccontextmanager
async def web_beside_bot(settings: Settings, bot: AuguryBot) -> AsyncIterator[None]:
    """``WEB_PORT`` set: the web view in the bot's process, sharing its chart workers."""
    if not settings.web_port:
        yield
        return
    async with web_view(settings, bot.charts, settings.web_port):
        yield


async def run_web(settings: Settings) -> None:
    """``python -m bot web``: only the web view (no Discord connection, no token needed)."""
    favour_the_event_loop()
    engine = await open_database(settings)  # migrated like any process, then closed
    await engine.dispose()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    charts = ChartPool()
    try:
        async with web_view(settings, charts, settings.web_port or DEFAULT_WEB_PORT):
            await stop.wait()
    finally:
        await charts.close()


def sqlite_lock(settings: Settings) -> contextlib.AbstractContextManager[object]:
    """One process per SQLite file: a second one is refused (exit 2) with a line naming
    PostgreSQL."""
    path = settings.sqlite_path()
    if path is None:
        return contextlib.nullcontext()
    ensure_sqlite_folder(path)
    try:
        return hold_sqlite_lock(path)
    except SQLiteInUse as error:
        raise StartupError(str(error), BAD_SETTING) from None


async def run_bot(settings: Settings) -> None:
    favour_the_event_loop()
    with sqlite_lock(settings):
        await _run_bot(settings)


async def _run_bot(settings: Settings) -> None:
    engine = await open_database(settings)
    point_at_discord(settings)
    bot = build_bot(settings, engine, service=True)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: asyncio.ensure_future(bot.close()))
    token = settings.discord_token.get_secret_value()
    try:
        async with bot, operations(settings, bot), web_beside_bot(settings, bot):
            await log_in(bot, token, settings.discord_api_base_url, settings.startup_retry_seconds)
            await bot.connect()
    finally:
        await engine.dispose()


async def log_in(
    bot: AuguryBot, token: str, api_base_url: str, first_retry: float = RETRY_DELAYS[0]
) -> None:
    """Log in, retrying while Discord is unreachable; :class:`StartupError` when it stays so
    (exit 1) or rejects the token (exit 2)."""
    try:
        await with_retries(
            lambda: bot.login(token),
            (OSError, TimeoutError, aiohttp.ClientError, discord.DiscordServerError),
            f"Discord at {host_of(api_base_url)}",
            retry_delays(first_retry),
        )
    except discord.LoginFailure as error:
        raise StartupError(
            "DISCORD_TOKEN was rejected by Discord: reset it in the developer portal "
            "(Bot → Reset Token) and update .env.",
            BAD_SETTING,
        ) from error
    except (OSError, TimeoutError, aiohttp.ClientError, discord.DiscordServerError) as error:
        raise StartupError(
            f"Cannot reach Discord at {host_of(api_base_url)} ({reason(error)}). Check the "
            "network and DNS (and DISCORD_API_BASE_URL if you set it); the bot will start once "
            "it is reachable again.",
            UNREACHABLE,
        ) from error
