"""What every chart shares: the canvas, Discord's dark colours, phone-sized text, a title that
fits, legends whose handles show, and labels placed where they collide with nothing.

Built on :class:`matplotlib.figure.Figure` with the Agg canvas and never ``pyplot``: pyplot keeps
global state, so it is unsafe in the worker threads where the bot renders charts. Every chart is
exactly :data:`CHART_WIDTH` × :data:`CHART_HEIGHT` pixels (no ``bbox_inches="tight"``), so embeds
look the same every time. User text is drawn with ``parse_math=False``: a ``$`` in a title is a
dollar sign, not mathtext.

Phones (issue 11): Discord shows an embed image about :data:`PHONE_DISPLAY_WIDTH` px wide on a
phone, so every text is sized to be at least :data:`MIN_TEXT_PX` px *there* (the canvas is
800 px, shown at half size). Colours fit Discord's dark theme and are set on each element,
never through ``rcParams`` (global, so unsafe in worker threads).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Literal

from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator, FuncFormatter

CHART_WIDTH = 800
CHART_HEIGHT = 560
PHONE_DISPLAY_WIDTH = 400  # px an embed image gets on a phone
MIN_TEXT_PX = 14
DPI = 100
TITLE_LIMIT = 40
# Point sizes: 21 pt at 100 dpi is ~29 px on the canvas, ~14.6 px on a phone.
TEXT_PT = 21
TITLE_PT = 23
COMMUNITY_COLOUR = "#8C95FF"  # a light blurple: visible on dark grey
VOTE_COLOUR = "#FF73C6"
REFERENCE_COLOUR = "#B5BAC1"  # the diagonal: lighter than the grid, darker than text
BACKGROUND = "#2B2D31"  # Discord's dark embed background
FOREGROUND = "#DBDEE1"
GRID = "#4E5058"
#: Legend handles sized for 21 pt text (matplotlib sizes them for its 10 pt default).
HANDLE_LENGTH = 2.0  # in font sizes: ~58 px
MARKER_PT = 14
# The axes' box in figure fractions: room on the right for a tick label centred on the edge.
AXES_BOX = {"left": 0.16, "right": 0.92, "top": 0.88, "bottom": 0.2}


def text_px_on_phone(points: float) -> float:
    """How many pixels a font of ``points`` is once Discord scales the chart to a phone."""
    return points * DPI / 72 * PHONE_DISPLAY_WIDTH / CHART_WIDTH


def renderer_of(figure: Figure) -> RendererBase:
    """The Agg renderer, to measure text before the figure is drawn."""
    canvas = figure.canvas
    assert isinstance(canvas, FigureCanvasAgg)
    renderer: RendererBase = canvas.get_renderer()  # type: ignore[no-untyped-call]
    return renderer


def _known_glyphs(title: str) -> str:
    """One line with glyphs the font lacks replaced (no missing-glyph warnings)."""
    text = " ".join(title.split())
    if len(text) > TITLE_LIMIT:
        text = text[: TITLE_LIMIT - 1] + "…"
    font = get_font(findfont(FontProperties()))
    return "".join(c if c == " " or font.get_char_index(ord(c)) else "?" for c in text)


def _fit_title(figure: Figure, title: Text) -> None:
    """Shorten the title (with …) until it fits inside the figure: 40 W's are 1,200 px. It is
    centred over the axes, so the nearer figure edge bounds it."""
    renderer = renderer_of(figure)
    centre = (AXES_BOX["left"] + AXES_BOX["right"]) / 2
    room = 2 * min(centre, 1 - centre) * figure.bbox.width - 8
    text = title.get_text()
    while len(text) > 1 and title.get_window_extent(renderer).width > room:
        text = text.rstrip("…")[:-1].rstrip() + "…"
        title.set_text(text)


def new_figure(
    title: str, top: float = AXES_BOX["top"], title_pad: float = 6.0
) -> tuple[Figure, Axes]:
    """A dark figure with its title fitted; ``top`` lowers the axes and ``title_pad`` (points)
    lifts the title to make room for something between them."""
    figure = Figure(figsize=(CHART_WIDTH / DPI, CHART_HEIGHT / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.set_facecolor(BACKGROUND)
    figure.subplots_adjust(**{**AXES_BOX, "top": top})
    axes = figure.add_subplot()
    axes.set_facecolor(BACKGROUND)
    shown = axes.set_title(
        _known_glyphs(title), parse_math=False, fontsize=TITLE_PT, color=FOREGROUND, pad=title_pad
    )
    _fit_title(figure, shown)
    axes.tick_params(colors=FOREGROUND, labelsize=TEXT_PT)
    for spine in axes.spines.values():
        spine.set_color(GRID)
    return figure, axes


LegendPlace = Literal["upper left", "lower right", "upper right", "lower left"]


def legend(axes: Axes, handles: Sequence[Line2D], loc: LegendPlace = "upper left") -> None:
    """A legend from explicit handles, sized for the text beside them."""
    shown = axes.legend(
        handles=list(handles),
        loc=loc,
        fontsize=TEXT_PT,
        handlelength=HANDLE_LENGTH,
        facecolor=BACKGROUND,
        edgecolor=GRID,
        framealpha=0.7,
    )
    for text in shown.get_texts():
        text.set_color(FOREGROUND)


def finish(axes: Axes, xlabel: str, ylabel: str) -> None:
    axes.set_xlabel(xlabel, fontsize=TEXT_PT, color=FOREGROUND)
    axes.set_ylabel(ylabel, fontsize=TEXT_PT, color=FOREGROUND)
    axes.grid(color=GRID, alpha=0.8)


def percent_axis(axes: Axes, which: str) -> None:
    """0, 25, 50, 75, 100 % and nothing else (no labels for ticks outside the view)."""
    axis = axes.xaxis if which == "x" else axes.yaxis
    axis.set_major_locator(FixedLocator([0, 25, 50, 75, 100]))
    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0f}%"))


def png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def no_data(axes: Axes, message: str) -> None:
    axes.text(
        0.5,
        0.5,
        message,
        transform=axes.transAxes,
        ha="center",
        va="center",
        fontsize=TEXT_PT,
        color=FOREGROUND,
        parse_math=False,
        bbox={"facecolor": BACKGROUND, "edgecolor": "none"},
    )
