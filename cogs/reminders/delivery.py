"""Posting one claimed reminder: thread, else channel, else the author's DMs, part by part.

Parts already posted are never posted again, anywhere: after each part but the last the
progress is stored with the claim, and a claim left unfinished (a crash, a record that failed)
first looks for the parts' marker buttons in the recent messages of every destination.
Today :func:`~cogs.reminders.composition.compose` makes one message per reminder (its mentions
are capped), so a delivery has one part; the per-part tracking keeps longer ones safe.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from typing import Any

import discord

from bot.rendering.community import rendering_for
from bot.rendering.components import inert_view
from bot.rendering.direct_messages import dm_context
from bot.runtime.channels import Channel, find_channel
from bot.runtime.client import AuguryBot
from bot.services.reminders.attempts import Claim
from bot.services.reminders.service import Delivery, DueReminder, ReminderService
from cogs.reminders.composition import (
    Outgoing,
    compose,
    marker_button,
    reminder_marker,
    resolve_menu_button,
)

log = logging.getLogger(__name__)

#: How many recent messages of a destination are searched for a delivery's markers.
HISTORY_LOOKUP = 100

ViewFactory = Callable[[int], discord.ui.View]
#: Where a reminder is posted: a thread, a channel, or the author's DMs.
Destination = discord.abc.Messageable


@dataclass
class Progress:
    """The parts of one delivery already posted, and where the first of them is."""

    parts_sent: int
    channel_id: int | None
    message_id: int | None


class Deliverer:
    """Sends a claimed reminder's remaining parts; the cog handles claims and records."""

    def __init__(self, bot: AuguryBot, service: ReminderService, view_factory: ViewFactory):
        self.bot = bot
        self.service = service
        self.view_factory = view_factory
        self.last_error = ""

    async def deliver(self, claim: Claim) -> Delivery | None:
        """All parts posted (now or before): where; None when no destination took them."""
        reminder = claim.reminder
        progress = Progress(claim.parts_sent, claim.channel_id, claim.message_id)
        if claim.unfinished:
            progress = await self.look_up(reminder, progress)
        self.last_error = "no thread, channel or DM could be found"
        async for target, dm in self._destinations(reminder, progress):
            parts = compose(reminder, dm=dm)
            if dm:
                parts = [self._standalone(reminder, part) for part in parts]
            if progress.parts_sent >= len(parts):
                break  # everything went out before (found by its markers)
            if not await self._send(target, claim, parts, progress):
                continue
            break
        else:
            return None
        if progress.channel_id is None:
            return None
        return Delivery(reminder, progress.channel_id, progress.message_id, holds=claim.holds)

    async def look_up(self, reminder: DueReminder, known: Progress) -> Progress:
        """The parts an unfinished claim already posted, found by their markers."""
        best = known
        async for target, dm in self._destinations(reminder, Progress(0, None, None)):
            wanted = {
                reminder_marker(reminder, part): part
                for part in range(len(compose(reminder, dm=dm)))
            }
            try:
                async for message in target.history(limit=HISTORY_LOOKUP):
                    for part in (wanted.get(i) for i in _custom_ids(message)):
                        if part is not None and part + 1 > best.parts_sent:
                            first = message.id if part == 0 else best.message_id
                            best = Progress(part + 1, message.channel.id, first)
            except discord.HTTPException as error:
                log.info("Could not read %s for reminder %s: %s", _id(target), reminder.key, error)
        if best.parts_sent > known.parts_sent:
            log.info("Reminder %s: %s part(s) had already gone out", reminder.key, best.parts_sent)
        return best

    async def _send(
        self, target: Destination, claim: Claim, parts: list[Outgoing], progress: Progress
    ) -> bool:
        """Post the remaining parts here; progress is stored after each one but the last."""
        reminder = claim.reminder
        first_here = True
        for part in range(progress.parts_sent, len(parts)):
            outgoing = parts[part]
            kwargs: dict[str, Any] = {
                "allowed_mentions": outgoing.allowed_mentions,
                "nonce": outgoing.nonce,
                "view": self._view(reminder, outgoing),
            }
            if outgoing.embed is not None:
                kwargs["embed"] = outgoing.embed
            try:
                message = await target.send(outgoing.content, **kwargs)
            except discord.HTTPException as error:
                self.last_error = f"{_id(target)}: {error}"
                log.info("Reminder %s not posted in %s: %s", reminder.key, _id(target), error)
                return False
            if first_here and progress.channel_id is None:
                progress.channel_id, progress.message_id = message.channel.id, message.id
            first_here = False
            progress.parts_sent = part + 1
            if part + 1 < len(parts):
                await self.service.progress(
                    claim, progress.parts_sent, message.channel.id, progress.message_id
                )
        return True

    def _standalone(self, reminder: DueReminder, outgoing: Outgoing) -> Outgoing:
        """A DM names its server and says how to stop such messages (the embed names the
        statement, the text links the message)."""
        guild = self.bot.get_guild(reminder.guild_id)
        context = dm_context(
            server=guild.name if guild else None,
            reason="You wrote this prediction, and I could not reach its thread or channel.",
        )
        return replace(outgoing, content=f"{outgoing.content}\n{context}")

    def _view(self, reminder: DueReminder, outgoing: Outgoing) -> discord.ui.View:
        """The kind's look says: the YES / NO / AMBIGUOUS buttons (yes/no), or the message's
        **Resolve** menu (another kind)."""
        buttons: list[Any] = []
        if outgoing.with_view and rendering_for(reminder.question_kind).outcome_buttons:
            buttons = list(self.view_factory(reminder.prediction_id).children)
        elif outgoing.with_view:
            buttons = [resolve_menu_button(reminder.prediction_id)]
        return inert_view(*buttons, marker_button(outgoing))

    async def _destinations(
        self, reminder: DueReminder, progress: Progress
    ) -> AsyncIterator[tuple[Destination, bool]]:
        """Thread, parent channel, DM, looked up lazily; where parts went first; no DM once
        parts went to the server (the author was pinged there already)."""
        seen: set[int] = set()
        if progress.channel_id is not None:
            known = await self._channel(progress.channel_id)
            if known is not None:
                seen.add(progress.channel_id)
                yield known, isinstance(known, discord.DMChannel)
        thread = await self._thread(reminder)
        if thread is not None and thread.id not in seen:
            seen.add(thread.id)
            yield thread, False
        parent = await self._parent(reminder, thread)
        if parent is not None and _id(parent) not in seen:
            seen.add(_id(parent))
            yield parent, False
        if progress.parts_sent == 0:
            dm = await self._dm(reminder)
            if dm is not None and dm.id not in seen:
                yield dm, True

    async def _channel(self, channel_id: int) -> Destination | None:
        channel = await find_channel(self.bot, channel_id)
        if channel is None:
            log.info("Channel %s is unavailable for reminders", channel_id)
            return None
        return await self._unarchived(channel)

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
        channel = await find_channel(self.bot, reminder.thread_id)
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
        return await self._channel(parent_id)

    async def _dm(self, reminder: DueReminder) -> discord.DMChannel | None:
        try:
            return await self.bot.create_dm(discord.Object(id=reminder.author_id))
        except discord.HTTPException as error:
            log.info("Could not open a DM with %s: %s", reminder.author_id, error)
            return None


def _id(target: Any) -> int:
    return int(getattr(target, "id", 0))


def _custom_ids(message: discord.Message) -> list[str]:
    found: list[str] = []
    for row in message.components:
        for child in getattr(row, "children", ()):
            custom_id = getattr(child, "custom_id", None)
            if custom_id:
                found.append(custom_id)
    return found
