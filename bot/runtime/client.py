"""The ``commands.Bot`` subclass: wiring, feature loading, deliberate command sync.

Handlers reach the bot, its services and its clock through :func:`augury`, one typed accessor
for any interaction, instead of casting ``interaction.client`` in each feature.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.clock import Clock
from bot.domain.errors import AuguryError
from bot.domain.shards import ShardSet
from bot.rendering.chart_pool import ChartPool
from bot.rendering.command_errors import translate
from bot.rendering.command_mentions import known_commands, remember_commands
from bot.rendering.replies import report_error
from bot.runtime.cooldowns import MemberCooldowns
from bot.runtime.expired import answer_if_unhandled, note_handler
from bot.runtime.heap import set_aside_startup_heap
from bot.runtime.invite import invite_url
from bot.runtime.legacy_options import adopt_renamed_options
from bot.runtime.option_checks import check_options
from bot.runtime.public_messages import PublicMessages
from bot.runtime.shutdown import finish_handlers
from bot.services.registry import Services
from bot.settings import Settings
from bot.version import version

log = logging.getLogger(__name__)

#: One extension per feature (see ``cogs/``); loaded in this order.
EXTENSIONS = (
    "cogs.predictions",
    "cogs.voting",
    "cogs.resolution",
    "cogs.reminders",
    "cogs.track_record",
    "cogs.administration",
    "cogs.records",
    "cogs.digest",
    "cogs.events",
    "cogs.disputes",
    "cogs.seasons",
)


def intents() -> discord.Intents:
    """Only what the features need; no privileged intents (members, message content)."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_reactions = True
    wanted.guild_scheduled_events = True  # "Interested" in a prediction's event: follow it
    return wanted


class AuguryTree(app_commands.CommandTree["AuguryBot"]):
    """Every slash command, context menu and autocomplete failure ends in the one error path."""

    async def on_error(
        self, interaction: discord.Interaction[AuguryBot], error: app_commands.AppCommandError
    ) -> None:
        await report_error(interaction, translate(error))

    async def interaction_check(self, interaction: discord.Interaction[AuguryBot]) -> bool:
        """Numbers outside their declared range and NUL in text are refused before handlers;
        an option sent under its old name is read under its new one."""
        adopt_renamed_options(interaction)
        if interaction.type is not discord.InteractionType.application_command:
            return True
        try:
            check_options(interaction)
        except AuguryError as error:
            await report_error(interaction, error)
            return False
        return True


