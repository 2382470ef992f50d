"""Writes the scheduled events the database says are missing, out of date or unwanted.

Every ``REMINDER_POLL_SECONDS`` it claims up to ``batch`` items (:mod:`bot.services.events`)
and writes each to Discord: a new prediction's resolution date becomes an external event
(name: the statement, cut to 100 characters; place: a link to the prediction's message;
from the resolution date for an hour), a moved date or an edited statement edits it, a
resolved or cancelled prediction deletes it. Discord allows only a few event writes a minute
per server, so the batch is small. A missing Manage Events permission is told to the
moderators once, in the prediction's channel, never a crash; other failures are retried.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import discord

from bot.rendering.limits import truncate
from bot.rendering.links import jump_url
from bot.runtime.client import AuguryBot
from bot.runtime.paced_sender import PacedSender
from bot.services.events import EventWork
from bot.services.events.service import Action

log = logging.getLogger(__name__)
BATCH = 5
EVENT_NAME = 100
EVENT_LENGTH = timedelta(hours=1)
EXTERNAL = 3  # entity_type: somewhere outside Discord (the prediction's message)
GUILD_ONLY = 2  # privacy_level
MISSING_PERMISSIONS = 50013
PERMISSION_NOTICE = (
    "⚠️ Moderators: I can't create or update Discord events for resolution dates because I "
    "don't have the **Manage Events** permission. Give it to my role and run "
    "`/augury events enabled:on` again, or turn events off with `/augury events enabled:off`."
)


def event_body(work: EventWork) -> dict[str, Any]:
    """The event as Discord wants it (an external event needs a place and an end)."""
    link = jump_url(work.guild_id, work.channel_id, work.message_id) or "Discord"
    return {
        "name": truncate(" ".join(work.statement.split()), EVENT_NAME),
        "entity_type": EXTERNAL,
        "privacy_level": GUILD_ONLY,
        "entity_metadata": {"location": truncate(link, 100)},
        "scheduled_start_time": work.resolves_at.isoformat(),
        "scheduled_end_time": (work.resolves_at + EVENT_LENGTH).isoformat(),
        "description": truncate(
            f"Prediction #{work.number} reaches its resolution date. Mark yourself Interested "
            f"to follow it: you'll be pinged when it is due and resolved. {link}",
            1000,
        ),
    }


class EventSyncCog(PacedSender):
    """Keeps scheduled events in step; a test drives it with :meth:`run_once`."""

    def __init__(self, bot: AuguryBot, *, batch: int = BATCH) -> None:
        super().__init__(bot, "augury-events", batch=batch, pace=bot.settings.reminder_poll_seconds)

    async def run_once(self) -> int:
        work = await self.bot.services.events.claim(self.batch, self.bot.shards_run)
        for item in work:
            await self._write(item)
        return len(work)

    async def _write(self, work: EventWork) -> None:
        service = self.bot.services.events
        http = self.bot.http
        try:
            if work.action == Action.DELETE:
                assert work.event_id is not None
                await http.delete_scheduled_event(work.guild_id, work.event_id)
                await service.written(work, None)
            elif work.action == Action.EDIT:
                assert work.event_id is not None
                body = event_body(work)
                await http.edit_scheduled_event(work.guild_id, work.event_id, **body)
                await service.written(work, work.event_id)
            else:
                created = await http.create_guild_scheduled_event(work.guild_id, **event_body(work))
                await service.written(work, int(created["id"]))
        except discord.NotFound:
            # Deleted by hand on Discord: a deletion is done; an edit is made afresh next pass.
            await service.written(work, None, gone=True)
        except discord.Forbidden as error:
            missing = error.code == MISSING_PERMISSIONS or error.code == 50001
            if await service.failed(work, str(error), missing_permission=missing):
                await self._tell_moderators(work)
        except (discord.HTTPException, OSError) as error:
            log.warning("Scheduled event for prediction %s failed: %s", work.prediction_id, error)
            await service.failed(work, str(error), missing_permission=False)

    async def _tell_moderators(self, work: EventWork) -> None:
        """Once: in the prediction's channel, where moderators read; pinging nobody."""
        if work.channel_id is None:
            return
        channel = self.bot.get_partial_messageable(work.channel_id, guild_id=work.guild_id)
        try:
            await channel.send(PERMISSION_NOTICE, allowed_mentions=discord.AllowedMentions.none())
        except (discord.HTTPException, OSError) as error:
            log.info("Could not tell guild %s about Manage Events: %s", work.guild_id, error)
        log.info("Guild %s: Manage Events missing, moderators told", work.guild_id)
