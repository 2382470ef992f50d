"""The density chart of a numeric or date question: the community's distribution over the
range (its 200 bins), the 80 % interval shaded, and the outcome marked once resolved. Mass
beyond an open end is said in the legend, since it has no width to draw."""

from __future__ import annotations

import math
from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from bot.forecasting.chart_style import (
    COMMUNITY_COLOUR,
    VOTE_COLOUR,
    finish,
    legend,
    new_figure,
    no_data,
    png,
)
from bot.forecasting.fan_chart import value_axis

#: The plot's height over the curve's peak: room for the legend above it.
HEADROOM = 1.7


def density_figure(
    densities: Sequence[float],
    title: str,
    low: float,
    high: float,
    *,
    unit: str = "",
    dates: bool = False,
    beyond: tuple[float, float] = (0.0, 0.0),
    outcome: float | None = None,
) -> Figure:
    """``densities``: per bin, as a share of the range (a flat forecast is 1 everywhere);
    ``beyond``: the mass below / above the range; ``outcome`` on the number line (±inf:
    beyond an open end)."""
    figure, axes = new_figure(title)
    if not densities:
        no_data(axes, "No forecasts yet")
        value_axis(axes, "x", dates, low, high)
        finish(axes, unit, "")
        return figure
    width = (high - low) / len(densities)
    edges = [low + i * width for i in range(len(densities) + 1)]
    heights = [*densities, densities[-1]]
    axes.fill_between(edges, heights, step="post", color=COMMUNITY_COLOUR, alpha=0.45)
    axes.step(edges, heights, where="post", color=COMMUNITY_COLOUR, linewidth=2)
    label = "community"
    below, above = beyond
    if below >= 0.005 or above >= 0.005:
        parts = [
            f"{share * 100:.0f} % {side}"
            for share, side in ((below, "below"), (above, "above"))
            if share >= 0.005
        ]
        label += " (" + ", ".join(p for p in parts if p) + " the range)"
    handles = [Line2D([], [], color=COMMUNITY_COLOUR, alpha=0.6, linewidth=10, label=label)]
    if outcome is not None:
        at = outcome if math.isfinite(outcome) else (high if outcome > 0 else low)
        # Up to just above the curve: the legend sits over the rest.
        axes.axvline(at, ymax=1.1 / HEADROOM, color=VOTE_COLOUR, linewidth=3)
        handles.append(Line2D([], [], color=VOTE_COLOUR, linewidth=3, label="outcome"))
    axes.set_ylim(0, max(densities) * HEADROOM)
    axes.set_yticks([])
    legend(axes, handles, loc="upper right")
    value_axis(axes, "x", dates, low, high)
    finish(axes, unit, "how likely")
    return figure


def density_chart(
    densities: Sequence[float],
    title: str,
    low: float,
    high: float,
    unit: str = "",
    dates: bool = False,
    beyond: tuple[float, float] = (0.0, 0.0),
    outcome: float | None = None,
) -> bytes:
    """The density chart as PNG bytes (what the chart worker runs: arguments by position)."""
    return png(
        density_figure(
            densities, title, low, high, unit=unit, dates=dates, beyond=beyond, outcome=outcome
        )
    )
