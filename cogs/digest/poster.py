"""Posts the weekly digests that are due: claimed in the database, so one process posts each.

Every ``REMINDER_POLL_SECONDS`` (the bot's background pace) it claims up to ``batch`` due
digests of this process's servers, builds each (a few queries), and posts it with no allowed
mentions. A channel that is gone or refuses the bot gives up that week (and says so in
``/augury digest``); another failure is retried shortly, still only on the digest's own day.
"""

from __future__ import annotations

import logging

import discord

from bot.runtime.client import AuguryBot
from bot.runtime.paced_sender import PacedSender
from bot.services.digest import DueDigest
from cogs.digest.embed import digest_embed

log = logging.getLogger(__name__)
BATCH = 5


class DigestPosterCog(PacedSender):
    """Drains the due digests; a test drives it with :meth:`run_once`."""

    def __init__(self, bot: AuguryBot, *, batch: int = BATCH) -> None:
        super().__init__(bot, "augury-digest", batch=batch, pace=bot.settings.reminder_poll_seconds)

    async def run_once(self) -> int:
        """Post what is due now; how many were handled."""
        service = self.bot.services.digest
        due = await service.claim_due(self.batch, self.bot.shards_run)
        for item in due:
            await self._post(item)
        return len(due)

    async def _post(self, due: DueDigest) -> None:
        service = self.bot.services.digest
        guild = self.bot.get_guild(due.guild_id)
        name = guild.name if guild is not None else "this server"
        digest = await service.build(due.guild_id)
        channel = self.bot.get_partial_messageable(due.channel_id, guild_id=due.guild_id)
        try:
            message = await channel.send(
                embed=digest_embed(digest, name), allowed_mentions=discord.AllowedMentions.none()
            )
        except (discord.Forbidden, discord.NotFound) as error:
            log.warning("Digest for guild %s not posted: %s", due.guild_id, error)
            await service.posted(
                due, None, "I could not post in the digest's channel (gone, or no permission)"
            )
            return
        except (discord.HTTPException, OSError) as error:
            log.warning("Digest for guild %s failed, retrying: %s", due.guild_id, error)
            await service.retry_later(due, "Discord did not take the post; trying again")
            return
        await service.posted(due, message.id)
        log.info("Posted the weekly digest of guild %s", due.guild_id)
