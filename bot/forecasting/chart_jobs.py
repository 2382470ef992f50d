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


def season_card(
    season: str,
    dates: str,
    took_part: str,
    top: Sequence[tuple[str, str]],
    buckets: Sequence[Bucket],
) -> bytes:
    from bot.forecasting.season_card import season_card as draw

    return draw(season, dates, took_part, top, buckets)
