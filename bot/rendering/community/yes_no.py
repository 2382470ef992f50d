"""Yes/no on Discord: the median and its spread of votes, YES/NO/AMBIGUOUS, keycap votes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from bot.domain.kinds import YES_NO, AnyKind
from bot.domain.option_limits import PROBABILITY_TEXT_MAX
from bot.forecasting.aggregation import sparkline
from bot.forecasting.probability import format_probability, read_probability
from bot.rendering.community import (
    KindRendering,
    OutcomeChoice,
    ReadForecast,
    forecasters,
    register_rendering,
)
from bot.rendering.limits import EMBED_FIELD_VALUE, truncate
from bot.services.core.dto import PredictionInfo

KEYCAP_HELP = (
    "React 0️⃣ 1️⃣ … 9️⃣ 🔟 to vote 0 %, 10 % … 90 %, 100 % "
    "(the ends count as 1 % and 99 %: nothing is certain)."
)


def community(info: PredictionInfo, kind: AnyKind) -> str:
    """One headline number (the median); the geometric mean of odds is a detail below it."""
    community = info.community
    median = community.median if community.median is not None else 0.0
    lines = [
        f"**{format_probability(round(median))}** median · {forecasters(community.count)}",
        f"`0% {sparkline(community.permilles)} 100%`",
        f"-# geometric mean of odds "
        f"{format_probability(round(community.geometric_mean or median))}",
    ]
    return truncate("\n".join(lines), EMBED_FIELD_VALUE)


def read(kind: AnyKind, text: str) -> ReadForecast:
    """A probability as members type it; 0 and 100 are read as 1 and 99 %, and said so."""
    read = read_probability(text)
    return ReadForecast(read.permille, read.note)


def prefill(kind: AnyKind, forecast: object) -> str:
    """ "70" for 70 %: the form asks for a percentage already."""
    return format_probability(round(cast(float, forecast))).rstrip("%")


def outcome_choices(kind: AnyKind) -> Sequence[OutcomeChoice]:
    return (("YES", "yes"), ("NO", "no"))


YES_NO_RENDERING = register_rendering(
    YES_NO.name,
    KindRendering(
        choice_label="Yes/no: how likely it is, 1–99 % (the default)",
        community=community,
        read_forecast=read,
        prefill=prefill,
        forecast_max_length=PROBABILITY_TEXT_MAX,
        forecast_label="How likely is it? (1–99 %)",
        forecast_placeholder="e.g. 70, 70%, 0.7, or odds 3:1 or 1 in 5",
        outcome_choices=outcome_choices,
        outcome_hint="YES or NO",
        outcome_buttons=True,
        reminder_question="Did it come true?",
        keycaps=True,
        how_to_vote=KEYCAP_HELP,
    ),
)
