"""The ``commands.Bot`` subclass: wiring, cog loading and deliberate command sync."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import discord
from discord.ext import commands

from bot.clock import Clock
from bot.rendering.coalescer import RenderCoalescer
from bot.rendering.refresh import MessageRefresher
from bot.services.registry import Services
from bot.settings import Settings

log = logging.getLogger(__name__)

EXTENSIONS = (
    "cogs.errors",
    "cogs.predict",
    "cogs.predictions",
    "cogs.admin",
    "cogs.timezone",
    "cogs.voting",
    "cogs.reactions",
    "cogs.resolve",
    "cogs.reminders",
    "cogs.stats",
)


def intents() -> discord.Intents:
    """Only what the features need; no privileged intents (members, message content)."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_reactions = True
    return wanted


class AuguryBot(commands.Bot):
    def __init__(
        self,
        *,
        settings: Settings,
        services: Services,
        clock: Clock,
        sync_commands: bool = True,
        extensions: tuple[str, ...] = EXTENSIONS,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            guild_ready_timeout=settings.guild_ready_timeout,
        )
        self.settings = settings
        self.services = services
        self.clock = clock
        self._sync_commands = sync_commands
        self._extensions = extensions
        self.ready_event = asyncio.Event()
        self.refresher = MessageRefresher(self)
        self.coalescer = RenderCoalescer(
            clock, settings.vote_render_seconds, self.refresher.refresh
        )

    async def setup_hook(self) -> None:
        for name in self._extensions:
            await self.load_extension(name)
        if self._sync_commands:
            await self.sync_command_tree()

    async def sync_command_tree(self) -> None:
        """Once per start: to the development guild (instant) or globally."""
        if self.settings.dev_guild_id:
            guild = discord.Object(id=self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("Synced %d commands to development guild %s", len(synced), guild.id)
        else:
            synced = await self.tree.sync()
            log.info("Synced %d commands globally", len(synced))

    async def close(self) -> None:
        """Finish pending renders and let cogs stop their tasks before disconnecting."""
        await self.coalescer.drain()
        for name in list(self.extensions):
            with contextlib.suppress(Exception):
                await self.unload_extension(name)
        await super().close()

    async def _catch_up_renders(self) -> None:
        """Messages left stale by a crash between a vote and its re-render are redrawn."""
        for prediction_id in await self.services.predictions.render_pending():
            self.coalescer.request(prediction_id)

    async def on_ready(self) -> None:
        user = self.user
        log.info(
            "Augury is ready as %s (id %s) in %d servers",
            user,
            user.id if user else "?",
            len(self.guilds),
        )
        if not self.ready_event.is_set():
            await self._catch_up_renders()
        self.ready_event.set()
