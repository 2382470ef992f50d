"""Every chart, drawn with hostile data, as matplotlib lays it out: no two texts overlap, none
is cut off by the figure's edge, and every legend entry has a handle one can see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox

from bot.forecasting.calibration import Bucket, calibration_table
from bot.forecasting.calibration_chart import compact_count
from bot.forecasting.charts import calibration_figure, history_figure
from tests.unit.chart_text import drawn_texts as _texts

T0 = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
LONG_NAME = "W" * 80  # the widest glyph, far past any title limit
WIDE_ZONE = ZoneInfo("America/Argentina/ComodRivadavia")


def _every_bucket(per_bucket: int) -> list[Bucket]:
    """All eleven neighbouring buckets populated, counts of different widths."""
    forecasts = []
    for index, permille in enumerate(range(10, 991, 98)):
        count = per_bucket * (index + 1)
        forecasts += [(permille, i % (index + 2) == 0) for i in range(count)]
    return calibration_table(forecasts)


def _calibration_cases() -> dict[str, Callable[[], Figure]]:
    return {
        "calibration: every bucket, 4-digit counts": lambda: calibration_figure(
            _every_bucket(1000), LONG_NAME
        ),
        "calibration: every bucket, tiny counts": lambda: calibration_figure(
            _every_bucket(1), "Calibration"
        ),
        "calibration: a flat line of full buckets": lambda: calibration_figure(
            calibration_table([(p, i % 2 == 0) for p in range(10, 991, 98) for i in range(50)]),
            "Half of everything",
        ),
        "calibration: one forecast, it came true": lambda: calibration_figure(
            calibration_table([(990, True)]), "One"
        ),
        "calibration: extremes": lambda: calibration_figure(
            calibration_table([(10, True)] * 3 + [(990, False)] * 3 + [(500, True)] * 900),
            "漢字 🦄 " * 10,
        ),
        "calibration: empty": lambda: calibration_figure(calibration_table([]), LONG_NAME),
    }


def _history_cases() -> dict[str, Callable[[], Figure]]:
    def hours(n: int, value: Callable[[int], float]) -> list[tuple[datetime, float]]:
        return [(T0 + timedelta(hours=h), value(h)) for h in range(n)]

    def votes(points: list[tuple[datetime, float]]) -> list[tuple[datetime, int]]:
        return [(t, int(v)) for t, v in points]

    many = hours(20_000, lambda h: 10.0 if h % 2 else 990.0)
    two_hours = hours(2, lambda h: 500.0)
    days = [(T0 + timedelta(days=d), 10.0 + d) for d in range(400)]
    return {
        "history: 20,000 points at the extremes": lambda: history_figure(
            many, votes(many), LONG_NAME, WIDE_ZONE
        ),
        "history: one moment": lambda: history_figure(
            two_hours[:1], votes(two_hours[:1]), "One", WIDE_ZONE
        ),
        "history: two votes an hour apart": lambda: history_figure(
            two_hours, votes(two_hours), "Two", ZoneInfo("Asia/Tokyo")
        ),
        "history: over a year": lambda: history_figure(days, votes(days), LONG_NAME),
        "history: empty": lambda: history_figure([], [], LONG_NAME),
    }


CASES = {**_calibration_cases(), **_history_cases()}


@pytest.mark.parametrize("case", list(CASES))
def test_no_text_overlaps_another_or_leaves_the_figure(case: str) -> None:
    figure = CASES[case]()
    width, height = figure.canvas.get_width_height()
    texts = _texts(figure)
    assert texts
    clipped = [
        name for name, box in texts if box.x0 < 0 or box.y0 < 0 or box.x1 > width or box.y1 > height
    ]
    assert not clipped, clipped
    overlapping = [
        (a, b)
        for i, (a, box_a) in enumerate(texts)
        for b, box_b in texts[i + 1 :]
        if box_a.overlaps(box_b)
    ]
    assert not overlapping, overlapping


@pytest.mark.parametrize("per_bucket", [1, 10, 100, 1000, 90_000])
def test_calibration_shows_every_populated_buckets_count(per_bucket: int) -> None:
    """All eleven neighbouring buckets get their count, from 1 to 990,000."""
    buckets = _every_bucket(per_bucket) if per_bucket < 10_000 else _big_buckets(per_bucket)
    figure = calibration_figure(buckets, "Calibration")
    shown = [name for name, _ in _texts(figure)]
    counts = [compact_count(b.count) for b in buckets if b.count]
    assert len(counts) == 11 and "n =" in shown
    assert all(shown.count(c) >= counts.count(c) for c in counts), (counts, shown)


def _big_buckets(per_bucket: int) -> list[Bucket]:
    return [
        Bucket(100 * i, per_bucket * (i + 1), per_bucket * i // 2, 0.5, i / 10) for i in range(11)
    ]


@pytest.mark.parametrize(
    ("count", "shown"),
    [(7, "7"), (999, "999"), (1000, "1k"), (1234, "1.2k"), (9_960, "10k"), (12_345, "12k"),
     (999_499, "999k"), (999_500, "1.0M"), (1_250_000, "1.2M")],
)  # fmt: skip
def test_counts_are_at_most_four_characters(count: int, shown: str) -> None:
    assert compact_count(count) == shown


def _contrast(colour: object, background: object) -> float:
    (r, g, b, _), (br, bg, bb, _) = to_rgba(colour), to_rgba(background)  # type: ignore[arg-type]
    return abs(0.2126 * (r - br) + 0.7152 * (g - bg) + 0.0722 * (b - bb))


@pytest.mark.parametrize("case", [c for c in CASES if "empty" not in c])
def test_every_legend_entry_has_a_visible_handle(case: str) -> None:
    figure = CASES[case]()
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    legend = figure.axes[0].get_legend()
    assert legend is not None
    text_height = max(t.get_window_extent(renderer).height for t in legend.get_texts())
    for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=True):
        name = text.get_text()
        assert isinstance(handle, Line2D), name  # measurable, unlike a collection's proxy
        assert handle.get_visible() and (handle.get_alpha() or 1.0) >= 0.8, name
        colour = handle.get_markerfacecolor() if handle.get_marker() != "None" else None
        colour = colour if colour not in (None, "none") else handle.get_color()
        assert _contrast(colour, figure.get_facecolor()) > 0.3, name
        box = handle.get_window_extent(renderer)
        # A handle at least as wide as its text is tall; a marker at least half that size.
        if handle.get_linestyle() not in ("None", "none", ""):
            assert box.width >= text_height, (name, box.width, text_height)
        if handle.get_marker() not in ("None", "none", None, ""):
            marker_px = handle.get_markersize() * figure.dpi / 72
            assert marker_px >= text_height / 2, (name, marker_px, text_height)


UNDERCONFIDENT = [(10, True)] * 3 + [(100, True)] * 5 + [(500, i < 10) for i in range(20)]


@pytest.mark.parametrize(
    "case",
    [
        "underconfident",
        "calibration: every bucket, tiny counts",
        "calibration: one forecast, it came true",
    ],
)
def test_calibration_legend_hides_no_point_or_bar(case: str) -> None:
    """Forecasts of 1 % that came true sit in the upper left corner, where the legend was: it
    moves to a free corner (with every corner taken it hides the fewest, see-through)."""
    if case == "underconfident":
        figure = calibration_figure(calibration_table(UNDERCONFIDENT), "Underconfident")
    else:
        figure = CASES[case]()
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    axes = figure.axes[0]
    legend_box = axes.get_legend().get_window_extent(renderer)  # type: ignore[union-attr]
    [points] = [c for c in axes.collections if isinstance(c, PathCollection)]
    centres = axes.transData.transform(points.get_offsets())
    assert not any(legend_box.contains(x, y) for x, y in centres)
    bars = [c for c in axes.collections if isinstance(c, LineCollection)]
    for bar in bars:
        for segment in bar.get_segments():
            box = Bbox(axes.transData.transform(segment))
            assert not legend_box.overlaps(box), (case, segment)
