"""Everything the public prediction message is made of: embed and buttons, for any state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import discord

from bot.domain import web_visibility
from bot.domain.vocabulary import Status
from bot.rendering.components import inert_view
from bot.rendering.custom_ids import (
    FOLLOW_BUTTON,
    MY_VOTE_BUTTON,
    VOTE_BUTTON,
)
from bot.rendering.prediction_embed import prediction_embed
from bot.services.core.dto import PredictionInfo

REACTIONS_OFF_NOTE = "Reactions don't count here (forecasts are hidden): vote with the buttons."


def prediction_buttons(
    info: PredictionInfo, now: datetime, web_url: str | None = None
) -> discord.ui.View | None:
    """Vote while voting is open; My vote always (after resolution it shows the score);
    Follow until it is resolved; "View on the web" when the prediction has a public page. A
    cancelled prediction has none.

    No Resolve here: everyone would see it and only the author and moderators may use it.
    They get it privately (under My vote's answer, and on reminders); an old message's Resolve
    still answers a member who may not, privately, why."""
    if info.status == Status.CANCELLED:
        return None
    buttons: list[discord.ui.Button[discord.ui.View]] = []
    if info.voting_open(now):
        buttons.append(
            discord.ui.Button(
                custom_id=VOTE_BUTTON.custom_id(info.id),
                label="Vote",
                emoji="🗳️",
                style=discord.ButtonStyle.primary,
            )
        )
    buttons.append(
        discord.ui.Button(
            custom_id=MY_VOTE_BUTTON.custom_id(info.id),
            label="My vote",
            style=discord.ButtonStyle.secondary,
        )
    )
    if info.status == Status.OPEN:
        buttons.append(
            discord.ui.Button(
                custom_id=FOLLOW_BUTTON.custom_id(info.id),
                label="Follow",
                emoji="🔔",
                style=discord.ButtonStyle.secondary,
            )
        )
    if web_url is not None:
        buttons.append(discord.ui.Button(label="View on the web", url=web_url, emoji="🌐"))
    return inert_view(*buttons)


def message_parts(
    info: PredictionInfo,
    now: datetime,
    *,
    reactions_count: bool = True,
    public_url: str | None = None,
) -> dict[str, Any]:
    """Keyword arguments for ``send``/``edit``: the embed and, while voting is open, buttons.

    ``reactions_count``: whether keycap reactions vote here (:func:`bot.domain.rules.
    reactions_count`); when they do not, the footer says to use the buttons. ``public_url``:
    ``PUBLIC_URL``; the message links to its web page when the server is on the web and
    @everyone can read the channel.
    """
    note = None if reactions_count else REACTIONS_OFF_NOTE
    listed = info.server_on_web and web_visibility.prediction_listed(info.public_channel)
    web_url = web_visibility.prediction_url(public_url, info.guild_id, info.number)
    return {
        "embed": prediction_embed(info, now, reactions_note=note),
        "view": prediction_buttons(info, now, web_url if listed else None),
    }