class AuguryBot(commands.Bot):
    """One gateway connection (the default); :class:`ShardedAuguryBot` runs several shards."""

    def __init__(
        self,
        *,
        settings: Settings,
        services: Services,
        clock: Clock,
        sync_commands: bool = True,
        extensions: tuple[str, ...] = EXTENSIONS,
        service: bool = False,
        **sharding: Any,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            tree_cls=AuguryTree,
            # Installed to servers only; a command's own contexts say where it may be used.
            allowed_installs=app_commands.AppInstallationType(guild=True, user=False),
            guild_ready_timeout=settings.guild_ready_timeout,
            **sharding,
        )
        self.settings = settings
        self.services = services
        self.clock = clock
        self._sync_commands = sync_commands
        self._extensions = extensions
        # The long-running process (not the many bots of a test run): once ready, the start-up
        # heap leaves full garbage collections and the chart workers start.
        self._service = service
        self._chart_start: asyncio.Task[None] | None = None
        self.ready_event = asyncio.Event()
        self.public_messages = PublicMessages(
            self,
            services.message_state,
            clock,
            settings.vote_render_seconds,
            public_url=settings.public_url,
        )
        self.charts = ChartPool()  # worker processes, spawned on the first chart
        self.cooldowns = MemberCooldowns(clock)

    @property
    def shards_run(self) -> ShardSet:
        """The servers this process does background work for (all of them unless sharded)."""
        return ShardSet.everything()

    def gateway_latencies(self) -> list[tuple[int, float]]:
        """(shard id, heartbeat latency in seconds) per connection; inf until connected."""
        return [(0, self.latency)]

    def shards_connected(self) -> dict[int, bool]:
        return {0: self.ws is not None and not self.is_closed()}

    async def setup_hook(self) -> None:
        for name in self._extensions:
            await self.load_extension(name)
        # Processes splitting the shards all register the same commands: the one running
        # shard 0 syncs them (a plain process runs shard 0).
        if self._sync_commands and 0 in (self.settings.shard_id_list or (0,)):
            await self.sync_command_tree()
        else:
            await self.learn_command_ids()

    async def learn_command_ids(self) -> None:
        """The ids of the commands another process (or an earlier start) synced, so this
        process's texts name commands as mentions too; without them, as plain names."""
        dev = self.settings.dev_guild_id
        try:
            found = await self.tree.fetch_commands(guild=discord.Object(id=dev) if dev else None)
        except discord.HTTPException as error:
            log.warning("Could not fetch the command ids (%s); texts name commands plainly", error)
            return
        log.info("Command mentions ready for %d names", remember_commands(found))

    async def sync_command_tree(self) -> None:
        """Once per start: to the development guild (instant) or globally. Either way, guilds
        that still hold commands from an earlier ``DEV_GUILD_ID`` are cleared: with global
        commands as well, members there would see every command twice."""
        dev = self.settings.dev_guild_id
        if dev:
            guild = discord.Object(id=dev)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            await self.services.guild_state.commands_synced_to(dev)
            log.info("Synced %d commands to development guild %s", len(synced), dev)
        else:
            synced = await self.tree.sync()
            log.info("Synced %d commands globally", len(synced))
        remember_commands(synced)
        await self._clear_old_guild_commands(keep=dev)

    async def _clear_old_guild_commands(self, keep: int | None) -> None:
        """One request per guild the bot synced to in development and no longer does: at most
        a handful, so no pacing beyond discord.py's rate limiting is needed."""
        state = self.services.guild_state
        for guild_id in await state.guilds_with_commands():
            if guild_id == keep:
                continue
            try:
                # The tree holds no commands for that guild: syncing it overwrites them with none.
                await self.tree.sync(guild=discord.Object(id=guild_id))
            except discord.Forbidden:
                log.warning(
                    "Could not clear the development commands in server %s (the bot is no longer "
                    "in it); if they still show there: python -m bot sync --clear-guild %s",
                    guild_id,
                    guild_id,
                )
            except discord.HTTPException as error:
                log.warning(
                    "Could not clear the development commands in server %s (%s); retrying at "
                    "the next start",
                    guild_id,
                    error,
                )
                continue
            else:
                log.info(
                    "Cleared the development commands in server %s (DEV_GUILD_ID no longer "
                    "points there)",
                    guild_id,
                )
            await state.commands_cleared(guild_id)

    async def close(self) -> None:
        """Finish pending renders and let features stop their tasks before disconnecting."""
        await self.public_messages.stop_retries()
        await finish_handlers()
        await self.public_messages.drain()
        for name in list(self.extensions):
            with contextlib.suppress(Exception):
                await self.unload_extension(name)
        if self._chart_start is not None:
            self._chart_start.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._chart_start
        await self.charts.close()
        await super().close()

    async def _start_charts(self) -> None:
        """The chart workers, spawned in the background so the first chart is not kept
        waiting for them; a failure here is retried by that first chart."""
        try:
            workers = await self.charts.start()
            log.info("Chart workers started (%d processes)", workers)
        except Exception as error:  # logged; the first chart starts them instead
            log.warning("Chart workers did not start (%s); the first chart will start them", error)

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        # Called synchronously right after discord.py routed the interaction to its handlers
        # and before any of them ran: the one moment the view store tells the truth.
        if event_name == "interaction" and args and isinstance(args[0], discord.Interaction):
            note_handler(args[0])
        super().dispatch(event_name, *args, **kwargs)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Components and forms whose handler is gone still get an answer."""
        await answer_if_unhandled(interaction)

    async def on_ready(self) -> None:
        if not self.ready_event.is_set():
            if not known_commands():  # another process syncs: it may have done so since
                await self.learn_command_ids()
            await self.public_messages.redraw_pending(self.shards_run)
            self.public_messages.start_retries(self.settings.render_retry_seconds, self.shards_run)
            if self._service:
                set_aside_startup_heap()
            if self._service and self.settings.chart_workers_at_start:
                self._chart_start = asyncio.create_task(self._start_charts())
        self.ready_event.set()
        user = self.user
        client_id = self.application_id or (user.id if user else None)
        # Logged once ready in every sense (/healthz says so too): supervisors and tests wait
        # for this line. The invite URL is what a new admin needs next.
        log.info(
            "Augury is ready as %s (id %s) in %d servers, version %s; invite it with %s",
            user,
            user.id if user else "?",
            len(self.guilds),
            version(),
            invite_url(client_id) if client_id else "(unknown application id)",
        )


class ShardedAuguryBot(AuguryBot, commands.AutoShardedBot):
    """Several shards in one process (``SHARD_COUNT`` ≠ 1 or ``SHARD_IDS`` set): discord.py's
    auto-sharded client, one gateway connection per shard; ``auto`` asks Discord for the count.
    """

    def __init__(self, *, settings: Settings, services: Services, clock: Clock, **kw: Any) -> None:
        count = settings.shard_count
        ids = settings.shard_id_list
        super().__init__(
            settings=settings,
            services=services,
            clock=clock,
            shard_count=None if count == "auto" else count,
            shard_ids=list(ids) if ids is not None else None,
            **kw,
        )

    @property
    def shards_run(self) -> ShardSet:
        count = self.shard_count
        if count is None:  # "auto" before the count came back from Discord
            return ShardSet.everything()
        return ShardSet(count, tuple(self.shard_ids or range(count)))

    def gateway_latencies(self) -> list[tuple[int, float]]:
        return self.latencies

    def shards_connected(self) -> dict[int, bool]:
        wanted = self.shards_run.ids
        running = self.shards
        return {i: i in running and not running[i].is_closed() for i in wanted}


def augury(interaction: discord.Interaction) -> AuguryBot:
    """The bot behind an interaction, typed: ``augury(interaction).services.votes``."""
    client = interaction.client
    if not isinstance(client, AuguryBot):
        raise TypeError("Augury handlers run only inside AuguryBot")
    return client
