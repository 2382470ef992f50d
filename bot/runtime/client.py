"""The ``commands.Bot`` subclass: wiring, feature loading, deliberate command sync.

Handlers reach the bot, its services and its clock through :func:`augury`, one typed accessor
for any interaction, instead of casting ``interaction.client`` in each feature.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.clock import Clock
from bot.rendering.chart_pool import ChartPool
from bot.rendering.command_errors import translate
from bot.rendering.replies import report_error
from bot.runtime.cooldowns import MemberCooldowns
from bot.runtime.public_messages import PublicMessages
from bot.services.registry import Services
from bot.settings import Settings

log = logging.getLogger(__name__)

#: One extension per feature (see ``cogs/``); loaded in this order.
EXTENSIONS = (
    "cogs.predictions",
    "cogs.voting",
    "cogs.resolution",
    "cogs.reminders",
    "cogs.track_record",
    "cogs.administration",
)


def intents() -> discord.Intents:
    """Only what the features need; no privileged intents (members, message content)."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_reactions = True
    return wanted


class AuguryTree(app_commands.CommandTree["AuguryBot"]):
    """Every slash command, context menu and autocomplete failure ends in the one error path."""

    async def on_error(
        self, interaction: discord.Interaction[AuguryBot], error: app_commands.AppCommandError
    ) -> None:
        await report_error(interaction, translate(error))


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
            tree_cls=AuguryTree,
            guild_ready_timeout=settings.guild_ready_timeout,
        )
        self.settings = settings
        self.services = services
        self.clock = clock
        self._sync_commands = sync_commands
        self._extensions = extensions
        self.ready_event = asyncio.Event()
        self.public_messages = PublicMessages(
            self, services.message_state, clock, settings.vote_render_seconds
        )
        self.charts = ChartPool()  # worker processes, spawned on the first chart
        self.cooldowns = MemberCooldowns(clock)

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
        """Finish pending renders and let features stop their tasks before disconnecting."""
        await self.public_messages.drain()
        for name in list(self.extensions):
            with contextlib.suppress(Exception):
                await self.unload_extension(name)
        await self.charts.close()
        await super().close()

    async def on_ready(self) -> None:
        user = self.user
        log.info(
            "Augury is ready as %s (id %s) in %d servers",
            user,
            user.id if user else "?",
            len(self.guilds),
        )
        if not self.ready_event.is_set():
            await self.public_messages.redraw_pending()
        self.ready_event.set()


def augury(interaction: discord.Interaction) -> AuguryBot:
    """The bot behind an interaction, typed: ``augury(interaction).services.votes``."""
    client = interaction.client
    if not isinstance(client, AuguryBot):
        raise TypeError("Augury handlers run only inside AuguryBot")
    return client
