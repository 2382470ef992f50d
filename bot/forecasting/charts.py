"""PNG charts for calibration and prediction history.

Built on :class:`matplotlib.figure.Figure` with the Agg canvas and never ``pyplot``: pyplot keeps
global state, so it is unsafe in the worker threads where the bot renders charts
(``asyncio.to_thread``). Every chart is exactly :data:`CHART_WIDTH` × :data:`CHART_HEIGHT` pixels
(no ``bbox_inches="tight"``), so embeds look the same every time. User text is drawn with
``parse_math=False``: a ``$`` in a title is a dollar sign, not mathtext.
"""

from __future__ import annotations

import io
from array import array
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.ticker import FuncFormatter, MultipleLocator

from bot.forecasting.calibration import Bucket

CHART_WIDTH = 1000
CHART_HEIGHT = 600
_DPI = 100
_TITLE_LIMIT = 70
_COMMUNITY_COLOUR = "#5865F2"  # Discord blurple
_VOTE_COLOUR = "#EB459E"


def _safe_title(title: str) -> str:
    """One line, not too long, with glyphs the font lacks replaced (no missing-glyph warnings)."""
    text = " ".join(title.split())
    if len(text) > _TITLE_LIMIT:
        text = text[: _TITLE_LIMIT - 1] + "…"
    font = get_font(findfont(FontProperties()))
    return "".join(c if c == " " or font.get_char_index(ord(c)) else "?" for c in text)


def _new_figure(title: str) -> tuple[Figure, Axes]:
    figure = Figure(figsize=(CHART_WIDTH / _DPI, CHART_HEIGHT / _DPI), dpi=_DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_title(_safe_title(title), parse_math=False)
    return figure, axes


def _percent_axis(axes: Axes, which: str) -> None:
    axis = axes.xaxis if which == "x" else axes.yaxis
    axis.set_major_locator(MultipleLocator(10))
    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0f}%"))


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI)
    return buffer.getvalue()


def _no_data(axes: Axes, message: str) -> None:
    axes.text(
        0.5,
        0.5,
        message,
        transform=axes.transAxes,
        ha="center",
        va="center",
        fontsize=14,
        color="grey",
        parse_math=False,
        bbox={"facecolor": "white", "edgecolor": "none"},
    )


def calibration_chart(buckets: Sequence[Bucket], title: str) -> bytes:
    """Observed frequency per bucket against the diagonal of perfect calibration."""
    figure, axes = _new_figure(title)
    axes.plot([0, 100], [0, 100], linestyle="--", color="grey", label="perfect calibration")
    filled = [b for b in buckets if b.count > 0 and b.observed_frequency is not None]
    if filled:
        largest = max(b.count for b in filled)
        xs = [b.centre_permille / 10 for b in filled]
        ys = [(b.observed_frequency or 0.0) * 100 for b in filled]
        sizes = [40 + 360 * b.count / largest for b in filled]
        axes.scatter(
            xs,
            ys,
            s=sizes,
            color=_COMMUNITY_COLOUR,
            alpha=0.8,
            zorder=3,
            label="observed (size = number of forecasts)",
        )
        for x, y, bucket in zip(xs, ys, filled, strict=True):
            axes.annotate(
                f"n={bucket.count}",
                (x, y),
                textcoords="offset points",
                xytext=(0, 12),
                ha="center",
                fontsize=9,
            )
    else:
        _no_data(axes, "No resolved forecasts yet")
    axes.set_xlim(-5, 105)
    axes.set_ylim(-5, 105)
    _percent_axis(axes, "x")
    _percent_axis(axes, "y")
    axes.set_xlabel("forecast")
    axes.set_ylabel("how often it happened")
    axes.grid(alpha=0.3)
    axes.legend(loc="upper left")
    return _png(figure)


def _plot_history(
    axes: Axes,
    community: Sequence[tuple[datetime, float]],
    votes: Sequence[tuple[datetime, int]],
    first: datetime,
    last: datetime,
) -> None:
    # matplotlib plots datetimes through its unit converters, but its stubs only admit floats
    # (and matplotlib.dates has no annotations): hence the ``Any`` and the ignores.
    left: Any = first
    right: Any = last
    axes.set_xlim(left, right)
    locator = AutoDateLocator(tz=UTC)  # type: ignore[no-untyped-call]
    formatter = ConciseDateFormatter(locator, tz=UTC)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(formatter)
    if community:
        ordered = sorted(community, key=lambda point: point[0])
        # The latest community value stays in force up to the chart's right edge.
        step_x: list[Any] = [t for t, _ in ordered] + [right]
        step_y = [value / 10 for _, value in ordered] + [ordered[-1][1] / 10]
        axes.step(
            step_x,
            step_y,
            where="post",
            color=_COMMUNITY_COLOUR,
            linewidth=2,
            label="community (median)",
        )
    if votes:
        vote_x: list[Any] = [t for t, _ in votes]
        axes.scatter(
            vote_x,
            [p / 10 for _, p in votes],
            color=_VOTE_COLOUR,
            alpha=0.6,
            s=25,
            zorder=3,
            label="votes",
        )
    axes.legend(loc="upper left")


def history_chart(
    community: Sequence[tuple[datetime, float]],
    votes: Sequence[tuple[datetime, int]],
    title: str,
) -> bytes:
    """The community forecast over time as a step line, with every vote as a dot.

    ``community`` values and ``votes`` are per-mille; times are shown in UTC.
    """
    figure, axes = _new_figure(title)
    times = [t for t, _ in community] + [t for t, _ in votes]
    if not times:
        _no_data(axes, "No votes yet")
    else:
        first, last = min(times), max(times)
        if last - first < timedelta(hours=1):  # a single moment still gets a readable axis
            first, last = first - timedelta(hours=1), last + timedelta(hours=1)
        _plot_history(axes, community, votes, first, last)
    axes.set_ylim(0, 100)
    _percent_axis(axes, "y")
    axes.set_xlabel("time (UTC)")
    axes.set_ylabel("probability")
    axes.grid(alpha=0.3)
    return _png(figure)


def pack_points(points: Sequence[tuple[datetime, float]]) -> array[float]:
    """Points as one flat array: pickled as a single block of bytes, not 20,000 objects.

    Handing 40,000 ``(datetime, value)`` tuples to a worker process pickles each datetime in
    one long C call that holds the GIL — a stall of the event loop of its own.
    """
    flat = array("d")
    for when, value in points:
        flat.append(when.timestamp())
        flat.append(float(value))
    return flat


def _unpack(flat: array[float]) -> list[tuple[datetime, float]]:
    return [(datetime.fromtimestamp(flat[i], UTC), flat[i + 1]) for i in range(0, len(flat), 2)]


def history_chart_packed(community: array[float], votes: array[float], title: str) -> bytes:
    """:func:`history_chart` from :func:`pack_points` arrays (what the chart worker receives)."""
    return history_chart(
        _unpack(community), [(when, int(value)) for when, value in _unpack(votes)], title
    )
