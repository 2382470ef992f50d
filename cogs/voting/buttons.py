"""Handlers for the buttons on a prediction message: Vote, My vote, Follow.

Each is a :class:`discord.ui.DynamicItem` registered for a custom_id template
(:mod:`bot.rendering.custom_ids`), so a click works on any message, however old. The buttons
themselves are drawn by :mod:`bot.rendering.prediction_message`.
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.domain.vocabulary import Visibility
from bot.forecasting.probability import format_probability
from bot.rendering.custom_ids import (
    FOLLOW_BUTTON,
    MY_VOTE_BUTTON,
    VOTE_BUTTON,
    PredictionComponent,
)
from bot.rendering.prediction_embed import forecast_text
from bot.rendering.replies import guild_id_of, reply_ephemeral, reports_errors
from bot.rendering.timestamps import discord_timestamp
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
        modal = vote_form(mine.target.id, mine.target.number, mine.current)
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
        for when, permille, source in mine.history[-10:]:
            value = format_probability(permille) if permille is not None else "retracted"
            lines.append(f"• {discord_timestamp(when, 'f')}: {value} ({source})")
        lines.append("You follow this prediction." if mine.following else "You don't follow it.")
        if mine.current is not None and mine.target.visibility == Visibility.HIDDEN_UNTIL_VOTE:
            info = await bot.services.predictions.by_id(self.prediction_id)
            if info is not None:
                lines.append("Community: " + forecast_text(info, show_votes=True))
        await reply_ephemeral(interaction, "\n".join(lines))


class FollowButton(_PredictionButton, template=FOLLOW_BUTTON.template):
    """Toggles following: pinged when the prediction is due and resolved."""

    component = FOLLOW_BUTTON

    async def handle(self, interaction: discord.Interaction) -> None:
        following = await augury(interaction).services.votes.set_following(
            guild_id_of(interaction), self.prediction_id, interaction.user.id
        )
        await reply_ephemeral(
            interaction,
            "🔔 You now follow this prediction: you'll be pinged when it is due and resolved."
            if following
            else "🔕 You no longer follow this prediction.",
        )


PREDICTION_BUTTONS: tuple[type[_PredictionButton], ...] = (VoteButton, MyVoteButton, FollowButton)
