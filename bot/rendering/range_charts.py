"""The fan and density charts of a numeric or date question as Discord attachments, with
their text versions (for members who cannot see images); drawn by
:mod:`bot.rendering.kind_charts`."""

from __future__ import annotations

import io
from datetime import UTC, tzinfo

import discord

from bot.rendering.chart_pool import ChartPool
from bot.rendering.kind_charts import density_chart_png, fan_chart_png, range_history_text
from bot.rendering.limits import truncate
from bot.services.track_record.range_history import RangeHistory

__all__ = ["DENSITY_FILENAME", "FAN_FILENAME", "range_chart_files", "range_history_text"]

FAN_FILENAME = "fan.png"
DENSITY_FILENAME = "density.png"
#: Discord's limit for an attachment's description (its alt text).
ALT_TEXT_LIMIT = 1024


def _file(data: bytes, filename: str, description: str) -> discord.File:
    return discord.File(
        io.BytesIO(data), filename=filename, description=truncate(description, ALT_TEXT_LIMIT)
    )


async def range_chart_files(
    history: RangeHistory, title: str, *, pool: ChartPool, tz: tzinfo = UTC
) -> list[discord.File]:
    """The density chart (the outcome marked once resolved), then the fan chart over time
    (from two changes on); none before the first forecast."""
    alt = range_history_text(history)
    density = await density_chart_png(history, title, pool=pool)
    if density is None:
        return []
    files = [_file(density, DENSITY_FILENAME, f"{title}: the community's distribution. {alt}")]
    fan = await fan_chart_png(history, f"{title} over time", pool=pool, tz=tz)
    if fan is not None:
        files.append(_file(fan, FAN_FILENAME, f"{title} over time: median and 80 % interval."))
    return files
