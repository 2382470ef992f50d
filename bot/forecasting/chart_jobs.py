"""What the bot hands to its chart workers: module-level functions (picklable by name) that
import matplotlib only when a worker runs them.

The bot process itself never draws, so it never needs matplotlib: importing it costs about a
second of CPU at every start (and more on a busy machine), which the chart workers pay instead,
in the background, at a lower priority (:mod:`bot.rendering.chart_pool`).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from datetime import UTC, tzinfo

from bot.forecasting.calibration import Bucket

#: (POSIX time, 10th, 50th, 90th percentile) of a range question's community forecast.
FanStep = tuple[float, float, float, float]


def calibration_chart(buckets: Sequence[Bucket], title: str) -> bytes:
    from bot.forecasting.calibration_chart import calibration_chart as draw

    return draw(buckets, title)


def history_chart_packed(
    community: array[float], votes: array[float], title: str, tz: tzinfo = UTC
) -> bytes:
    from bot.forecasting.history_chart import history_chart_packed as draw

    return draw(community, votes, title, tz)


def preview_card(heading: str, statement: str, figure_text: str, status_text: str) -> bytes:
    from bot.forecasting.preview_card import preview_card as draw

    return draw(heading, statement, figure_text, status_text)


def choice_chart_packed(
    flat: array[float], options: Sequence[str], title: str, tz: tzinfo = UTC
) -> bytes:
    from bot.forecasting.multiple_choice_chart import choice_chart_packed as draw

    return draw(flat, options, title, tz)


def density_chart(
    densities: Sequence[float],
    title: str,
    low: float,
    high: float,
    unit: str = "",
    dates: bool = False,
    beyond: tuple[float, float] = (0.0, 0.0),
    outcome: float | None = None,
) -> bytes:
    from bot.forecasting.density_chart import density_chart as draw

    return draw(densities, title, low, high, unit, dates, beyond, outcome)


def fan_chart(
    steps: Sequence[FanStep],
    title: str,
    low: float,
    high: float,
    unit: str = "",
    dates: bool = False,
    tz: tzinfo = UTC,
) -> bytes:
    from bot.forecasting.fan_chart import fan_chart as draw

    return draw(steps, title, low, high, unit, dates, tz)


def season_card(
    season: str,
    dates: str,
    took_part: str,
    top: Sequence[tuple[str, str]],
    buckets: Sequence[Bucket],
) -> bytes:
    from bot.forecasting.season_card import season_card as draw

    return draw(season, dates, took_part, top, buckets)
