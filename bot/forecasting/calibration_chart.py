"""The calibration chart: how often forecasts in each bucket came true, with a 95 % Wilson
interval per bucket, so a bucket of 7 forecasts is not read like one of 70.

Each bucket's count sits in a row above the plot, neighbouring buckets on alternate lines:
eleven buckets are ~55 px apart and a count at phone-readable size is up to ~75 px wide, so on
one line (or beside the points, as before) neighbours collided.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox, offset_copy

from bot.forecasting.calibration import BUCKET_WIDTH_PERMILLE, Bucket
from bot.forecasting.chart_style import (
    AXES_BOX,
    COMMUNITY_COLOUR,
    FOREGROUND,
    MARKER_PT,
    REFERENCE_COLOUR,
    TEXT_PT,
    LegendPlace,
    finish,
    legend,
    new_figure,
    no_data,
    percent_axis,
    png,
    renderer_of,
)
from bot.forecasting.wilson import wilson_interval

#: The two lines of counts above the axes, in points: gap to the axes, then line to line.
_COUNT_GAP = 4.0
_COUNT_LINE = TEXT_PT * 1.25
_AXES_TOP = AXES_BOX["top"] - 0.11


def compact_count(count: int) -> str:
    """At most four characters: ``7``, ``999``, ``1.2k``, ``12k``, ``120k``, ``1.2M``."""
    for limit, unit in ((1_000_000, "M"), (1_000, "k")):
        if count >= limit:
            value = count / limit
            if value < 9.95:
                return f"{value:.1f}".removesuffix(".0") + unit
            if value < 999.5:
                return f"{value:.0f}{unit}"
            return "1.0M" if unit == "k" else f"{value / 1000:.0f}G"
    return str(count)


def calibration_chart(buckets: Sequence[Bucket], title: str) -> bytes:
    """Observed frequency per bucket against the diagonal of perfect calibration."""
    return png(calibration_figure(buckets, title))


def _counts(axes: Axes, filled: Sequence[Bucket]) -> None:
    """``n =`` and each bucket's count above its column, alternate buckets a line higher."""
    figure = axes.get_figure()
    assert isinstance(figure, Figure)
    along_x = axes.get_xaxis_transform()  # x in data, y in axes fractions
    for line in (0, 1):
        lift = offset_copy(along_x, figure, y=_COUNT_GAP + line * _COUNT_LINE, units="points")
        for bucket in filled:
            if (bucket.centre_permille // BUCKET_WIDTH_PERMILLE) % 2 == line:
                axes.text(
                    bucket.centre_permille / 10, 1.0, compact_count(bucket.count),
                    transform=lift, ha="center", va="bottom", fontsize=TEXT_PT, color=FOREGROUND,
                )  # fmt: skip
    header = offset_copy(axes.transAxes, figure, x=-6, y=_COUNT_GAP + _COUNT_LINE, units="points")
    axes.text(
        0.0, 1.0, "n =", transform=header, ha="right", va="bottom", fontsize=TEXT_PT,
        color=FOREGROUND,
    )  # fmt: skip


def calibration_figure(buckets: Sequence[Bucket], title: str) -> Figure:
    filled = [b for b in buckets if b.count > 0]
    if filled:
        figure, axes = new_figure(title, top=_AXES_TOP, title_pad=_COUNT_GAP + 2 * _COUNT_LINE + 10)
    else:
        figure, axes = new_figure(title)
    axes.set_xlim(-5, 105)
    axes.set_ylim(-5, 105)
    percent_axis(axes, "x")
    percent_axis(axes, "y")
    axes.plot([0, 100], [0, 100], linestyle="--", linewidth=2, color=REFERENCE_COLOUR)
    handles = [Line2D([], [], linestyle="--", linewidth=2, color=REFERENCE_COLOUR, label="perfect")]
    if filled:
        xs = [b.centre_permille / 10 for b in filled]
        ys = [100 * b.yes_count / b.count for b in filled]
        bands = [wilson_interval(b.yes_count, b.count) for b in filled]
        below = [y - 100 * low for y, (low, _) in zip(ys, bands, strict=True)]
        above = [100 * high - y for y, (_, high) in zip(ys, bands, strict=True)]
        axes.errorbar(
            xs, ys, yerr=[below, above], fmt="none", ecolor=COMMUNITY_COLOUR, elinewidth=2,
            capsize=6, capthick=2, alpha=0.9, zorder=2,
        )  # fmt: skip
        largest = max(b.count for b in filled)
        sizes = [40 + 360 * b.count / largest for b in filled]
        axes.scatter(xs, ys, s=sizes, color=COMMUNITY_COLOUR, alpha=0.9, zorder=3)
        handles += [
            Line2D([], [], color=COMMUNITY_COLOUR, marker="o", markersize=MARKER_PT,
                   linestyle="none", label="came true"),
            Line2D([], [], color=COMMUNITY_COLOUR, marker="|", markersize=MARKER_PT * 1.5,
                   markeredgewidth=2, linestyle="none", label="95% range"),
        ]  # fmt: skip
        _counts(axes, filled)
        _legend_clear_of(axes, handles, _marks(axes, xs, ys, sizes, bands))
    else:
        no_data(axes, "No resolved forecasts yet")
        legend(axes, handles)
    finish(axes, "forecast", "came true")
    return figure


#: Where the legend may go, best first: the corners away from the diagonal, then the others.
_LEGEND_PLACES: tuple[LegendPlace, ...] = ("upper left", "lower right", "upper right", "lower left")


def _legend_clear_of(axes: Axes, handles: Sequence[Line2D], marks: Sequence[Bbox]) -> None:
    """The legend in the first corner where it hides no point or bar (else the one where it
    hides fewest): a badly calibrated bucket sits exactly in the corner it would cover."""
    renderer = renderer_of(axes.figure)  # type: ignore[arg-type]
    hidden: dict[LegendPlace, int] = {}
    for place in _LEGEND_PLACES:
        legend(axes, handles, place)
        box = axes.get_legend().get_window_extent(renderer)  # type: ignore[union-attr]
        hidden[place] = sum(box.overlaps(mark) for mark in marks)
        if hidden[place] == 0:
            return
    legend(axes, handles, min(_LEGEND_PLACES, key=hidden.__getitem__))


def _marks(
    axes: Axes,
    xs: Sequence[float],
    ys: Sequence[float],
    sizes: Sequence[float],
    bands: Sequence[tuple[float, float]],
) -> list[Bbox]:
    """Display boxes of every marker and error bar."""
    to_px = axes.transData.transform
    px_per_pt = axes.figure.dpi / 72
    boxes = []
    for x, y, size, (low, high) in zip(xs, ys, sizes, bands, strict=True):
        cx, cy = to_px((x, y))
        radius = math.sqrt(size) / 2 * px_per_pt
        boxes.append(Bbox.from_extents(cx - radius, cy - radius, cx + radius, cy + radius))
        (_, bottom), (_, top) = to_px((x, 100 * low)), to_px((x, 100 * high))
        cap = 6 * px_per_pt
        boxes.append(Bbox.from_extents(cx - cap, bottom, cx + cap, top))
    return boxes
