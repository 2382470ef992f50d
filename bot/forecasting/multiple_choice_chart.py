"""The history chart of a multiple-choice question: one step line per option, the community's
probability of each over time, times drawn in the viewer's zone.

A popular question has 20,000 changes; a chart 800 px wide cannot show more than one value per
pixel column, so the steps are thinned to the last value in each of :data:`MAX_STEPS` equal
slices of time before drawing (the line still ends on the latest community forecast). The
worker process receives the steps as one flat array (:func:`pack_steps`): pickled as a block
of bytes, not 20,000 tuples.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from bot.forecasting.chart_style import (
    BACKGROUND,
    FOREGROUND,
    GRID,
    TEXT_PT,
    finish,
    new_figure,
    no_data,
    percent_axis,
    png,
)

#: Steps drawn at most (per option): about one per pixel column of the plot.
MAX_STEPS = 600
#: Ten distinguishable colours on Discord's dark background (Okabe–Ito, then lighter tones).
OPTION_COLOURS = (
    "#8C95FF",
    "#FF73C6",
    "#F0E442",
    "#56B4E9",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#FFFFFF",
    "#B5BAC1",
)
LEGEND_NAME = 18  # characters of an option's name in the legend


Step = tuple[float, Sequence[int]]  # (POSIX time, per-mille per option)


def pack_steps(steps: Sequence[Step]) -> array[float]:
    """``[t, p1, …, pn, t, p1, …]`` as one array (the option count travels beside it)."""
    flat = array("d")
    for when, shares in steps:
        flat.append(when)
        flat.extend(float(p) for p in shares)
    return flat


def thinned(steps: Sequence[Step], limit: int = MAX_STEPS) -> list[Step]:
    """At most ``limit`` steps: the last of each equal slice of time, and always the last."""
    if len(steps) <= limit:
        return list(steps)
    first, last = steps[0][0], steps[-1][0]
    width = (last - first) / limit or 1.0
    kept: dict[int, Step] = {}
    for step in steps:
        kept[min(int((step[0] - first) / width), limit - 1)] = step
    return [kept[key] for key in sorted(kept)]


def place_legend(axes: Axes, handles: Sequence[Line2D]) -> None:
    """Up to four options at full size; more in two columns of smaller text."""
    many = len(handles) > 4
    shown = axes.legend(
        handles=list(handles),
        loc="upper left",
        fontsize=TEXT_PT * (0.62 if many else 1.0),
        ncol=2 if many else 1,
        handlelength=1.5,
        facecolor=BACKGROUND,
        edgecolor=GRID,
        framealpha=0.7,
    )
    for text in shown.get_texts():
        text.set_color(FOREGROUND)


def choice_chart_packed(
    flat: array[float], options: Sequence[str], title: str, tz: tzinfo = UTC
) -> bytes:
    """:func:`choice_chart` from a :func:`pack_steps` array (what the chart worker receives)."""
    width = len(options) + 1
    steps = [
        (flat[i], [int(p) for p in flat[i + 1 : i + width]]) for i in range(0, len(flat), width)
    ]
    return choice_chart(steps, options, title, tz)


def choice_chart(
    steps: Sequence[Step], options: Sequence[str], title: str, tz: tzinfo = UTC
) -> bytes:
    """One line per option: the community's probability of it after each change."""
    return png(choice_figure(steps, options, title, tz))


def choice_figure(
    steps: Sequence[Step], options: Sequence[str], title: str, tz: tzinfo = UTC
) -> Figure:
    figure, axes = new_figure(title)
    if not steps:
        no_data(axes, "No forecasts yet")
    else:
        shown = thinned(sorted(steps, key=lambda step: step[0]))
        times = [datetime.fromtimestamp(when, UTC) for when, _ in shown]
        first, last = times[0], times[-1]
        if last - first < timedelta(hours=1):  # a single moment still gets a readable axis
            first, last = first - timedelta(hours=1), last + timedelta(hours=1)
        left: Any = first
        right: Any = last
        axes.set_xlim(left, right)
        locator = AutoDateLocator(tz=tz, minticks=2, maxticks=5)  # type: ignore[no-untyped-call]
        formatter = ConciseDateFormatter(locator, tz=tz)  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(formatter)
        step_x: list[Any] = [*times, right]
        handles = []
        for index, option in enumerate(options):
            colour = OPTION_COLOURS[index % len(OPTION_COLOURS)]
            values = [shares[index] / 10 for _, shares in shown]
            axes.step(step_x, [*values, values[-1]], where="post", color=colour, linewidth=2.2)
            name = option if len(option) <= LEGEND_NAME else option[: LEGEND_NAME - 1] + "…"
            handles.append(Line2D([], [], color=colour, linewidth=2.2, label=name))
        place_legend(axes, handles)
    axes.set_ylim(-5, 105)
    percent_axis(axes, "y")
    offset = axes.xaxis.get_offset_text()
    offset.set_fontsize(TEXT_PT)
    offset.set_color(FOREGROUND)
    finish(axes, f"time ({getattr(tz, 'key', None) or tz.tzname(None) or 'UTC'})", "")
    return figure
