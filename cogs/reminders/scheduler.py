"""Resolution reminders: one polling task over the database, delivery with fallbacks.

Polling (Red's shape) rather than one sleeping timer (RoboDanny's): every cycle asks the
database what is due, so there is no in-memory schedule to lose or resynchronise after an edit,
a restart or a crash, and a test drives a cycle by calling :meth:`RemindersCog.run_once`.

Each reminder is claimed (committed before anything is sent), sent, then recorded (which also
advances the schedule). A failed delivery is retried after a backoff and given up after a few
attempts; it never holds the others back, since its schedule moves past the due query. A claim
left unfinished (a crash, a record that failed) makes the next attempt look for the delivery's
marker buttons in the destinations' recent messages before sending again: the nonce alone only
protects for the few minutes Discord remembers it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

import discord
from discord.ext import commands

from bot.metrics import REMINDERS_FAILED, REMINDERS_LATE, REMINDERS_SENT
from bot.rendering.resolution_buttons import resolution_buttons
from bot.runtime.client import AuguryBot
from bot.services.reminders.service import LATE_AFTER, DueReminder, ReminderService
from cogs.reminders.delivery import Deliverer, ViewFactory

log = logging.getLogger(__name__)
SHUTDOWN_GRACE_SECONDS = 10

BATCH = 50
MAX_BATCHES = 20  # per cycle: catch-up after downtime is quick, one cycle stays bounded
#: Failed deliveries per cycle before the cycle ends: each failure is rescheduled past the due
#: query, so the next cycle reaches what lies behind; the REST calls spent failing stay bounded.
FAILURE_BUDGET = 20


class RemindersCog(commands.Cog):
    """The scheduler: every poll, deliver and record what the database says is due."""

    def __init__(
        self,
        bot: AuguryBot,
        *,
        service: ReminderService | None = None,
        view_factory: ViewFactory = resolution_buttons,
    ) -> None:
        self.bot = bot
        self.service = service if service is not None else bot.services.reminders
        self.view_factory = view_factory
        self.completed_cycles = 0
        self._task: asyncio.Task[None] | None = None
        self._cycle_done = asyncio.Event()  # set while no cycle is running
        self._cycle_done.set()
        self.deliverer = Deliverer(bot, self.service, view_factory)

    @property
    def running(self) -> bool:
        """Whether the scheduler task is alive."""
        return self._task is not None and not self._task.done()

    async def cog_load(self) -> None:
        self._task = asyncio.create_task(self._run_forever(), name="augury-reminders")

    async def cog_unload(self) -> None:
        """Stop between cycles: a cycle cut short mid-transaction would strand its connection."""
        task, self._task = self._task, None
        if task is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._cycle_done.wait(), timeout=SHUTDOWN_GRACE_SECONDS)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run_forever(self) -> None:
        """The scheduler: a cycle, a sleep on the bot's clock, forever; no error ends it."""
        await self.bot.wait_until_ready()
        poll = self.bot.settings.reminder_poll_seconds
        log.info("Reminder scheduler running, polling every %s s", poll)
        while True:
            self._cycle_done.clear()
            try:
                await self.run_once()
            except Exception:
                log.exception("Reminder cycle failed; trying again in %s s", poll)
            finally:
                self._cycle_done.set()
            self.completed_cycles += 1
            await self.bot.clock.sleep(poll)

    async def run_once(self) -> int:
        """Deliver and record what is due now; returns how many reminders went out."""
        poll = self.bot.settings.reminder_poll_seconds
        late_after = max(LATE_AFTER, timedelta(seconds=3 * poll))
        delivered, failures = 0, 0
        tried: set[tuple[int, str, int]] = set()  # this cycle only
        for _ in range(MAX_BATCHES):
            batch = await self.service.due(
                self.bot.clock.now(), BATCH, late_after=late_after, shards=self.bot.shards_run
            )
            fresh = [r for r in batch if r.key not in tried]
            for reminder in fresh:
                if failures >= FAILURE_BUDGET:
                    log.info("Reminder cycle ends after %s failed deliveries", failures)
                    return delivered
                tried.add(reminder.key)
                outcome = await self._process(reminder)
                delivered += outcome is True
                failures += outcome is False
            if len(batch) < BATCH or not fresh:
                break
        return delivered

    async def _process(self, reminder: DueReminder) -> bool | None:
        """One reminder: True sent, False failed (retried later), None skipped or left."""
        try:
            if self._left(reminder.guild_id):
                log.info("Not in guild %s: pausing its reminders", reminder.guild_id)
                await self.service.pause_guild(reminder.guild_id, self.bot.clock.now())
                return None
            lease = timedelta(seconds=self.bot.settings.reminder_claim_seconds)
            claim = await self.service.claim(reminder, self.bot.clock.now(), lease)
            if claim is None:
                return None  # another cycle or process has it
            delivery = await self.deliverer.deliver(claim)
            if delivery is None:
                failed = await self.service.failed(
                    claim, self.deliverer.last_error, self.bot.clock.now()
                )
                REMINDERS_FAILED.inc()
                if failed.retry_at is None:
                    log.warning(
                        "Reminder %s for #%s in guild %s given up after %s failed attempts: %s",
                        reminder.key,
                        reminder.number,
                        reminder.guild_id,
                        failed.failures,
                        self.deliverer.last_error,
                    )
                else:
                    log.info(
                        "Reminder %s for #%s in guild %s not delivered (attempt %s); next at %s",
                        reminder.key,
                        reminder.number,
                        reminder.guild_id,
                        failed.failures,
                        failed.retry_at.isoformat(),
                    )
                return False
            if not await self.service.record(delivery):
                log.info("Reminder %s was already recorded", reminder.key)
        except Exception:
            # Claimed but not recorded: nothing is sent again until the claim expires, and then
            # only after looking for what already went out.
            log.exception("Reminder %s failed; its claim will be checked later", reminder.key)
            REMINDERS_FAILED.inc()
            return None
        REMINDERS_SENT.inc()
        if reminder.late:
            REMINDERS_LATE.inc()
        log.info(
            "Sent %s reminder %s for #%s in guild %s to channel %s%s",
            reminder.kind,
            reminder.sequence,
            reminder.number,
            reminder.guild_id,
            delivery.channel_id,
            " (late)" if reminder.late else "",
        )
        return True

    def _left(self, guild_id: int) -> bool:
        """The bot is not in this server (kicked while offline): only known for the servers on
        this process's shards, once the guild list is complete."""
        if not self.bot.is_ready() or self.bot.get_guild(guild_id) is not None:
            return False
        count = self.bot.shard_count or 1
        mine = getattr(self.bot, "shard_ids", None) or (
            [self.bot.shard_id] if self.bot.shard_id is not None else None
        )
        return count <= 1 or mine is None or (guild_id >> 22) % count in mine

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """No attempts while the bot is not in the server: its schedules are parked."""
        await self.service.pause_guild(guild.id, self.bot.clock.now())
        log.info("Left guild %s: its reminders are paused", guild.id)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self._resume(guild)

    @commands.Cog.listener()
    async def on_guild_available(self, guild: discord.Guild) -> None:
        """Also on start: the bot may have been re-added while it was offline."""
        await self._resume(guild)

    async def _resume(self, guild: discord.Guild) -> None:
        if await self.service.resume_guild(guild.id):
            log.info("Back in guild %s: its reminders are resumed", guild.id)
