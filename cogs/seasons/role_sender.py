"""Earned roles, given and taken from their queue a few per second (Discord's rate limits).

Each batch is claimed in the database (:class:`bot.services.seasons.role_queue.RoleChangeQueue`)
before Discord is asked, so a restart resumes where the last batch stopped and two processes
never apply a change twice. A change Discord refuses for want of permission (no Manage Roles,
the role moved above the bot's) is reported to the moderators (``/augury season list``) and
logged; never a crash. A member who left, or a role deleted, makes the change moot.
"""

from __future__ import annotations

import logging

import discord

from bot.runtime.client import AuguryBot
from bot.runtime.paced_sender import PacedSender
from bot.services.seasons.role_queue import ClaimedChange

log = logging.getLogger(__name__)

#: Ten changes every four seconds (2.5 a second, under Discord's per-server limit on member
#: updates, with room for the rest of the bot): 5,000 members in about 33 minutes.
ROLE_BATCH = 10
ROLE_PACE_SECONDS = 4.0
UNKNOWN_MEMBER = 10007
UNKNOWN_ROLE = 10011
REASON = "Augury earned roles"


def refused_text(change: ClaimedChange, error: discord.Forbidden) -> str:
    verb = "give" if change.add else "take back"
    return (
        f"Discord refused to {verb} <@&{change.role_id}> ({error.text or 'Missing Permissions'}): "
        "give Augury the Manage Roles permission and drag its role above this one."
    )


class RoleSenderCog(PacedSender):
    """Drains the role-change queue, paced; a test drives it with :meth:`run_once`."""

    def __init__(
        self, bot: AuguryBot, *, batch: int = ROLE_BATCH, pace: float = ROLE_PACE_SECONDS
    ) -> None:
        super().__init__(bot, "augury-earned-roles", batch=batch, pace=pace)

    async def run_once(self) -> int:
        queue = self.bot.services.role_changes
        claimed = await queue.claim(self.batch, shards=self.bot.shards_run)
        done: list[ClaimedChange] = []
        for change in claimed:
            try:
                if change.add:
                    await self.bot.http.add_role(
                        change.guild_id, change.user_id, change.role_id, reason=REASON
                    )
                else:
                    await self.bot.http.remove_role(
                        change.guild_id, change.user_id, change.role_id, reason=REASON
                    )
            except discord.Forbidden as error:
                problem = refused_text(change, error)
                log.warning(
                    "Earned role %s in guild %s refused: %s", change.role_id, change.guild_id, error
                )
                await queue.refused(change, problem)
                continue
            except discord.NotFound as error:
                if error.code == UNKNOWN_ROLE:
                    await queue.refused(
                        change,
                        f"The role <@&{change.role_id}> no longer exists: clear it with "
                        "`/augury season roles`.",
                    )
                    continue
                log.info("Earned role change %s is moot: %s", change.id, error)
            except discord.HTTPException as error:
                # Discord's trouble (5xx after retries): the claim expires and it is tried again.
                log.warning("Earned role change %s failed, retried later: %s", change.id, error)
                continue
            done.append(change)
        await queue.done(done)
        return len(claimed)
