"""How each question kind looks on Discord, looked up by the kind's name.

The services and the domain never branch on a kind; neither does the rest of rendering and the
cogs: they ask this registry. A kind's rendering says its community forecast in the
prediction's embed (once there are votes and they may be shown), how the vote form asks for a
forecast, which outcomes a resolver picks from, and whether keycap reactions vote on it. A new
kind adds a module here and one registration line at the bottom of this file; a kind without
one is shown through its own words (``describe_forecast``), so nothing breaks meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.domain.kinds import AnyKind
from bot.domain.option_limits import FORECAST_TEXT_MAX
from bot.rendering.custom_ids import VOTE_BUTTON, PredictionComponent
from bot.services.core.dto import PredictionInfo

__all__ = [
    "KindRendering",
    "OutcomeChoice",
    "ReadForecast",
    "choice_label",
    "community_text",
    "forecasters",
    "forget_rendering",
    "register_rendering",
    "rendering_for",
]

#: ``(label shown to the resolver, value typed into /resolve)``, e.g. ``("YES", "yes")``.
OutcomeChoice = tuple[str, str]


def _described(info: PredictionInfo, kind: AnyKind) -> str:
    """A kind without a renderer of its own: its pooled forecast in its own words."""
    pooled = info.community.pooled
    shown = kind.describe_forecast(pooled) if pooled is not None else "—"
    return f"**{shown}** · {forecasters(info.community.count)}"


def _nothing(kind: AnyKind) -> str | None:
    return None


def _no_choices(kind: AnyKind) -> Sequence[OutcomeChoice]:
    return ()


def _parsed(kind: AnyKind, text: str) -> ReadForecast:
    return ReadForecast(kind.parse_forecast(text))


def _in_words(kind: AnyKind, forecast: object) -> str:
    return kind.describe_forecast(forecast)


@dataclass(frozen=True)
class ReadForecast:
    """A typed forecast read by its kind, and what to tell the member about the reading
    (yes/no: "0 counts as 1 %")."""

    forecast: object
    note: str | None = None


@dataclass(frozen=True)
class KindRendering:
    """Everything Discord-facing that differs between kinds (defaults fit any kind)."""

    #: How members call it where they choose a kind (a choice of /predict, a button), with
    #: what a forecast is: "Multiple choice: 2–10 options, separated by |". Empty: the title.
    choice_label: str = ""
    #: The community forecast as the embed shows it, when there are votes and they are shown.
    community: Callable[[PredictionInfo, AnyKind], str] = _described
    #: A forecast as typed in /vote or the vote form, read by the kind.
    read_forecast: Callable[[AnyKind, str], ReadForecast] = _parsed
    #: A member's current forecast as the vote form is prefilled with it (read back by
    #: ``read_forecast``).
    prefill: Callable[[AnyKind, object], str] = _in_words
    #: What a first vote's form is prefilled with (a template to edit), if anything.
    starter: Callable[[AnyKind], str | None] = field(default=_nothing)
    #: The vote form's field: its label (at most 45 characters), an example, its length.
    forecast_label: str = "Your forecast"
    forecast_placeholder: str = ""
    forecast_max_length: int = FORECAST_TEXT_MAX
    #: The outcomes a resolver picks from (the question's own; AMBIGUOUS is always added).
    outcome_choices: Callable[[AnyKind], Sequence[OutcomeChoice]] = field(default=_no_choices)
    #: How to give an outcome when there is no list to pick from (autocomplete, the form).
    outcome_hint: str = "Type what happened"
    #: Resolved with the YES / NO / AMBIGUOUS buttons (yes/no); otherwise a select of
    #: ``outcome_choices`` or, without choices, a form (reminders too: the buttons, or the
    #: message's **Resolve** menu).
    outcome_buttons: bool = False
    #: What a reminder at the resolution date asks ("Did it come true?" for yes/no).
    reminder_question: str = "What was the answer?"
    #: Whether keycap reactions (0️⃣ … 🔟, a probability) vote on it: yes/no only.
    keycaps: bool = False
    #: The message's voting button: its component (whose handler opens the kind's form),
    #: label and emoji.
    vote_button: tuple[PredictionComponent, str, str] = (VOTE_BUTTON, "Vote", "🗳️")
    #: The footer's line on how to vote, while voting is open.
    how_to_vote: str = "Vote with the 🗳️ Vote button or `/vote`."


_RENDERINGS: dict[str, KindRendering] = {}
_DEFAULT = KindRendering()


def register_rendering(kind_name: str, rendering: KindRendering) -> KindRendering:
    """Show questions of ``kind_name`` with ``rendering`` (a module here registers on import)."""
    _RENDERINGS[kind_name] = rendering
    return rendering


def forget_rendering(kind_name: str) -> None:
    """Drop a kind's rendering (tests that sketch a kind of their own clean up with this)."""
    if kind_name != "yes_no":
        _RENDERINGS.pop(kind_name, None)


def rendering_for(kind_name: str | None) -> KindRendering:
    """The rendering of a kind (``None``: yes/no, the kind of rows made before kinds)."""
    if kind_name is None:
        kind_name = "yes_no"
    return _RENDERINGS.get(kind_name, _DEFAULT)


def forecasters(count: int) -> str:
    """``1 forecaster``, ``2 forecasters``."""
    return f"{count} forecaster" if count == 1 else f"{count} forecasters"


def choice_label(kind: AnyKind) -> str:
    """How members call ``kind`` where they choose one (at most 100 characters)."""
    label = rendering_for(kind.name).choice_label or kind.title.capitalize()
    return label[:100]


def community_text(info: PredictionInfo, kind: Any) -> str:
    """The community forecast of ``info`` (votes present and shown), said by its kind."""
    return rendering_for(info.kind).community(info, kind)


# Each kind's rendering registers itself on import (keep these at the bottom).
from bot.rendering.community import multiple_choice as _multiple_choice  # noqa: E402,F401
from bot.rendering.community import ranges as _ranges  # noqa: E402,F401
from bot.rendering.community import yes_no as _yes_no  # noqa: E402,F401
