"""The charts of multiple-choice, numeric and date questions as PNG bytes, and their words.

One implementation for both places that show them: Discord attaches them
(:mod:`bot.rendering.choice_charts`, :mod:`bot.rendering.range_charts`) and the web view
serves them as images (:mod:`cogs.web.images`). No discord import here, so the web process
can use it; every chart is drawn by the chart pool's worker processes, never on the loop.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, tzinfo

from bot.forecasting.chart_jobs import choice_chart_packed, density_chart, fan_chart
from bot.forecasting.point_packing import pack_steps
from bot.rendering.chart_pool import ChartPool
from bot.rendering.limits import EMBED_FIELD_VALUE, truncate
from bot.services.track_record.choice_history import ChoiceHistory
from bot.services.track_record.range_history import RangeHistory


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


def has_choice_chart(history: ChoiceHistory) -> bool:
    """A line needs two points: the chart is drawn from the second change on."""
    return len(history.steps) >= 2


def has_density_chart(history: RangeHistory) -> bool:
    """From the first forecast on."""
    return bool(history.steps)


def has_fan_chart(history: RangeHistory) -> bool:
    """From the second change on (a fan over one moment is a line)."""
    return len(history.steps) >= 2


async def choice_chart_png(
    history: ChoiceHistory, title: str, *, pool: ChartPool, tz: tzinfo = UTC
) -> bytes | None:
    """One line per option over time; ``None`` before the second change."""
    if not has_choice_chart(history):
        return None
    flat = await asyncio.to_thread(pack_steps, history.steps)
    return await pool.render(choice_chart_packed, flat, list(history.options), title, tz)


async def density_chart_png(history: RangeHistory, title: str, *, pool: ChartPool) -> bytes | None:
    """The community's distribution now (the outcome marked once resolved); ``None`` before
    the first forecast."""
    if not has_density_chart(history):
        return None
    return await pool.render(
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


async def fan_chart_png(
    history: RangeHistory, title: str, *, pool: ChartPool, tz: tzinfo = UTC
) -> bytes | None:
    """The median and 80 % interval over time; ``None`` before the second change."""
    if not has_fan_chart(history):
        return None
    return await pool.render(
        fan_chart,
        list(history.steps),
        title,
        history.low,
        history.high,
        history.unit,
        history.dates,
        tz,
    )
