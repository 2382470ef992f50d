"""Resolution reminders: one polling task over the database, delivery with fallbacks.

Polling (Red's shape) rather than one sleeping timer (RoboDanny's): every cycle asks the
database what is due, so there is no in-memory schedule to lose or resynchronise after an edit,
a restart or a crash, and a test drives a cycle by calling :meth:`RemindersCog.run_once`.

Each reminder is sent, then recorded (which also advances the schedule). A crash in between
leaves it due, and the retry carries the same nonce: with ``enforce_nonce`` Discord answers it
with the message it already created instead of posting a duplicate.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import discord
from discord.ext import commands

from bot.rendering.resolution_buttons import resolution_buttons
from bot.runtime.channels import Channel, find_channel
from bot.runtime.client import AuguryBot
from bot.services.reminders import LATE_AFTER, Delivery, DueReminder, ReminderService
from cogs.reminders.composition import compose, direct_message, reminder_embed

log = logging.getLogger(__name__)
SHUTDOWN_GRACE_SECONDS = 10

BATCH = 50
MAX_BATCHES = 20  # per cycle: catch-up after downtime is quick, one cycle stays bounded

ViewFactory = Callable[[int], discord.ui.View]
#: Where a reminder is posted: a thread, a channel, or the author's DMs.
Destination = discord.abc.Messageable


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
        self._failing: set[tuple[int, str, int]] = set()

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
        delivered, tried = 0, set[tuple[int, str, int]]()
        for _ in range(MAX_BATCHES):
            batch = await self.service.due(self.bot.clock.now(), BATCH, late_after=late_after)
            sent = 0
            for reminder in batch:
                if reminder.key not in tried:  # a failure waits for the next cycle
                    tried.add(reminder.key)
                    sent += await self._process(reminder)
            delivered += sent
            if len(batch) < BATCH or sent == 0:
                break
        return delivered

    async def _process(self, reminder: DueReminder) -> bool:
        """One reminder: deliver, then record; any failure leaves it due for the next cycle."""
        try:
            delivery = await self.deliver(reminder)
            if delivery is None:
                level = logging.DEBUG if reminder.key in self._failing else logging.WARNING
                self._failing.add(reminder.key)
                log.log(
                    level,
                    "Reminder %s for #%s in guild %s could not be delivered anywhere "
                    "(thread, channel, DM); retrying next cycle",
                    reminder.key,
                    reminder.number,
                    reminder.guild_id,
                )
                return False
            if not await self.service.record(delivery):
                log.info("Reminder %s was already recorded", reminder.key)
        except Exception:
            log.exception("Reminder %s failed; retrying next cycle", reminder.key)
            return False
        self._failing.discard(reminder.key)
        await self._direct_messages(reminder)
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

    async def _direct_messages(self, reminder: DueReminder) -> None:
        """Members who chose DMs (/notifications), once, after the reminder was recorded; a
        closed DM is remembered so they are mentioned in the thread next time, not retried."""
        failed = []
        for user_id in reminder.dm_ids:
            try:
                channel = await self.bot.create_dm(discord.Object(id=user_id))
                await channel.send(
                    direct_message(reminder, user_id),
                    embed=reminder_embed(reminder),
                    allowed_mentions=discord.AllowedMentions.none(),
                )
            except discord.HTTPException as error:
                log.info("Reminder DM to %s failed (%s): thread from now on", user_id, error)
                failed.append(user_id)
        if failed:
            await self.bot.services.notifications.dm_failed(failed)

    async def deliver(self, reminder: DueReminder) -> Delivery | None:
        """Post in the thread, else the parent channel, else DM the author; None if all fail."""
        thread = await self._thread(reminder)
        if thread is not None:
            delivery = await self._send(thread, reminder, dm=False)
            if delivery is not None:
                return delivery
        parent = await self._parent(reminder, thread)
        if parent is not None:
            delivery = await self._send(parent, reminder, dm=False)
            if delivery is not None:
                return delivery
        dm = await self._dm(reminder)
        return None if dm is None else await self._send(dm, reminder, dm=True)

    async def _channel(self, channel_id: int) -> Channel | None:
        channel = await find_channel(self.bot, channel_id)
        if channel is None:
            log.info("Channel %s is unavailable for reminders", channel_id)
        return channel

    async def _unarchived(self, channel: Channel) -> Destination | None:
        """A thread is unarchived first (posting alone fails in locked threads)."""
        if isinstance(channel, discord.Thread) and channel.archived:
            try:
                channel = await channel.edit(archived=False)
            except discord.HTTPException as error:
                log.info("Could not unarchive thread %s: %s", channel.id, error)
        if isinstance(channel, discord.abc.Messageable):
            return channel
        return None

    async def _thread(self, reminder: DueReminder) -> discord.Thread | None:
        if reminder.thread_id is None:
            return None
        channel = await self._channel(reminder.thread_id)
        if not isinstance(channel, discord.Thread):
            return None
        target = await self._unarchived(channel)
        return target if isinstance(target, discord.Thread) else channel

    async def _parent(
        self, reminder: DueReminder, thread: discord.Thread | None
    ) -> Destination | None:
        """The channel the prediction was posted in (a forum cannot take plain messages)."""
        parent_id = reminder.channel_id
        if parent_id is None or parent_id == reminder.thread_id:
            parent_id = thread.parent_id if thread is not None else None
        if parent_id is None:
            return None
        channel = await self._channel(parent_id)
        return None if channel is None else await self._unarchived(channel)

    async def _dm(self, reminder: DueReminder) -> discord.DMChannel | None:
        try:
            return await self.bot.create_dm(discord.Object(id=reminder.author_id))
        except discord.HTTPException as error:
            log.info("Could not open a DM with %s: %s", reminder.author_id, error)
            return None

    async def _send(
        self, target: Destination, reminder: DueReminder, *, dm: bool
    ) -> Delivery | None:
        first: discord.Message | None = None
        for outgoing in compose(reminder, dm=dm):
            kwargs: dict[str, Any] = {
                "allowed_mentions": outgoing.allowed_mentions,
                "nonce": outgoing.nonce,
            }
            if outgoing.embed is not None:
                kwargs["embed"] = outgoing.embed
            if outgoing.with_view:
                kwargs["view"] = self.view_factory(reminder.prediction_id)
            try:
                message = await target.send(outgoing.content, **kwargs)
            except discord.HTTPException as error:
                where = getattr(target, "id", "?")
                log.info("Reminder %s not posted in %s: %s", reminder.key, where, error)
                return None
            first = first or message
        assert first is not None
        return Delivery(reminder, channel_id=first.channel.id, message_id=first.id)
