"""Members learn how they did: the "How did I do?" button, and result DMs, paced.

The button answers each member privately. Members who chose DMs in /notifications were queued
when the prediction resolved
(:meth:`bot.services.track_record.results.ResultsService.enqueue`); the sender here drains
that queue ``BATCH`` DMs per ``PACE_SECONDS`` cycle, so a 5,000-voter prediction
never opens thousands of DM channels at once, and (the queue being in the database) a restart
neither loses nor repeats one. A closed DM is given up at once and remembered (those members
are mentioned in the thread from then on).
"""

from __future__ import annotations

import logging
import re
from typing import Any

import discord

from bot.domain.vocabulary import Outcome, Status
from bot.forecasting.probability import format_probability
from bot.rendering.custom_ids import HOW_DID_I_DO_BUTTON
from bot.rendering.direct_messages import dm_context
from bot.rendering.links import jump_url
from bot.rendering.prediction_embed import outcome_label
from bot.rendering.replies import guild_id_of, reply_ephemeral, reports_errors
from bot.rendering.words import plural
from bot.runtime.client import AuguryBot, augury
from bot.runtime.cooldowns import check_cooldown
from bot.runtime.paced_sender import BATCH, PACE_SECONDS, PacedSender
from bot.services.track_record.results import MyResult

log = logging.getLogger(__name__)

#: Each click reads the leaderboard for the member's standing: bounded per member.
HOW_DID_I_DO_RATE, HOW_DID_I_DO_PER = 5, 60.0


def _against(mine: float, community: float) -> str:
    """Brier scores as shown (3 decimals): equal when they read the same."""
    if round(mine, 3) == round(community, 3):
        return "the same as"
    return "better than" if mine < community else "worse than"


def result_text(result: MyResult) -> str:
    """What a member reads about their forecast on one resolved prediction."""
    r = result
    if r.status != Status.RESOLVED:
        return f"#{r.number} is not resolved (any more): there is no result to show yet."
    lines = [f"🎯 **#{r.number} resolved {outcome_label(r.outcome)}**"]
    community = (
        f"the community said **{format_probability(round(r.community_permille))}**"
        if r.community_permille is not None
        else "the community had no forecast"
    )
    if r.permille is None:
        lines.append(f"You didn't vote on it; {community}.")
    elif r.withdrawn:
        lines.append(
            f"You said **{format_probability(r.permille)}**, then withdrew it before the "
            f"close: it is scored for the time it stood; {community}."
        )
    else:
        lines.append(f"You said **{format_probability(r.permille)}**; {community}.")
    if r.outcome == Outcome.AMBIGUOUS:
        lines.append("Ambiguous predictions are not scored.")
    elif r.brier is not None:
        line = f"Your Brier score here: **{r.brier:.3f}** (0 is perfect, 0.25 a coin flip)"
        if r.community_brier is not None:
            line += f", {_against(r.brier, r.community_brier)} the community's "
            line += f"{r.community_brier:.3f}"
        lines.append(line + ".")
    if r.mean_brier is not None:
        standing = (
            f"Overall: {plural(r.resolved, 'scored forecast')}, mean Brier {r.mean_brier:.3f}"
        )
        if r.rank is not None:
            # The leaderboard's own order (its default): named, so no one reads it as by Brier.
            standing += f" · #{r.rank} of {r.ranked} on the leaderboard by relative score"
        lines.append(standing + ".")
    return "\n".join(lines)


class HowDidIDoButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=HOW_DID_I_DO_BUTTON.template
):
    """On the resolution post: the member's own result, privately."""

    def __init__(self, prediction_id: int) -> None:
        super().__init__(discord.ui.Button(custom_id=HOW_DID_I_DO_BUTTON.custom_id(prediction_id)))
        self.prediction_id = prediction_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> HowDidIDoButton:
        return cls(int(match["id"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = augury(interaction)
        guild_id = guild_id_of(interaction)
        check_cooldown(interaction, "how did i do", HOW_DID_I_DO_RATE, HOW_DID_I_DO_PER)
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await bot.services.results.my_result(
            guild_id, self.prediction_id, interaction.user.id
        )
        await reply_ephemeral(interaction, result_text(result))


class ResultSenderCog(PacedSender):
    """Drains the result-DM queue, paced; a test drives it with :meth:`run_once`."""

    def __init__(self, bot: AuguryBot, *, batch: int = BATCH, pace: float = PACE_SECONDS) -> None:
        super().__init__(bot, "augury-result-dms", batch=batch, pace=pace)

    async def run_once(self) -> int:
        """Send at most ``batch`` queued result DMs; returns how many were handled."""
        queued = await self.bot.services.results.queued(self.batch, self.bot.shards_run)
        done: list[tuple[int, int]] = []
        failed: list[int] = []
        for owed in queued:
            prediction_id, guild_id, user_id = owed.prediction_id, owed.guild_id, owed.user_id
            done.append((prediction_id, user_id))
            if not owed.wanted:  # muted, or results turned off, since it was queued
                continue
            try:
                result = await self.bot.services.results.my_result(guild_id, prediction_id, user_id)
                channel = await self.bot.create_dm(discord.Object(id=user_id))
                await channel.send(
                    f"{result_text(result)}\n{await self._context(prediction_id)}",
                    allowed_mentions=discord.AllowedMentions.none(),
                )
            except discord.HTTPException as error:
                log.info("Result DM to %s failed (%s); not retried", user_id, error)
                failed.append(user_id)
            except Exception:
                log.exception("Result DM to %s failed; not retried", user_id)
        await self.bot.services.results.sent(done)
        if failed:
            await self.bot.services.notifications.dm_failed(failed)
        return len(done)

    async def _context(self, prediction_id: int) -> str:
        """The server, the statement and the link: a DM is read out of context."""
        info = await self.bot.services.predictions.by_id(prediction_id)
        reason = "You chose to get your results by DM."
        if info is None:
            return dm_context(server=None, reason=reason)
        guild = self.bot.get_guild(info.guild_id)
        return dm_context(
            server=guild.name if guild else None,
            statement=info.statement,
            link=jump_url(info.guild_id, info.channel_id, info.message_id),
            reason=reason,
        )
