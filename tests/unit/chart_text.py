"""What a chart's reader sees: the texts matplotlib really draws and their boxes, for the
layout checks of every chart (no overlap, nothing cut off by the edge)."""

from __future__ import annotations

from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox


def _drawn(axis: Axis, label: Text) -> bool:
    """Tick labels exist for ticks outside the view; matplotlib draws only those inside."""
    for tick in axis.get_major_ticks():
        if label in (tick.label1, tick.label2):
            low, high = sorted(axis.get_view_interval())
            slack = (high - low) * 1e-9
            return bool(low - slack <= tick.get_loc() <= high + slack)
    return True


def drawn_texts(figure: Figure) -> list[tuple[str, Bbox]]:
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    axes = figure.axes[0]
    shown = []
    for text in figure.findobj(Text):
        if not (text.get_visible() and text.get_text().strip()):
            continue
        if not (_drawn(axes.xaxis, text) and _drawn(axes.yaxis, text)):
            continue
        # The words themselves: a label's leader line may cross things, its text may not.
        shown.append((text.get_text(), Text.get_window_extent(text, renderer)))
    return shown
