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
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import discord
from discord.ext import commands

from bot.client import AuguryBot
from bot.dates import format_discord_timestamp as ts
from bot.rendering.channels import Channel, find_channel
from bot.rendering.limits import EMBED_TITLE, one_line, truncate
from bot.rendering.mentions import split_pings
from bot.rendering.resolve_buttons import resolution_view
from bot.services.reminders import (
    CLOSE_WARNING,
    DUE,
    LATE_AFTER,
    MODERATOR,
    Delivery,
    DueReminder,
    ReminderService,
)

log = logging.getLogger(__name__)
SHUTDOWN_GRACE_SECONDS = 10

BATCH = 50
MAX_BATCHES = 20  # per cycle: catch-up after downtime is quick, one cycle stays bounded
NONCE_MAX = 25
KIND_CODES = {DUE: "d", MODERATOR: "m", CLOSE_WARNING: "w"}

ViewFactory = Callable[[int], discord.ui.View]
Target = discord.abc.Messageable


def reminder_nonce(reminder: DueReminder, part: int) -> str:
    """Deterministic per (prediction, kind, sequence, message part), at most 25 characters."""
    code = KIND_CODES[reminder.kind]
    nonce = f"rm{reminder.prediction_id}{code}{reminder.sequence}.{part}"
    if len(nonce) > NONCE_MAX:
        raise ValueError(f"nonce {nonce!r} is longer than Discord's {NONCE_MAX} characters")
    return nonce


@dataclass(frozen=True)
class Outgoing:
    """One message of a reminder (several when the pings do not fit in one)."""

    content: str
    allowed_mentions: discord.AllowedMentions
    nonce: str
    embed: discord.Embed | None = None
    with_view: bool = False


def jump_url(reminder: DueReminder) -> str | None:
    if reminder.channel_id is None or reminder.message_id is None:
        return None
    return (
        f"https://discord.com/channels/{reminder.guild_id}/"
        f"{reminder.channel_id}/{reminder.message_id}"
    )


def headline(reminder: DueReminder, *, dm: bool) -> str:
    """The reminder's text; user-written text (the statement) is kept out of it."""
    r = reminder
    late = f"(late: this was due {ts(r.due_at, 'R')}, I was offline) " if r.late else ""
    number = f"your prediction **#{r.number}**" if dm else f"prediction **#{r.number}**"
    how = (
        "Resolve it with `/resolve` in the server."
        if dm
        else "The author or a moderator can resolve it with the buttons below."
    )
    if r.kind == CLOSE_WARNING:
        text = (
            f"Voting on {number} closes {ts(r.closes_at, 'R')} ({ts(r.closes_at, 'f')}). "
            "Vote, or update your forecast, while you still can."
        )
    elif r.kind == MODERATOR:
        role = f"<@&{r.moderator_role_id}> " if r.moderator_role_id and not dm else ""
        plural = "s" if r.reminder_count != 1 else ""
        waited = (
            f"after {r.reminder_count} reminder{plural} (resolution date {ts(r.resolves_at, 'R')})"
            if r.reminder_count
            else f"at its resolution date ({ts(r.resolves_at, 'f')})"
        )
        text = f"{role}{number.capitalize()} is still unresolved {waited}. " + (
            "It needs resolving with `/resolve` in the server."
            if dm
            else "Moderators, please resolve it with the buttons below."
        )
        if not r.moderator_role_id and not dm:
            text += (
                " No moderator role is set, so nobody was pinged: an admin can set one with "
                "`/augury moderator-role`."
            )
    elif r.ordinal <= 1:
        text = (
            f"{number.capitalize()} has reached its resolution date "
            f"({ts(r.resolves_at, 'f')}). Did it come true? {how}"
        )
    else:
        text = (
            f"Reminder {r.ordinal} of {r.reminder_count}: {number} is still unresolved "
            f"(resolution date {ts(r.resolves_at, 'R')}). {how}"
        )
        if r.ordinal >= r.reminder_count:
            text += " Next time, the moderators will be asked."
    if dm:
        link = jump_url(r)
        text += " I couldn't post this in the prediction's thread or channel, so I'm telling you"
        text += f" here: {link}" if link else " here."
    return f"⏰ {late}{text}"


def reminder_embed(reminder: DueReminder) -> discord.Embed:
    """The statement goes here: embeds never ping, whatever the member wrote."""
    when = (
        f"Voting closes {ts(reminder.closes_at, 'F')}"
        if reminder.kind == CLOSE_WARNING
        else f"Resolution date {ts(reminder.resolves_at, 'F')}"
    )
    return discord.Embed(
        title=truncate(f"#{reminder.number} · {one_line(reminder.statement)}", EMBED_TITLE),
        url=jump_url(reminder),
        description=when,
        colour=discord.Colour.gold(),
    )


def allowed(user_ids: tuple[int, ...], role_id: int | None) -> discord.AllowedMentions:
    """Exactly these users and this role; never @everyone, never anyone named in user text."""
    return discord.AllowedMentions(
        everyone=False,
        users=[discord.Object(id=u) for u in user_ids] if user_ids else False,
        roles=[discord.Object(id=role_id)] if role_id else False,
        replied_user=False,
    )


def compose(reminder: DueReminder, *, dm: bool) -> list[Outgoing]:
    """The messages for one target; a DM goes to the author alone, so it pings nobody."""
    users = () if dm else reminder.user_pings
    role = reminder.moderator_role_id if reminder.kind == MODERATOR and not dm else None
    continued = f"(#{reminder.number}, continued)"
    chunks = split_pings(headline(reminder, dm=dm), users, continued)
    return [
        Outgoing(
            content=text,
            allowed_mentions=allowed(ids, role if part == 0 else None),
            nonce=reminder_nonce(reminder, part),
            embed=reminder_embed(reminder) if part == 0 else None,
            with_view=part == 0 and not dm and reminder.kind != CLOSE_WARNING,
        )
        for part, (text, ids) in enumerate(chunks)
    ]


class RemindersCog(commands.Cog):
    def __init__(
        self,
        bot: AuguryBot,
        *,
        service: ReminderService | None = None,
        view_factory: ViewFactory = resolution_view,
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

    async def _unarchived(self, channel: Channel) -> Target | None:
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

    async def _parent(self, reminder: DueReminder, thread: discord.Thread | None) -> Target | None:
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

    async def _send(self, target: Target, reminder: DueReminder, *, dm: bool) -> Delivery | None:
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


async def setup(bot: AuguryBot) -> None:
    await bot.add_cog(RemindersCog(bot))
