"""Charts are valid PNGs of a fixed size, whatever the data and the title."""

from __future__ import annotations

import ast
import struct
import warnings
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import bot.forecasting.charts
from bot.forecasting.calibration import calibration_table
from bot.forecasting.charts import CHART_HEIGHT, CHART_WIDTH, calibration_chart, history_chart

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
TITLES = [
    "Calibration",
    "Will $x$ cost more than $5 by 2027? @everyone",
    "$\\frac{1}{0}$ \\unknowncommand { ^_^ }",
    "Ünïcödé 漢字 🦄 emoji and a very long title " + "x" * 300,
    "",
    "line\nbreaks\tand\ttabs",
]


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which must come first."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    (crc,) = struct.unpack(">I", data[29:33])
    assert crc == zlib.crc32(data[12:29])
    assert data.endswith(b"IEND\xaeB`\x82")
    return width, height


def full_calibration() -> bytes:
    forecasts = [(p, p % 3 == 0) for p in range(10, 991, 7)]
    return calibration_chart(calibration_table(forecasts), "Full")


def sparse_calibration() -> bytes:
    return calibration_chart(calibration_table([(700, True)]), "One forecast")


def full_history() -> bytes:
    community = [(T0 + timedelta(days=i), 500 + 3.5 * i) for i in range(60)]
    votes = [(T0 + timedelta(days=i, hours=3), 300 + 10 * i) for i in range(60)]
    return history_chart(community, votes, "Full")


def single_moment_history() -> bytes:
    return history_chart([(T0, 700.0)], [(T0, 700)], "One vote")


def votes_only_history() -> bytes:
    return history_chart([], [(T0, 200), (T0 + timedelta(minutes=5), 900)], "Votes only")


CHARTS: dict[str, Callable[[], bytes]] = {
    "empty calibration": lambda: calibration_chart(calibration_table([]), "Empty"),
    "no buckets at all": lambda: calibration_chart([], "No buckets"),
    "full calibration": full_calibration,
    "sparse calibration": sparse_calibration,
    "empty history": lambda: history_chart([], [], "Empty"),
    "full history": full_history,
    "single moment history": single_moment_history,
    "votes only history": votes_only_history,
}


def test_size_constants() -> None:
    assert (CHART_WIDTH, CHART_HEIGHT) == (800, 560)


@pytest.mark.parametrize("name", list(CHARTS))
def test_chart_is_a_png_of_the_fixed_size(name: str) -> None:
    assert png_size(CHARTS[name]()) == (CHART_WIDTH, CHART_HEIGHT)


@pytest.mark.parametrize("title", TITLES)
def test_odd_titles_render_without_mathtext_or_warnings(title: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a mathtext or missing-glyph problem would warn/raise
        calibration = calibration_chart(calibration_table([(300, False)]), title)
        history = history_chart([(T0, 500.0)], [(T0, 500)], title)
    assert png_size(calibration) == (CHART_WIDTH, CHART_HEIGHT)
    assert png_size(history) == (CHART_WIDTH, CHART_HEIGHT)


def test_charts_render_from_worker_threads() -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda make: make(), [full_history, full_calibration] * 4))
    assert all(png_size(data) == (CHART_WIDTH, CHART_HEIGHT) for data in results)


@pytest.mark.parametrize("module", ["charts", "chart_style", "calibration_chart", "history_chart"])
def test_charts_never_import_pyplot(module: str) -> None:
    """pyplot's global figure manager is what makes matplotlib unsafe in threads."""
    folder = Path(bot.forecasting.charts.__file__).parent
    tree = ast.parse((folder / f"{module}.py").read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any("pyplot" in name for name in imported)
