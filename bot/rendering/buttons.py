"""The persistent buttons on a prediction message.

Each is a :class:`discord.ui.DynamicItem` whose custom_id carries the prediction id, so a click
works on any message, whichever process posted it and however long ago. The vote modal is
handled the same way (see :mod:`cogs.voting`): by custom_id, never by an in-memory object.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

import discord

from bot.dates import format_discord_timestamp as ts
from bot.probability import format_probability
from bot.rendering.embeds import forecast_text
from bot.rendering.replies import guild_id_of, reply_ephemeral, report_error
from bot.services.dto import PredictionInfo

if TYPE_CHECKING:
    from bot.client import AuguryBot

VOTE_MODAL_PREFIX = "augury:vote-modal:"
VOTE_MODAL_ID = re.compile(r"^augury:vote-modal:(?P<id>[0-9]+)$")
VOTE_INPUT_ID = "probability"


def _bot(interaction: discord.Interaction) -> AuguryBot:
    from bot.client import AuguryBot

    assert isinstance(interaction.client, AuguryBot)
    return interaction.client


class _PredictionButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"$^"):
    """Shared plumbing: parse the id, report errors the same way as commands."""

    prefix = ""

    def __init__(self, prediction_id: int, **button: Any) -> None:
        super().__init__(discord.ui.Button(custom_id=f"{self.prefix}{prediction_id}", **button))
        self.prediction_id = prediction_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> _PredictionButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await self.handle(interaction)
        except Exception as error:
            await report_error(interaction, error)

    async def handle(self, interaction: discord.Interaction) -> None:
        raise NotImplementedError


class VoteButton(_PredictionButton, template=r"^augury:vote:(?P<id>[0-9]+)$"):
    prefix = "augury:vote:"

    def __init__(self, prediction_id: int) -> None:
        super().__init__(prediction_id, label="Vote", emoji="🗳️", style=discord.ButtonStyle.primary)

    async def handle(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        mine = await bot.services.votes.my_vote(
            guild_id_of(interaction), self.prediction_id, interaction.user.id
        )
        modal = vote_modal(mine.target.id, mine.target.number, mine.current)
        await interaction.response.send_modal(modal)
        modal.stop()  # submits are routed by custom_id, also after a restart


class MyVoteButton(_PredictionButton, template=r"^augury:myvote:(?P<id>[0-9]+)$"):
    prefix = "augury:myvote:"

    def __init__(self, prediction_id: int) -> None:
        super().__init__(prediction_id, label="My vote", style=discord.ButtonStyle.secondary)

    async def handle(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        mine = await bot.services.votes.my_vote(guild_id, self.prediction_id, interaction.user.id)
        lines = [
            f"Your forecast on #{mine.target.number}: "
            + (f"**{format_probability(mine.current)}**" if mine.current else "none yet"),
        ]
        for when, permille, source in mine.history[-10:]:
            value = format_probability(permille) if permille is not None else "retracted"
            lines.append(f"• {ts(when, 'f')}: {value} ({source})")
        lines.append("You follow this prediction." if mine.following else "You don't follow it.")
        if mine.current is not None and mine.target.visibility == "hidden_until_vote":
            info = await bot.services.predictions.by_id(self.prediction_id)
            if info is not None:
                lines.append("Community: " + forecast_text(info, show_votes=True))
        await reply_ephemeral(interaction, "\n".join(lines))


class FollowButton(_PredictionButton, template=r"^augury:follow:(?P<id>[0-9]+)$"):
    prefix = "augury:follow:"

    def __init__(self, prediction_id: int) -> None:
        super().__init__(
            prediction_id, label="Follow", emoji="🔔", style=discord.ButtonStyle.secondary
        )

    async def handle(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        following = await bot.services.votes.set_following(
            guild_id_of(interaction), self.prediction_id, interaction.user.id
        )
        await reply_ephemeral(
            interaction,
            "🔔 You now follow this prediction: you'll be pinged when it is due and resolved."
            if following
            else "🔕 You no longer follow this prediction.",
        )


PERSISTENT_ITEMS: tuple[type[_PredictionButton], ...] = (VoteButton, MyVoteButton, FollowButton)


def prediction_view(info: PredictionInfo, now: datetime) -> discord.ui.View | None:
    """Buttons while voting is open; none once it is closed, resolved or cancelled."""
    if info.is_closed(now):
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(VoteButton(info.id))
    view.add_item(MyVoteButton(info.id))
    view.add_item(FollowButton(info.id))
    return view


def vote_modal(prediction_id: int, number: int, current: int | None) -> discord.ui.Modal:
    modal = discord.ui.Modal(
        title=f"Vote on #{number}", custom_id=f"{VOTE_MODAL_PREFIX}{prediction_id}", timeout=None
    )
    modal.add_item(
        discord.ui.TextInput(
            label="How likely is it? (1–99 %)",
            custom_id=VOTE_INPUT_ID,
            placeholder="e.g. 70, 70% or 0.7",
            default=format_probability(current).rstrip("%") if current else None,
            max_length=10,
        )
    )
    return modal


def modal_values(data: Any) -> dict[str, str]:
    """custom_id → value of every text input in a modal submit, in either layout."""
    values: dict[str, str] = {}

    def walk(components: Any) -> None:
        for component in components or ():
            if "value" in component and "custom_id" in component:
                values[component["custom_id"]] = component["value"]
            walk(component.get("components"))
            if isinstance(component.get("component"), dict):
                walk([component["component"]])

    walk((data or {}).get("components"))
    return values
