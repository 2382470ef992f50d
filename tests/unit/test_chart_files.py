"""Chart attachments are valid PNGs of the fixed size, and their text alternatives fit Discord."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.forecasting.calibration import calibration_table
from bot.rendering.chart_files import (
    ALT_TEXT_LIMIT,
    CALIBRATION_FILENAME,
    HISTORY_FILENAME,
    attachment_url,
    calibration_file,
    calibration_text,
    history_file,
    history_text,
)
from bot.rendering.chart_pool import ChartPool
from bot.rendering.limits import EMBED_FIELD_VALUE
from bot.services.track_record.stats import History

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def history(
    votes: list[tuple[datetime, int]], community: list[tuple[datetime, float]], voters: int
) -> History:
    return History(
        prediction_id=1,
        number=1,
        statement="Rain",
        status="open",
        visibility="visible",
        closes_at=T0 + timedelta(days=30),
        outcome=None,
        community=tuple(community),
        votes=tuple(votes),
        voters=voters,
    )


def busy_history(changes: int) -> History:
    votes = [(T0 + timedelta(hours=i), 100 + (i * 37) % 800) for i in range(changes)]
    community = [(t, float(p)) for t, p in votes]
    return history(votes, community, voters=changes)


@pytest.fixture(scope="module")
def pool() -> Iterator[ChartPool]:
    """One worker process for the module's charts (spawning one costs a second)."""
    charts = ChartPool(workers=1)
    yield charts
    asyncio.run(charts.close())


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_calibration_text_lists_filled_buckets_only() -> None:
    buckets = calibration_table([(700, True), (700, False), (720, True), (150, False)])
    assert calibration_text(buckets).splitlines() == [
        "Said 15–25%: happened 0 of 1 (0%)",
        "Said 65–75%: happened 2 of 3 (67%)",
    ]
    ends = calibration_text(calibration_table([(10, False), (990, True)])).splitlines()
    assert ends == ["Said 1–5%: happened 0 of 1 (0%)", "Said 95–99%: happened 1 of 1 (100%)"]
    assert calibration_text(calibration_table([])) == "No resolved forecasts yet."


def test_calibration_text_fits_a_field_whatever_the_counts() -> None:
    buckets = calibration_table([(p, p % 2 == 0) for p in range(10, 991)] * 1000)
    text = calibration_text(buckets)
    assert len(text) <= EMBED_FIELD_VALUE and len(text.splitlines()) == 11


def test_history_text_summarises_and_stays_within_a_field() -> None:
    short = history(
        [(T0, 400), (T0 + timedelta(hours=1), 800)],
        [(T0, 400.0), (T0 + timedelta(hours=1), 600.0)],
        voters=2,
    )
    text = history_text(short)
    assert text.startswith("2 forecasts from 2 members.")
    assert "40% on <t:" in text and "60% since <t:" in text and "range 40%–60%" in text
    assert "Changes:" in text
    plain = history_text(short, discord_timestamps=False)
    assert "<t:" not in plain and "2026-11-27 13:00 UTC: 60%" in plain
    long = history_text(busy_history(500))
    assert len(long) <= EMBED_FIELD_VALUE and "Latest changes:" in long
    assert history_text(history([], [], voters=0)) == "No forecasts yet."
    one = history_text(history([(T0, 700)], [(T0, 700.0)], voters=1))
    assert one.startswith("1 forecast from 1 member.") and "Changes" not in one


async def test_calibration_file_is_a_800_by_560_png(pool: ChartPool) -> None:
    buckets = calibration_table([(p, p % 3 == 0) for p in range(10, 991, 7)])
    file = await calibration_file(buckets, "Calibration · everyone", pool=pool)
    assert file.filename == CALIBRATION_FILENAME
    assert attachment_url(file.filename) == "attachment://calibration.png"
    assert png_size(file.fp.read()) == (800, 560)
    assert file.description is not None and len(file.description) <= ALT_TEXT_LIMIT
    empty = await calibration_file(calibration_table([]), "Nothing yet", pool=pool)
    assert png_size(empty.fp.read()) == (800, 560)


async def test_history_file_needs_two_votes(pool: ChartPool) -> None:
    assert await history_file(history([], [], voters=0), "None", pool=pool) is None
    assert (
        await history_file(history([(T0, 700)], [(T0, 700.0)], voters=1), "One", pool=pool) is None
    )
    file = await history_file(busy_history(300), "#1: community forecast", pool=pool)
    assert file is not None and file.filename == HISTORY_FILENAME
    assert png_size(file.fp.read()) == (800, 560)
    assert file.description is not None and "<t:" not in file.description
    assert len(file.description) <= ALT_TEXT_LIMIT


@pytest.mark.parametrize("title", ["", "$x$ @everyone " + "🦄" * 300])
async def test_any_title_renders(title: str, pool: ChartPool) -> None:
    file = await calibration_file(calibration_table([(500, True)]), title, pool=pool)
    assert png_size(file.fp.read()) == (800, 560)
