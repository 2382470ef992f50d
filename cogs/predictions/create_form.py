"""The create form, for any question kind, and the choice of kind that comes before it.

A Discord form holds at most five text fields, and each kind asks for different ones (a
multiple-choice question its options, a numeric one its range), so "Track as prediction" first
asks privately what kind of question it is (one button per kind, yes/no first), then opens that
kind's form: statement, resolution date, the kind's setup fields, the author's own forecast and
details, as many as fit (details go first, then the forecast: ``/predict`` takes them all).

The form's custom_id carries the source message, the claimant and (for a kind other than
yes/no) the kind, so a form opened before a restart still submits after it. The choice of kind
lives in memory for 15 minutes, like every private follow-up that keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import discord

from bot.domain import option_limits as limit
from bot.domain.kinds import DEFAULT_KIND, AnyKind, kind_for, kinds
from bot.domain.text import STATEMENT_MAX
from bot.rendering.community import choice_label, rendering_for
from bot.rendering.components import submitted_values
from bot.rendering.custom_ids import (
    CREATE_FORM_DETAILS,
    CREATE_FORM_PROBABILITY,
    CREATE_FORM_RESOLVES,
    CREATE_FORM_STATEMENT,
    create_form_id,
    create_kind_form_id,
)
from bot.rendering.limits import MODAL_TITLE, TEXT_INPUT, truncate
from bot.services.predictions.service import NewPrediction

DATE_HINT = "e.g. 2027-06-30, in 3 months, next friday 17:00, end of 2027"
#: Discord's limit on a form's text fields.
FORM_FIELDS = 5
#: A kind's setup fields as the form asks for them: label (≤ 45 characters), example, length.
SETUP_INPUTS: Mapping[str, tuple[str, str, int]] = {
    "options": (
        "Options, separated by |",
        "e.g. OpenAI | Anthropic | Google | Other (2 to 10)",
        limit.OPTIONS_TEXT_MAX,
    ),
    "low": ("Lowest value (a date: the earliest)", "e.g. 0, or 2027-01-01", limit.RANGE_END_MAX),
    "high": ("Highest value (a date: the latest)", "e.g. 100, or 2027-12-31", limit.RANGE_END_MAX),
    "unit": ("Unit (optional)", "e.g. seats, km, °C", limit.UNIT_MAX),
    "open_ends": (
        "Open ends: neither, low, high or both",
        "May the answer fall outside the range? (default: neither)",
        10,
    ),
}


def _setup_input(name: str, value: str | None) -> discord.ui.TextInput[Any]:
    label, example, length = SETUP_INPUTS.get(name, (name.replace("_", " ").capitalize(), "", 100))
    return discord.ui.TextInput(
        label=label,
        custom_id=name,
        placeholder=example or None,
        default=truncate(value, length) if value else None,
        required=False,  # the kind says what is missing, and how to fix it
        max_length=length,
        style=discord.TextStyle.paragraph if length > 100 else discord.TextStyle.short,
    )


def form_inputs(
    statement: str,
    resolves: str,
    probability: str | None = None,
    details: str | None = None,
    *,
    kind: AnyKind | None = None,
    kind_fields: Mapping[str, str] | None = None,
) -> list[discord.ui.TextInput[Any]]:
    """The create form's fields for ``kind`` (yes/no by default), prefilled; their custom_ids
    let a submit be read anywhere."""
    kind = kind or kind_for(DEFAULT_KIND)
    fields = kind_fields or {}
    shown = rendering_for(kind.name)
    long_statement = len(statement) > STATEMENT_MAX
    required = [
        discord.ui.TextInput(
            label="Statement",
            custom_id=CREATE_FORM_STATEMENT,
            default=truncate(" ".join(statement.split()), STATEMENT_MAX) or None,
            max_length=STATEMENT_MAX,
        ),
        discord.ui.TextInput(
            label="Resolution date",
            custom_id=CREATE_FORM_RESOLVES,
            default=resolves or None,
            placeholder=None if resolves else f"No date found in the message: {DATE_HINT}",
            max_length=limit.DATE_PHRASE_MAX,
        ),
        *(_setup_input(name, fields.get(name)) for name in kind.spec_fields),
    ]
    forecast = discord.ui.TextInput[Any](
        label="Your forecast (optional)",
        custom_id=CREATE_FORM_PROBABILITY,
        placeholder=truncate(
            "1–99 %, e.g. 70" if shown.keycaps else shown.forecast_placeholder, 100
        )
        or None,
        default=probability or None,
        required=False,
        max_length=shown.forecast_max_length,
    )
    more = discord.ui.TextInput[Any](
        label="Details (optional)",
        custom_id=CREATE_FORM_DETAILS,
        style=discord.TextStyle.paragraph,
        default=details or (truncate(statement.strip(), TEXT_INPUT) if long_statement else None),
        required=False,
        max_length=TEXT_INPUT,
    )
    return [*required, forecast, more][:FORM_FIELDS]


def from_form(
    interaction: discord.Interaction, guild_id: int, kind: str = DEFAULT_KIND, **extra: Any
) -> NewPrediction:
    """What the member submitted in a create form, unparsed (the service validates)."""
    values = submitted_values(interaction.data)
    setup = kind_for(kind).spec_fields
    return NewPrediction(
        guild_id=guild_id,
        author_id=interaction.user.id,
        statement=values.get(CREATE_FORM_STATEMENT, ""),
        resolves=values.get(CREATE_FORM_RESOLVES, ""),
        probability=values.get(CREATE_FORM_PROBABILITY) or None,
        details=values.get(CREATE_FORM_DETAILS) or None,
        channel_id=interaction.channel_id,
        kind=kind,
        kind_fields={name: values[name] for name in setup if values.get(name, "").strip()},
        **extra,
    )


def create_form(
    *,
    statement: str,
    resolves: str,
    channel_id: int,
    message_id: int,
    claimant_id: int | None = None,
    kind: str = DEFAULT_KIND,
) -> discord.ui.Modal:
    """The create form behind "Track as prediction", prefilled from the message.

    Stopped once sent: its submit is routed by custom_id (``PredictCog.on_interaction``),
    which carries the source message, the claimant (the message's author) and the kind, and
    everything else is rebuilt from the submitted values, so it survives a restart.
    """
    custom_id = (
        create_form_id(channel_id, message_id, claimant_id)
        if kind == DEFAULT_KIND
        else create_kind_form_id(kind, channel_id, message_id, claimant_id)
    )
    chosen = kind_for(kind)
    title = "Track as prediction" if kind == DEFAULT_KIND else f"Track as {chosen.title} question"
    modal = discord.ui.Modal(title=truncate(title, MODAL_TITLE), custom_id=custom_id, timeout=None)
    for item in form_inputs(statement, resolves, kind=chosen):
        modal.add_item(item)
    modal.stop()
    return modal


class KindChooser(discord.ui.View):
    """ "What kind of question is it?": one button per kind, each opening that kind's form with
    what was found in the message."""

    def __init__(self, **form: Any) -> None:
        super().__init__(timeout=900)
        for index, kind in enumerate(kinds()):
            button = discord.ui.Button[KindChooser](
                label=truncate(choice_label(kind).split(":")[0], 80),
                style=discord.ButtonStyle.primary if index == 0 else discord.ButtonStyle.secondary,
            )
            button.callback = self._opener(kind.name, form)  # type: ignore[method-assign]
            self.add_item(button)

    @staticmethod
    def _opener(kind: str, form: dict[str, Any]) -> Any:
        async def open_form(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(create_form(kind=kind, **form))

        return open_form


KIND_QUESTION = "What kind of question is it? Each button opens a form with the message's text."
