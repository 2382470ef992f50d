"""The history chart of a multiple-choice question as a Discord attachment, with its text
version (for members who cannot see images); drawn by :mod:`bot.rendering.kind_charts`."""

from __future__ import annotations

import io
from datetime import UTC, tzinfo

import discord

from bot.rendering.chart_pool import ChartPool
from bot.rendering.kind_charts import choice_chart_png, choice_history_text
from bot.rendering.limits import truncate
from bot.services.track_record.choice_history import ChoiceHistory

__all__ = ["CHOICE_FILENAME", "choice_chart_file", "choice_history_text"]

CHOICE_FILENAME = "choices.png"
ALT_TEXT_LIMIT = 1024  # Discord's limit for an attachment's description


async def choice_chart_file(
    history: ChoiceHistory, title: str, *, pool: ChartPool, tz: tzinfo = UTC
) -> discord.File | None:
    """One line per option over time, from two changes on; rendered in a worker process."""
    data = await choice_chart_png(history, title, pool=pool, tz=tz)
    if data is None:
        return None
    alt = truncate(f"{title}. {choice_history_text(history)}", ALT_TEXT_LIMIT)
    return discord.File(io.BytesIO(data), filename=CHOICE_FILENAME, description=alt)
