"""Reminder DMs, sent from their queue a few at a time (``bot/services/reminders/dms.py``).

The scheduler only records a reminder; its DMs (members who chose DMs in /notifications) are
queued in the same transaction and sent here, ``batch`` every ``pace`` seconds, each process
for its own servers. So a popular prediction's DMs never hold up other servers' reminders, stay
within Discord's rate limits, and survive a restart. A closed DM is remembered (the member is
mentioned in the thread next time); a DM no longer true by its turn is dropped unsent.
"""

from __future__ import annotations

import logging

import discord

from bot.rendering.direct_messages import dm_context
from bot.runtime.client import AuguryBot
from bot.runtime.paced_sender import BATCH, PACE_SECONDS, PacedSender
from bot.services.reminders.dms import QueuedReminderDM
from cogs.reminders.composition import direct_message, reminder_embed

log = logging.getLogger(__name__)


class ReminderDMSenderCog(PacedSender):
    """Drains the reminder-DM queue, paced; a test drives it with :meth:`run_once`."""

    def __init__(self, bot: AuguryBot, *, batch: int = BATCH, pace: float = PACE_SECONDS) -> None:
        super().__init__(bot, "augury-reminder-dms", batch=batch, pace=pace)

    async def run_once(self) -> int:
        """Handle at most ``batch`` queued reminder DMs; returns how many were handled."""
        queue = self.bot.services.reminder_dms
        now = self.bot.clock.now()
        done: list[tuple[int, int]] = []
        failed: list[int] = []
        for owed in await queue.queued(self.batch, self.bot.shards_run):
            if owed.still_true(now) and not await self._send(owed):
                failed.append(owed.user_id)
            done.append(owed.key)
        await queue.sent(done)
        if failed:
            await self.bot.services.notifications.dm_failed(failed)
        return len(done)

    async def _send(self, owed: QueuedReminderDM) -> bool:
        """False for a DM Discord refused (closed DMs): not retried."""
        try:
            channel = await self.bot.create_dm(discord.Object(id=owed.user_id))
            guild = self.bot.get_guild(owed.subject.guild_id)
            context = dm_context(
                server=guild.name if guild else None,
                statement=owed.subject.statement,
                reason="You chose to hear about this prediction by DM.",
            )
            await channel.send(
                f"{direct_message(owed.subject, owed.user_id)}\n{context}",
                embed=reminder_embed(owed.subject),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.HTTPException as error:
            log.info("Reminder DM to %s failed (%s): thread from now on", owed.user_id, error)
            return False
        except Exception:
            log.exception("Reminder DM to %s failed; not retried", owed.user_id)
        return True
