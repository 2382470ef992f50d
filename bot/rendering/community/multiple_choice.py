"""Multiple choice on Discord: a bar per option, the form prefilled with every option's name.

The community forecast is the normalised geometric mean of the forecasts (named under the
bars); each option gets a text bar (``█████░░░░░ 42%``), so the message reads on a phone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import discord

from bot.domain.kinds import AnyKind
from bot.domain.kinds.multiple_choice import MULTIPLE_CHOICE, MultipleChoice
from bot.forecasting.multiclass import TOTAL
from bot.rendering.community import (
    KindRendering,
    OutcomeChoice,
    ReadForecast,
    forecasters,
    register_rendering,
)
from bot.rendering.limits import EMBED_FIELD_VALUE, truncate
from bot.services.core.dto import PredictionInfo

BAR_WIDTH = 10
POOL_NAME = "geometric mean of odds"


def bar(permille: int, width: int = BAR_WIDTH) -> str:
    """``████░░░░░░``: the share of ``width`` cells, rounded, never empty above 5 %."""
    filled = round(permille * width / TOTAL)
    if permille >= 50 and filled == 0:
        filled = 1
    return "█" * filled + "░" * (width - filled)


def percent(permille: int) -> str:
    return f"{round(permille / 10)}%"


def bars(options: Sequence[str], forecast: Sequence[int]) -> list[str]:
    """One line per option, in the question's order: bar, percentage, name."""
    return [
        f"`{bar(p)}` **{percent(p)}** {discord.utils.escape_markdown(option)}"
        for option, p in zip(options, forecast, strict=True)
    ]


def community(info: PredictionInfo, kind: AnyKind) -> str:
    chosen = cast(MultipleChoice, kind)
    pooled = cast(Sequence[int] | None, info.community.pooled)
    if pooled is None:
        return f"{forecasters(info.community.count)}"
    lines = [
        *bars(chosen.options, pooled),
        f"-# {POOL_NAME} of {forecasters(info.community.count)}",
    ]
    return truncate("\n".join(lines), EMBED_FIELD_VALUE)


def read(kind: AnyKind, text: str) -> ReadForecast:
    read = cast(MultipleChoice, kind).read(text)
    return ReadForecast(read.forecast, read.note)


def starter(kind: AnyKind) -> str:
    """Every option's name with an even share: the member changes the numbers and sends."""
    chosen = cast(MultipleChoice, kind)
    count = len(chosen.options)
    shares = [100 // count] * count
    shares[0] += 100 - sum(shares)
    return ", ".join(f"{o} {n}" for o, n in zip(chosen.options, shares, strict=True))


def outcome_choices(kind: AnyKind) -> Sequence[OutcomeChoice]:
    return [(option, option) for option in cast(MultipleChoice, kind).options]


MULTIPLE_CHOICE_RENDERING = register_rendering(
    MULTIPLE_CHOICE.name,
    KindRendering(
        choice_label="Multiple choice: 2–10 options, separated by |, a % for each",
        community=community,
        read_forecast=read,
        starter=starter,
        forecast_label="A % per option, adding up to 100",
        forecast_placeholder="e.g. OpenAI 50, Anthropic 30, Google 20 — or 50/30/20",
        outcome_choices=outcome_choices,
        outcome_hint="one of the options",
        how_to_vote="Vote with the 🗳️ Vote button (a % per option) or `/vote forecast`.",
    ),
)
