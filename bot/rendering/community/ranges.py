"""Numeric and date questions on Discord: the community's median and 80 % interval, the
forecast typed as "median, low to high", and an outcome typed in the resolve form."""

from __future__ import annotations

from bot.domain.kinds import AnyKind
from bot.domain.kinds.date import DATE
from bot.domain.kinds.numeric import NUMERIC
from bot.domain.kinds.ranges import RangeForecast, RangeKind
from bot.rendering.community import KindRendering, forecasters, register_rendering
from bot.rendering.custom_ids import RANGE_BUTTON
from bot.rendering.limits import EMBED_FIELD_VALUE, truncate
from bot.services.core.dto import PredictionInfo

HOW_TO_FORECAST = (
    "Forecast with the 📏 Forecast button or `/vote`: your median and your 80 % interval "
    "(10th to 90th percentile)."
)


def community(info: PredictionInfo, kind: AnyKind) -> str:
    """``median 42 seats, 80 % between 30 and 60 (12 forecasters)`` under "Community
    forecast", and how it is pooled."""
    pooled = info.community.pooled
    if not isinstance(pooled, RangeForecast):
        return f"No forecasts yet · {forecasters(info.community.count)}"
    lines = [
        f"**{kind.describe_forecast(pooled)}** ({forecasters(info.community.count)})",
        "-# linear pool: the mean of the members' distributions",
    ]
    return truncate("\n".join(lines), EMBED_FIELD_VALUE)


def prefill(kind: AnyKind, forecast: object) -> str:
    """``42, 30 to 60``: the form's one field, read back by the kind."""
    if not isinstance(kind, RangeKind) or not isinstance(forecast, RangeForecast):
        return ""
    median, low, high = (kind.show_value(v) for v in (forecast.median, forecast.p10, forecast.p90))
    return f"{median}, {low} to {high}"


def _rendering(choice_label: str, placeholder: str, hint: str) -> KindRendering:
    return KindRendering(
        choice_label=choice_label,
        community=community,
        prefill=prefill,
        forecast_label="Median, then your 80 % interval",
        forecast_placeholder=placeholder,
        outcome_hint=hint,
        how_to_vote=HOW_TO_FORECAST,
        vote_button=(RANGE_BUTTON, "Forecast", "📏"),
    )


NUMERIC_RENDERING = register_rendering(
    NUMERIC.name,
    _rendering(
        "Numeric: a number in a range (low, high, unit)",
        "e.g. 42, 30 to 60",
        "The value, or below / above an open end",
    ),
)
DATE_RENDERING = register_rendering(
    DATE.name,
    _rendering(
        "Date: a day between the earliest and latest (low, high)",
        "e.g. 2027-03-01, 2027-01-15 to 2027-06-30",
        "The date (2027-03-01), or later / earlier past an open end",
    ),
)
