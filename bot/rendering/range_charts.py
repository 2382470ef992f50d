"""The fan and density charts of a numeric or date question as Discord attachments, with
their text versions (for members who cannot see images)."""

from __future__ import annotations

import io
from datetime import UTC, tzinfo

import discord

from bot.forecasting.density_chart import density_chart
from bot.forecasting.fan_chart import fan_chart
from bot.rendering.chart_pool import ChartPool
from bot.rendering.limits import EMBED_FIELD_VALUE, truncate
from bot.services.track_record.range_history import RangeHistory

FAN_FILENAME = "fan.png"
DENSITY_FILENAME = "density.png"
#: Discord's limit for an attachment's description (its alt text).
ALT_TEXT_LIMIT = 1024


def range_history_text(history: RangeHistory) -> str:
    """Where the community stands and how many moves it made."""
    if not history.steps:
        return "No forecasts yet."
    people = "forecaster" if history.voters == 1 else "forecasters"
    changes = len(history.steps)
    moves = "change" if changes == 1 else "changes"
    return truncate(
        f"Community: {history.summary} ({history.voters} {people}; {changes} {moves} so far).",
        EMBED_FIELD_VALUE,
    )


def _file(data: bytes, filename: str, description: str) -> discord.File:
    return discord.File(
        io.BytesIO(data), filename=filename, description=truncate(description, ALT_TEXT_LIMIT)
    )


async def range_chart_files(
    history: RangeHistory, title: str, *, pool: ChartPool, tz: tzinfo = UTC
) -> list[discord.File]:
    """The density chart (the outcome marked once resolved), then the fan chart over time
    (from two changes on); none before the first forecast."""
    if not history.steps:
        return []
    alt = range_history_text(history)
    density = await pool.render(
        density_chart,
        list(history.densities),
        title,
        history.low,
        history.high,
        history.unit,
        history.dates,
        history.beyond,
        history.outcome,
    )
    files = [_file(density, DENSITY_FILENAME, f"{title}: the community's distribution. {alt}")]
    if len(history.steps) >= 2:
        fan = await pool.render(
            fan_chart,
            list(history.steps),
            f"{title} over time",
            history.low,
            history.high,
            history.unit,
            history.dates,
            tz,
        )
        files.append(_file(fan, FAN_FILENAME, f"{title} over time: median and 80 % interval."))
    return files
