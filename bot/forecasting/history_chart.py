"""The history chart: the community forecast over time as a step line, every vote as a dot,
times drawn in the viewer's zone."""

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
    COMMUNITY_COLOUR,
    FOREGROUND,
    MARKER_PT,
    TEXT_PT,
    VOTE_COLOUR,
    finish,
    legend,
    new_figure,
    no_data,
    percent_axis,
    png,
)
from bot.forecasting.point_packing import unpack_points

#: Points between the x tick labels and the x label: the date offset (``2026-Nov-27``) sits
#: under the ticks' right end, and a long zone name would run into it on the same line.
_XLABEL_PAD = TEXT_PT * 1.3


def _plot_history(
    axes: Axes,
    community: Sequence[tuple[datetime, float]],
    votes: Sequence[tuple[datetime, int]],
    first: datetime,
    last: datetime,
    tz: tzinfo,
) -> list[Line2D]:
    # matplotlib plots datetimes through its unit converters, but its stubs only admit floats
    # (and matplotlib.dates has no annotations): hence the ``Any`` and the ignores.
    left: Any = first
    right: Any = last
    axes.set_xlim(left, right)
    locator = AutoDateLocator(tz=tz, minticks=2, maxticks=5)  # type: ignore[no-untyped-call]
    formatter = ConciseDateFormatter(locator, tz=tz)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(formatter)
    handles = []
    if community:
        ordered = sorted(community, key=lambda point: point[0])
        # The latest community value stays in force up to the chart's right edge.
        step_x: list[Any] = [t for t, _ in ordered] + [right]
        step_y = [value / 10 for _, value in ordered] + [ordered[-1][1] / 10]
        axes.step(step_x, step_y, where="post", color=COMMUNITY_COLOUR, linewidth=2.5)
        handles.append(Line2D([], [], color=COMMUNITY_COLOUR, linewidth=2.5, label="community"))
    if votes:
        vote_x: list[Any] = [t for t, _ in votes]
        axes.scatter(
            vote_x, [p / 10 for _, p in votes], color=VOTE_COLOUR, alpha=0.7, s=40, zorder=3
        )
        handles.append(
            Line2D([], [], color=VOTE_COLOUR, marker="o", markersize=MARKER_PT * 0.8,
                   linestyle="none", label="votes")
        )  # fmt: skip
    return handles


def history_chart(
    community: Sequence[tuple[datetime, float]],
    votes: Sequence[tuple[datetime, int]],
    title: str,
    tz: tzinfo = UTC,
) -> bytes:
    """The community forecast over time as a step line, with every vote as a dot.

    ``community`` values and ``votes`` are per-mille; times are shown in ``tz`` (the viewer's).
    """
    return png(history_figure(community, votes, title, tz))


def history_figure(
    community: Sequence[tuple[datetime, float]],
    votes: Sequence[tuple[datetime, int]],
    title: str,
    tz: tzinfo = UTC,
) -> Figure:
    figure, axes = new_figure(title)
    times = [t for t, _ in community] + [t for t, _ in votes]
    if not times:
        no_data(axes, "No votes yet")
    else:
        first, last = min(times), max(times)
        if last - first < timedelta(hours=1):  # a single moment still gets a readable axis
            first, last = first - timedelta(hours=1), last + timedelta(hours=1)
        legend(axes, _plot_history(axes, community, votes, first, last, tz))
    # -5 %: the 0 % label clears the first time label under the corner.
    axes.set_ylim(-5, 105)
    percent_axis(axes, "y")
    offset = axes.xaxis.get_offset_text()
    offset.set_fontsize(TEXT_PT)
    offset.set_color(FOREGROUND)
    finish(axes, f"time ({getattr(tz, 'key', None) or tz.tzname(None) or 'UTC'})", "")
    axes.xaxis.labelpad = _XLABEL_PAD
    return figure


def history_chart_packed(
    community: array[float], votes: array[float], title: str, tz: tzinfo = UTC
) -> bytes:
    """:func:`history_chart` from :func:`pack_points` arrays (what the chart worker receives)."""
    return history_chart(
        unpack_points(community),
        [(when, int(value)) for when, value in unpack_points(votes)],
        title,
        tz,
    )
