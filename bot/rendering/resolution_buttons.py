"""Yes / No / Ambiguous buttons (on reminders): shapes only; the resolution feature handles them."""

from __future__ import annotations

import discord

from bot.domain.vocabulary import Outcome
from bot.rendering.components import inert_view
from bot.rendering.custom_ids import resolve_button_id
from bot.rendering.prediction_embed import OUTCOME_EMOJI

STYLES = {
    Outcome.YES: discord.ButtonStyle.success,
    Outcome.NO: discord.ButtonStyle.danger,
    Outcome.AMBIGUOUS: discord.ButtonStyle.secondary,
}


def resolve_button(prediction_id: int, outcome: Outcome) -> discord.ui.Button[discord.ui.View]:
    return discord.ui.Button(
        label=outcome.value.title(),
        emoji=OUTCOME_EMOJI[outcome],
        style=STYLES[outcome],
        custom_id=resolve_button_id(prediction_id, outcome),
    )


def resolution_buttons(prediction_id: int) -> discord.ui.View:
    return inert_view(*(resolve_button(prediction_id, outcome) for outcome in Outcome))
