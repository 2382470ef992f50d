"""Handlers for the buttons on a prediction message: Vote, My vote, Follow.

Each is a :class:`discord.ui.DynamicItem` registered for a custom_id template
(:mod:`bot.rendering.custom_ids`), so a click works on any message, however old. The buttons
themselves are drawn by :mod:`bot.rendering.prediction_message`.
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.domain.errors import NotAllowed
from bot.domain.vocabulary import Status, Visibility
from bot.forecasting.probability import format_probability
from bot.rendering.components import inert_view
from bot.rendering.custom_ids import (
    FOLLOW_BUTTON,
    FOLLOW_SET_TEMPLATE,
    MY_VOTE_BUTTON,
    VOTE_BUTTON,
    PredictionComponent,
    follow_set_id,
)
from bot.rendering.limits import truncate
from bot.rendering.prediction_embed import forecast_text
from bot.rendering.replies import actor_of, guild_id_of, reply_ephemeral, reports_errors
from bot.rendering.resolution_buttons import resolve_menu_view
from bot.rendering.timestamps import discord_timestamp
from bot.rendering.words import command_mention, vote_source_label
from bot.runtime.client import augury
from cogs.voting.vote_form import vote_form


class _PredictionButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"$^"):
    """Shared plumbing: the prediction id from the custom_id, errors reported privately."""

    component: PredictionComponent

    def __init__(self, prediction_id: int) -> None:
        super().__init__(discord.ui.Button(custom_id=self.component.custom_id(prediction_id)))
        self.prediction_id = prediction_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> _PredictionButton:
        return cls(int(match["id"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        await self.handle(interaction)

    async def handle(self, interaction: discord.Interaction) -> None:
        raise NotImplementedError


class VoteButton(_PredictionButton, template=VOTE_BUTTON.template):
    """Opens the vote form, prefilled with the member's current vote."""

    component = VOTE_BUTTON

    async def handle(self, interaction: discord.Interaction) -> None:
        bot = augury(interaction)
        mine = await bot.services.votes.my_vote(
            guild_id_of(interaction), self.prediction_id, interaction.user.id
        )
        info = await bot.services.predictions.by_id(self.prediction_id)
        statement = info.statement if info is not None else ""
        modal = vote_form(mine.target.id, mine.target.number, mine.current, statement)
        await interaction.response.send_modal(modal)
        modal.stop()  # submits are routed by custom_id, also after a restart


class MyVoteButton(_PredictionButton, template=MY_VOTE_BUTTON.template):
    """The member's forecast and its history, privately."""

    component = MY_VOTE_BUTTON

    async def handle(self, interaction: discord.Interaction) -> None:
        bot = augury(interaction)
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        mine = await bot.services.votes.my_vote(guild_id, self.prediction_id, interaction.user.id)
        lines = [
            f"Your forecast on #{mine.target.number}: "
            + (f"**{format_probability(mine.current)}**" if mine.current else "none yet"),
        ]
        if mine.reason:
            lines.append(f"Your reason: {truncate(mine.reason, 1000)}")
        for when, permille, source in mine.history[-10:]:
            value = format_probability(permille) if permille is not None else "retracted"
            lines.append(f"• {discord_timestamp(when, 'f')}: {value} ({vote_source_label(source)})")
        if mine.target.status == Status.RESOLVED:
            if mine.brier is not None:
                lines.append(
                    f"Your Brier score on it: **{mine.brier:.3f}** (0 is perfect, 0.25 a coin "
                    "flip). **How did I do?** on the resolution post tells you more."
                )
            else:
                lines.append("Not scored (ambiguous, or you had no vote at the close).")
        elif not mine.target.voting_open(bot.clock.now()):
            lines.append("Voting has closed.")
        lines.append("You follow this prediction." if mine.following else "You don't follow it.")
        if mine.current is not None and mine.target.visibility == Visibility.HIDDEN_UNTIL_VOTE:
            info = await bot.services.predictions.by_id(self.prediction_id)
            if info is not None:
                lines.append("Community: " + forecast_text(info, show_votes=True))
        view = await resolve_for_manager(interaction, mine.target.id, mine.target.status)
        if view is not None:
            lines.append("You may resolve it: **Resolve** below.")
        await reply_ephemeral(interaction, "\n".join(lines), view=view)


async def resolve_for_manager(
    interaction: discord.Interaction, prediction_id: int, status: Status
) -> discord.ui.View | None:
    """The Resolve button, for the author and moderators only, while it is open (the public
    message has none: every member would see it)."""
    if status != Status.OPEN:
        return None
    try:
        await augury(interaction).services.resolution.can_resolve(
            guild_id_of(interaction), prediction_id, actor_of(interaction)
        )
    except NotAllowed:
        return None
    return resolve_menu_view(prediction_id)


def follow_state(prediction_id: int, number: int, following: bool) -> tuple[str, discord.ui.View]:
    """The member's own state, and the one button that changes it."""
    if following:
        text = (
            f"🔔 You follow #{number}: you're told when it falls due and when it resolves "
            f"(how: {command_mention('notifications')})."
        )
    else:
        text = f"🔕 You don't follow #{number}: no pings about it."
    switch = discord.ui.Button[discord.ui.View](
        label="Unfollow" if following else "Follow",
        emoji="🔕" if following else "🔔",
        style=discord.ButtonStyle.secondary if following else discord.ButtonStyle.primary,
        custom_id=follow_set_id(prediction_id, not following),
    )
    return text, inert_view(switch)


class FollowButton(_PredictionButton, template=FOLLOW_BUTTON.template):
    """🔔: the member's own state, privately, with a button to change it (no silent toggle)."""

    component = FOLLOW_BUTTON

    async def handle(self, interaction: discord.Interaction) -> None:
        mine = await augury(interaction).services.votes.my_vote(
            guild_id_of(interaction), self.prediction_id, interaction.user.id
        )
        text, view = follow_state(self.prediction_id, mine.target.number, mine.following)
        await reply_ephemeral(interaction, text, view=view)


class FollowSwitch(discord.ui.DynamicItem[discord.ui.Button[Any]], template=FOLLOW_SET_TEMPLATE):
    """Follow / Unfollow under the private answer: changes it and shows the new state."""

    def __init__(self, prediction_id: int, following: bool) -> None:
        super().__init__(discord.ui.Button(custom_id=follow_set_id(prediction_id, following)))
        self.prediction_id = prediction_id
        self.following = following

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> FollowSwitch:
        return cls(int(match["id"]), match["state"] == "on")

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = augury(interaction)
        guild_id = guild_id_of(interaction)
        following = await bot.services.votes.set_following(
            guild_id, self.prediction_id, interaction.user.id, self.following
        )
        target = await bot.services.votes.target_by_id(guild_id, self.prediction_id)
        text, view = follow_state(self.prediction_id, target.number, following)
        await interaction.response.edit_message(content=text, view=view)


PREDICTION_BUTTONS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    VoteButton,
    MyVoteButton,
    FollowButton,
    FollowSwitch,
)
