"""PNG charts for calibration and prediction history.

Built on :class:`matplotlib.figure.Figure` with the Agg canvas and never ``pyplot``: pyplot keeps
global state, so it is unsafe in the worker threads where the bot renders charts
(``asyncio.to_thread``). Every chart is exactly :data:`CHART_WIDTH` × :data:`CHART_HEIGHT` pixels
(no ``bbox_inches="tight"``), so embeds look the same every time. User text is drawn with
``parse_math=False``: a ``$`` in a title is a dollar sign, not mathtext.

Phones (issue 11): Discord shows an embed image about :data:`PHONE_DISPLAY_WIDTH` px wide on a
phone, so every text is sized to be at least :data:`MIN_TEXT_PX` px *there* (the canvas is
800 px, shown at half size). Colours fit Discord's dark theme and are set on each element,
never through ``rcParams`` (global, so unsafe in worker threads). Times are drawn in the
viewer's zone.
"""

from __future__ import annotations

import io
from array import array
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.ticker import FuncFormatter, MultipleLocator

from bot.forecasting.calibration import Bucket

CHART_WIDTH = 800
CHART_HEIGHT = 560
PHONE_DISPLAY_WIDTH = 400  # px an embed image gets on a phone
MIN_TEXT_PX = 14
_DPI = 100
_TITLE_LIMIT = 40
# Point sizes: 21 pt at 100 dpi is ~29 px on the canvas, ~14.6 px on a phone.
_TEXT_PT = 21
_TITLE_PT = 23
_COMMUNITY_COLOUR = "#8C95FF"  # a light blurple: visible on dark grey
_VOTE_COLOUR = "#FF73C6"
_BACKGROUND = "#2B2D31"  # Discord's dark embed background
_FOREGROUND = "#DBDEE1"
_GRID = "#4E5058"


def text_px_on_phone(points: float) -> float:
    """How many pixels a font of ``points`` is once Discord scales the chart to a phone."""
    return points * _DPI / 72 * PHONE_DISPLAY_WIDTH / CHART_WIDTH


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
    figure.set_facecolor(_BACKGROUND)
    axes = figure.add_subplot()
    axes.set_facecolor(_BACKGROUND)
    axes.set_title(_safe_title(title), parse_math=False, fontsize=_TITLE_PT, color=_FOREGROUND)
    axes.tick_params(colors=_FOREGROUND, labelsize=_TEXT_PT)
    for spine in axes.spines.values():
        spine.set_color(_GRID)
    return figure, axes


def _finish(figure: Figure, axes: Axes, xlabel: str, ylabel: str) -> None:
    axes.set_xlabel(xlabel, fontsize=_TEXT_PT, color=_FOREGROUND)
    axes.set_ylabel(ylabel, fontsize=_TEXT_PT, color=_FOREGROUND)
    axes.grid(color=_GRID, alpha=0.8)
    legend = axes.get_legend()
    if legend is not None:
        legend.get_frame().set_facecolor(_BACKGROUND)
        legend.get_frame().set_edgecolor(_GRID)
        for text in legend.get_texts():
            text.set_color(_FOREGROUND)
            text.set_fontsize(_TEXT_PT)
    figure.subplots_adjust(left=0.16, right=0.97, top=0.88, bottom=0.2)


def _percent_axis(axes: Axes, which: str) -> None:
    axis = axes.xaxis if which == "x" else axes.yaxis
    axis.set_major_locator(MultipleLocator(25))
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
        fontsize=_TEXT_PT,
        color=_FOREGROUND,
        parse_math=False,
        bbox={"facecolor": _BACKGROUND, "edgecolor": "none"},
    )


def calibration_chart(buckets: Sequence[Bucket], title: str) -> bytes:
    """Observed frequency per bucket against the diagonal of perfect calibration."""
    return _png(calibration_figure(buckets, title))


def calibration_figure(buckets: Sequence[Bucket], title: str) -> Figure:
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
        )
        for x, y, bucket in zip(xs, ys, filled, strict=True):
            axes.annotate(
                f"n={bucket.count}",
                (x, y),
                textcoords="offset points",
                xytext=(0, 14),
                ha="center",
                fontsize=_TEXT_PT,
                color=_FOREGROUND,
            )
    else:
        _no_data(axes, "No resolved forecasts yet")
    axes.set_xlim(-5, 105)
    axes.set_ylim(-5, 115)
    _percent_axis(axes, "x")
    _percent_axis(axes, "y")
    axes.plot([], [], color=_COMMUNITY_COLOUR, marker="o", linestyle="none", label="observed")
    axes.legend(loc="upper left")
    _finish(figure, axes, "forecast", "came true")
    return figure


def _plot_history(
    axes: Axes,
    community: Sequence[tuple[datetime, float]],
    votes: Sequence[tuple[datetime, int]],
    first: datetime,
    last: datetime,
    tz: tzinfo,
) -> None:
    # matplotlib plots datetimes through its unit converters, but its stubs only admit floats
    # (and matplotlib.dates has no annotations): hence the ``Any`` and the ignores.
    left: Any = first
    right: Any = last
    axes.set_xlim(left, right)
    locator = AutoDateLocator(tz=tz, minticks=2, maxticks=6)  # type: ignore[no-untyped-call]
    formatter = ConciseDateFormatter(locator, tz=tz)  # type: ignore[no-untyped-call]
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
            label="community",
        )
    if votes:
        vote_x: list[Any] = [t for t, _ in votes]
        axes.scatter(
            vote_x,
            [p / 10 for _, p in votes],
            color=_VOTE_COLOUR,
            alpha=0.7,
            s=40,
            zorder=3,
            label="votes",
        )
    axes.legend(loc="upper left")


def history_chart(
    community: Sequence[tuple[datetime, float]],
    votes: Sequence[tuple[datetime, int]],
    title: str,
    tz: tzinfo = UTC,
) -> bytes:
    """The community forecast over time as a step line, with every vote as a dot.

    ``community`` values and ``votes`` are per-mille; times are shown in ``tz`` (the viewer's).
    """
    return _png(history_figure(community, votes, title, tz))


def history_figure(
    community: Sequence[tuple[datetime, float]],
    votes: Sequence[tuple[datetime, int]],
    title: str,
    tz: tzinfo = UTC,
) -> Figure:
    figure, axes = _new_figure(title)
    times = [t for t, _ in community] + [t for t, _ in votes]
    if not times:
        _no_data(axes, "No votes yet")
    else:
        first, last = min(times), max(times)
        if last - first < timedelta(hours=1):  # a single moment still gets a readable axis
            first, last = first - timedelta(hours=1), last + timedelta(hours=1)
        _plot_history(axes, community, votes, first, last, tz)
    axes.set_ylim(0, 100)
    _percent_axis(axes, "y")
    offset = axes.xaxis.get_offset_text()
    offset.set_fontsize(_TEXT_PT)
    offset.set_color(_FOREGROUND)
    _finish(figure, axes, f"time ({getattr(tz, 'key', None) or tz.tzname(None) or 'UTC'})", "")
    return figure


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


def history_chart_packed(
    community: array[float], votes: array[float], title: str, tz: tzinfo = UTC
) -> bytes:
    """:func:`history_chart` from :func:`pack_points` arrays (what the chart worker receives)."""
    return history_chart(
        _unpack(community), [(when, int(value)) for when, value in _unpack(votes)], title, tz
    )
