"""Yes / No / Ambiguous buttons (on reminders), and for other kinds a select of the question's
outcomes or a form: shapes only; the resolution feature handles them."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.domain.option_limits import NOTE_MAX, OUTCOME_TEXT_MAX
from bot.domain.vocabulary import YES_NO_OUTCOMES, Outcome
from bot.rendering.components import inert_view
from bot.rendering.custom_ids import (
    DISPUTE_BUTTON,
    HOW_DID_I_DO_BUTTON,
    RESOLVE_CANCEL,
    RESOLVE_FORM,
    RESOLVE_FORM_NOTE,
    RESOLVE_FORM_OUTCOME,
    RESOLVE_MENU_BUTTON,
    RESOLVE_PICK,
    resolve_button_id,
    resolve_confirm_id,
)
from bot.rendering.limits import truncate
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
    """On the resolution post: each member's result, privately; and Dispute (issue 21), which
    the disputes feature answers with its form."""
    return inert_view(
        discord.ui.Button(
            label="How did I do?",
            emoji="🎯",
            style=discord.ButtonStyle.primary,
            custom_id=HOW_DID_I_DO_BUTTON.custom_id(prediction_id),
        ),
        discord.ui.Button(
            label="Dispute",
            emoji="⚖️",
            style=discord.ButtonStyle.secondary,
            custom_id=DISPUTE_BUTTON.custom_id(prediction_id),
        ),
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


#: The last choice of every outcome select: annulling is every kind's.
AMBIGUOUS_CHOICE = ("AMBIGUOUS (not scored)", Outcome.AMBIGUOUS.value)
SELECT_OPTIONS = 25  # Discord's limit on a select's options


def outcome_select(prediction_id: int, choices: Sequence[tuple[str, str]]) -> discord.ui.View:
    """A question's own outcomes (multiple choice: its options) and AMBIGUOUS, to pick one."""
    shown = [*choices[: SELECT_OPTIONS - 1], AMBIGUOUS_CHOICE]
    select = discord.ui.Select[discord.ui.View](
        custom_id=RESOLVE_PICK.custom_id(prediction_id),
        placeholder="Choose what happened",
        options=[
            discord.SelectOption(label=truncate(label, 100), value=value[:100])
            for label, value in shown
        ],
    )
    return inert_view(select)


def outcome_form(prediction_id: int, number: int, hint: str) -> discord.ui.Modal:
    """The outcome typed (a number, a date), or ``ambiguous``; routed by custom_id."""
    modal = discord.ui.Modal(
        title=f"Resolve #{number}",
        custom_id=RESOLVE_FORM.custom_id(prediction_id),
        timeout=None,
    )
    modal.add_item(
        discord.ui.TextInput(
            label="What happened?",
            custom_id=RESOLVE_FORM_OUTCOME,
            placeholder=truncate(f"{hint}, or ambiguous (not scored)", 100),
            max_length=OUTCOME_TEXT_MAX,
        )
    )
    modal.add_item(
        discord.ui.TextInput(
            label="A short explanation (optional)",
            custom_id=RESOLVE_FORM_NOTE,
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=NOTE_MAX,
        )
    )
    modal.stop()
    return modal
