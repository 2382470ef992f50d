"""The history chart of a multiple-choice question as a Discord attachment, with its text
version (for members who cannot see images)."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, tzinfo

import discord

from bot.forecasting.multiple_choice_chart import choice_chart_packed, pack_steps
from bot.rendering.chart_pool import ChartPool
from bot.rendering.limits import EMBED_FIELD_VALUE, truncate
from bot.services.track_record.choice_history import ChoiceHistory

CHOICE_FILENAME = "choices.png"
ALT_TEXT_LIMIT = 1024  # Discord's limit for an attachment's description


def choice_history_text(history: ChoiceHistory) -> str:
    """Where the community stands, option by option, and how many changes it took."""
    if not history.steps:
        return "No forecasts yet."
    _, now = history.steps[-1]
    people = "forecaster" if history.voters == 1 else "forecasters"
    changes = history.changes
    moves = "change" if changes == 1 else "changes"
    shares = ", ".join(
        f"{option} {round(p / 10)}%" for option, p in zip(history.options, now, strict=True)
    )
    return truncate(
        f"Community: {shares} ({history.voters} {people}; {changes} {moves} so far).",
        EMBED_FIELD_VALUE,
    )


async def choice_chart_file(
    history: ChoiceHistory, title: str, *, pool: ChartPool, tz: tzinfo = UTC
) -> discord.File | None:
    """One line per option over time, from two changes on; rendered in a worker process."""
    if len(history.steps) < 2:
        return None
    flat = await asyncio.to_thread(pack_steps, history.steps)
    data = await pool.render(choice_chart_packed, flat, list(history.options), title, tz)
    alt = truncate(f"{title}. {choice_history_text(history)}", ALT_TEXT_LIMIT)
    return discord.File(io.BytesIO(data), filename=CHOICE_FILENAME, description=alt)
