"""Charts as Discord attachments, and their text alternatives.

Rendering a chart takes tens to hundreds of milliseconds of CPU, so it runs in the bot's
:class:`~bot.rendering.chart_pool.ChartPool` (separate processes): the event loop keeps
answering heartbeats and other interactions meanwhile. Every chart comes with a text version
(embed field, and the attachment's alt text) for members who cannot see images.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo

import discord

from bot.domain.words import plural
from bot.forecasting.calibration import BUCKET_WIDTH_PERMILLE, Bucket
from bot.forecasting.chart_jobs import calibration_chart, history_chart_packed
from bot.forecasting.point_packing import pack_points
from bot.forecasting.probability import MAX_PERMILLE, MIN_PERMILLE, format_probability
from bot.rendering.chart_pool import ChartPool
from bot.rendering.limits import EMBED_FIELD_VALUE, truncate
from bot.rendering.timestamps import discord_timestamp as ts
from bot.services.track_record.stats import History

CALIBRATION_FILENAME = "calibration.png"
HISTORY_FILENAME = "history.png"
#: Discord's limit for an attachment's description (its alt text).
ALT_TEXT_LIMIT = 1024
#: How many community changes the history text lists (the most recent ones).
HISTORY_STEPS = 8


def attachment_url(filename: str) -> str:
    """What ``Embed.set_image`` needs to show an attached file inside the embed."""
    return f"attachment://{filename}"


def _percent(permille: float) -> str:
    return format_probability(round(permille))


def _discord_time(when: datetime, style: str) -> str:
    return ts(when, style)


def _plain_time(when: datetime, style: str) -> str:
    """Alt text is read out as typed, so it gets real dates instead of ``<t:…>`` markup."""
    return f"{when:%Y-%m-%d}" if style == "d" else f"{when:%Y-%m-%d %H:%M} UTC"


def _bucket_range(centre_permille: int) -> str:
    """``5–15%``; the end buckets hold what members can vote: ``1–5%`` and ``95–99%``."""
    low = max(MIN_PERMILLE, centre_permille - BUCKET_WIDTH_PERMILLE // 2)
    high = min(MAX_PERMILLE, centre_permille + BUCKET_WIDTH_PERMILLE // 2)
    return f"{low // 10}–{high // 10}%"


def calibration_text(buckets: Sequence[Bucket]) -> str:
    """One line per non-empty bucket: what was forecast, and how often it happened."""
    lines = [
        f"Said {_bucket_range(b.centre_permille)}: happened {b.yes_count} of {b.count} "
        f"({(b.observed_frequency or 0.0) * 100:.0f}%)"
        for b in buckets
        if b.count > 0
    ]
    if not lines:
        return "No resolved forecasts yet."
    return truncate("\n".join(lines), EMBED_FIELD_VALUE)


def history_text(history: History, *, discord_timestamps: bool = True) -> str:
    """Where the community forecast started, where it ended up, and its latest moves."""
    if not history.votes or not history.community:
        return "No forecasts yet."
    time = _discord_time if discord_timestamps else _plain_time
    first, last = history.community[0], history.community[-1]
    values = [value for _, value in history.community]
    lines = [
        f"{plural(len(history.votes), 'forecast')} from {plural(history.voters, 'member')}.",
        f"Community forecast: {_percent(first[1])} on {time(first[0], 'd')}, "
        f"{_percent(last[1])} since {time(last[0], 'd')} "
        f"(range {_percent(min(values))}–{_percent(max(values))}).",
    ]
    if len(history.community) > 1:
        recent = history.community[-HISTORY_STEPS:]
        lines.append("Latest changes:" if len(recent) < len(history.community) else "Changes:")
        lines += [f"{time(when, 'f')}: {_percent(value)}" for when, value in recent]
    return truncate("\n".join(lines), EMBED_FIELD_VALUE)


def _file(data: bytes, filename: str, description: str) -> discord.File:
    return discord.File(
        io.BytesIO(data), filename=filename, description=truncate(description, ALT_TEXT_LIMIT)
    )


async def calibration_file(
    buckets: Sequence[Bucket], title: str, *, pool: ChartPool
) -> discord.File:
    """The calibration chart as ``calibration.png``, rendered in a worker process."""
    data = await pool.render(calibration_chart, list(buckets), title)
    return _file(data, CALIBRATION_FILENAME, f"{title}. {calibration_text(buckets)}")


async def history_file(
    history: History, title: str, *, pool: ChartPool, tz: tzinfo = UTC
) -> discord.File | None:
    """The history chart as ``history.png`` (times in ``tz``, the viewer's zone); ``None``
    when fewer than two votes were cast."""
    if len(history.votes) < 2:
        return None
    community, votes = await asyncio.to_thread(
        lambda: (pack_points(history.community), pack_points(history.votes))
    )
    data = await pool.render(history_chart_packed, community, votes, title, tz)
    alt = history_text(history, discord_timestamps=False)
    return _file(data, HISTORY_FILENAME, f"{title}. {alt}")
