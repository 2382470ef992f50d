"""The fan chart of a numeric or date question: the community's median over time as a step
line, with its 80 % interval (10th to 90th percentile) as a band, times in the viewer's zone.

Values arrive as plain floats (dates as day numbers, see :mod:`bot.domain.kinds.date`), so a
chart worker needs no question kind; ``dates`` says how to label the value axis.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from bot.forecasting.chart_style import (
    COMMUNITY_COLOUR,
    FOREGROUND,
    TEXT_PT,
    finish,
    legend,
    new_figure,
    no_data,
    png,
)

#: One step: (POSIX time, 10th percentile, median, 90th percentile); ±inf beyond an open end.
FanStep = tuple[float, float, float, float]


def value_axis(axes: Axes, which: str, dates: bool, low: float, high: float) -> None:
    """Dates as ``2027-03-01`` (a few ticks, they are long), numbers as they come."""
    axis = axes.yaxis if which == "y" else axes.xaxis
    axis.set_major_locator(MaxNLocator(3 if dates else 6))
    if dates:
        axis.set_major_formatter(
            FuncFormatter(lambda value, _: date.fromordinal(max(1, round(value))).isoformat())
        )
    (axes.set_ylim if which == "y" else axes.set_xlim)(low, high)


def _clip(value: float, low: float, high: float) -> float:
    """A percentile beyond an open end is drawn at that end."""
    return min(max(value, low), high) if math.isfinite(value) else (high if value > 0 else low)


def _plot_fan(
    axes: Axes, steps: Sequence[FanStep], low: float, high: float, tz: tzinfo
) -> list[Line2D]:
    ordered = sorted(steps)
    first = datetime.fromtimestamp(ordered[0][0], UTC)
    last = datetime.fromtimestamp(ordered[-1][0], UTC)
    if last - first < timedelta(hours=1):  # a single moment still gets a readable axis
        last = first + timedelta(hours=1)
    left: Any = first
    right: Any = last + (last - first) * 0.05
    axes.set_xlim(left, right)
    locator = AutoDateLocator(tz=tz, minticks=2, maxticks=5)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator, tz=tz))  # type: ignore[no-untyped-call]
    xs: list[Any] = [datetime.fromtimestamp(t, UTC) for t, *_ in ordered] + [right]
    p10 = [_clip(s[1], low, high) for s in ordered]
    median = [_clip(s[2], low, high) for s in ordered]
    p90 = [_clip(s[3], low, high) for s in ordered]
    axes.fill_between(
        xs, p10 + p10[-1:], p90 + p90[-1:], step="post", color=COMMUNITY_COLOUR, alpha=0.3
    )
    axes.step(xs, median + median[-1:], where="post", color=COMMUNITY_COLOUR, linewidth=2.5)
    return [
        Line2D([], [], color=COMMUNITY_COLOUR, linewidth=2.5, label="median"),
        Line2D([], [], color=COMMUNITY_COLOUR, alpha=0.3, linewidth=10, label="80 % interval"),
    ]


def fan_figure(
    steps: Sequence[FanStep],
    title: str,
    low: float,
    high: float,
    unit: str = "",
    dates: bool = False,
    tz: tzinfo = UTC,
) -> Figure:
    figure, axes = new_figure(title)
    if not steps:
        no_data(axes, "No forecasts yet")
    else:
        legend(axes, _plot_fan(axes, steps, low, high, tz))
    value_axis(axes, "y", dates, low, high)
    offset = axes.xaxis.get_offset_text()
    offset.set_fontsize(TEXT_PT)
    offset.set_color(FOREGROUND)
    finish(axes, f"time ({getattr(tz, 'key', None) or tz.tzname(None) or 'UTC'})", unit)
    if dates:
        # The lowest date label hangs below the axes' corner: keep the time labels clear of it.
        axes.tick_params(axis="x", pad=10)
        _room_for_dates(figure, axes)
    return figure


def _room_for_dates(figure: Figure, axes: Axes) -> None:
    """Dates on the value axis (``2027-03-01``) are wider than numbers: move the axes right
    until the labels fit inside the image."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    labels = [t for t in axes.get_yticklabels() if t.get_text()]
    if not labels:
        return
    overhang = -min(t.get_window_extent(renderer).x0 for t in labels)
    if axes.yaxis.label.get_text():
        overhang = max(overhang, -axes.yaxis.label.get_window_extent(renderer).x0)
    if overhang > -4:  # already inside, with a few pixels to spare
        left = figure.subplotpars.left + (overhang + 8) / figure.bbox.width
        figure.subplots_adjust(left=min(left, 0.4))


def fan_chart(
    steps: Sequence[FanStep],
    title: str,
    low: float,
    high: float,
    unit: str = "",
    dates: bool = False,
    tz: tzinfo = UTC,
) -> bytes:
    """The fan chart as PNG bytes (what the chart worker runs)."""
    return png(fan_figure(steps, title, low, high, unit, dates, tz))
