"""Yes / No / Ambiguous buttons (on reminders): shapes only; the resolution feature handles them."""

from __future__ import annotations

import discord

from bot.domain.vocabulary import YES_NO_OUTCOMES, Outcome
from bot.rendering.components import inert_view
from bot.rendering.custom_ids import (
    HOW_DID_I_DO_BUTTON,
    RESOLVE_CANCEL,
    RESOLVE_MENU_BUTTON,
    resolve_button_id,
    resolve_confirm_id,
)
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
    return inert_view(*(resolve_button(prediction_id, outcome) for outcome in YES_NO_OUTCOMES))


def confirm_buttons(prediction_id: int, outcomes: tuple[Outcome, ...]) -> discord.ui.View:
    """The private step before a resolution: one Confirm per offered outcome, and Cancel."""
    buttons = [
        discord.ui.Button[discord.ui.View](
            label=f"Resolve {outcome.value.upper()}" if len(outcomes) > 1 else "Confirm",
            emoji=OUTCOME_EMOJI[outcome],
            style=STYLES[outcome],
            custom_id=resolve_confirm_id(prediction_id, outcome),
        )
        for outcome in outcomes
    ]
    buttons.append(
        discord.ui.Button(
            label="Cancel",
            style=discord.ButtonStyle.secondary,
            custom_id=RESOLVE_CANCEL.custom_id(prediction_id),
        )
    )
    return inert_view(*buttons)


def how_did_i_do_view(prediction_id: int) -> discord.ui.View:
    """On the resolution post: each member's result, privately."""
    return inert_view(
        discord.ui.Button(
            label="How did I do?",
            emoji="🎯",
            style=discord.ButtonStyle.primary,
            custom_id=HOW_DID_I_DO_BUTTON.custom_id(prediction_id),
        )
    )


def resolve_menu_view(prediction_id: int) -> discord.ui.View:
    """Resolve, shown only to those who may use it (privately): the choice comes next."""
    return inert_view(
        discord.ui.Button(
            custom_id=RESOLVE_MENU_BUTTON.custom_id(prediction_id),
            label="Resolve",
            emoji="⚖️",
            style=discord.ButtonStyle.secondary,
        )
    )
