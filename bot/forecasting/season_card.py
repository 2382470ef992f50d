"""A season's recap card: a 1200×630 PNG worth sharing (the size link unfurlers and social
sites expect), in the charts' house style (:mod:`bot.forecasting.chart_style`): the season's
name and dates, how many took part, its top forecasters, and a small calibration plot.

Drawn in a chart worker (module-level, picklable arguments). Names and the season's name are
member text: drawn with ``parse_math=False``, glyphs the font lacks replaced, and cut visibly
(…) to fit their column, so nothing overlaps whatever members are called.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator, FuncFormatter

from bot.forecasting.calibration import Bucket
from bot.forecasting.chart_style import (
    BACKGROUND,
    COMMUNITY_COLOUR,
    FOREGROUND,
    GRID,
    REFERENCE_COLOUR,
    png,
    renderer_of,
)

CARD_WIDTH, CARD_HEIGHT, DPI = 1200, 630, 100
MUTED = "#B5BAC1"
NAME_CHARS = 16
SEASON_CHARS = 34
TOP_SHOWN = 5
_LEFT = 0.04


def _shown(text: str, limit: int) -> str:
    """One line, at most ``limit`` characters (cut with …), unknown glyphs as ``?``."""
    line = " ".join(text.split())
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    font = get_font(findfont(FontProperties()))
    return "".join(c if c == " " or font.get_char_index(ord(c)) else "?" for c in line)


def _fit(figure: Figure, shown: Text, right: float) -> None:
    """Shorten ``shown`` (with …) until it ends left of ``right`` (a figure fraction)."""
    renderer = renderer_of(figure)
    limit = right * figure.bbox.width
    text = shown.get_text()
    while len(text) > 1 and shown.get_window_extent(renderer).x1 > limit:
        text = text.rstrip("…")[:-1].rstrip() + "…"
        shown.set_text(text)


def season_card_figure(
    season: str,
    dates: str,
    took_part: str,
    top: Sequence[tuple[str, str]],
    buckets: Sequence[Bucket],
) -> Figure:
    """``top``: (name, score) of the first places, best first; ``took_part``: a sentence."""
    figure = Figure(figsize=(CARD_WIDTH / DPI, CARD_HEIGHT / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.set_facecolor(BACKGROUND)
    text: dict[str, Any] = {"parse_math": False, "ha": "left", "va": "top"}
    figure.text(_LEFT, 0.95, "Season recap", fontsize=20, color=MUTED, **text)
    for y, line, size, colour in (
        (0.88, _shown(season, SEASON_CHARS), 36, FOREGROUND),
        (0.75, _shown(dates, 80), 18, MUTED),
        (0.68, _shown(took_part, 80), 18, MUTED),
    ):
        _fit(figure, figure.text(_LEFT, y, line, fontsize=size, color=colour, **text), 0.96)
    figure.text(_LEFT, 0.56, "Top forecasters", fontsize=22, color=COMMUNITY_COLOUR, **text)
    if not top:
        figure.text(_LEFT, 0.47, "Nobody ranked yet", fontsize=20, color=FOREGROUND, **text)
    for place, (name, score) in enumerate(top[:TOP_SHOWN]):
        y = 0.47 - place * 0.085
        label = f"{place + 1}. {_shown(name, NAME_CHARS)}"
        _fit(figure, figure.text(_LEFT, y, label, fontsize=20, color=FOREGROUND, **text), 0.38)
        figure.text(0.40, y, _shown(score, 8), fontsize=20, color=MUTED, **text)
    _calibration(figure, buckets)
    return figure


def _calibration(figure: Figure, buckets: Sequence[Bucket]) -> None:
    """Observed against forecast, dots sized by count, the diagonal for reference."""
    axes = figure.add_axes((0.66, 0.13, 0.30, 0.40))
    axes.set_facecolor(BACKGROUND)
    for spine in axes.spines.values():
        spine.set_color(GRID)
    axes.set_xlim(-6, 106)  # room for a full dot at 0 % and 100 %
    axes.set_ylim(-6, 106)
    axes.plot([0, 100], [0, 100], color=REFERENCE_COLOUR, linestyle="--", linewidth=1.5)
    filled = [b for b in buckets if b.count and b.mean_forecast is not None]
    if filled:
        biggest = max(b.count for b in filled)
        axes.scatter(
            [(b.mean_forecast or 0) * 100 for b in filled],
            [(b.observed_frequency or 0) * 100 for b in filled],
            s=[40 + 260 * b.count / biggest for b in filled],
            color=COMMUNITY_COLOUR,
            zorder=3,
        )
    for axis in (axes.xaxis, axes.yaxis):
        axis.set_major_locator(FixedLocator([0, 50, 100]))
        axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0f}%"))
    axes.tick_params(colors=FOREGROUND, labelsize=16)
    axes.grid(color=GRID, alpha=0.8)
    axes.set_title("Calibration", fontsize=20, color=FOREGROUND, parse_math=False, pad=10)
    axes.set_xlabel("Said", fontsize=16, color=FOREGROUND)
    axes.set_ylabel("Happened", fontsize=16, color=FOREGROUND)


def season_card(
    season: str,
    dates: str,
    took_part: str,
    top: Sequence[tuple[str, str]],
    buckets: Sequence[Bucket],
) -> bytes:
    """The card as PNG bytes."""
    return png(season_card_figure(season, dates, took_part, top, buckets))
