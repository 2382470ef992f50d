"""The link-preview card of a prediction page (OpenGraph ``og:image``): its statement, the
community forecast and its status, 1200×630 as unfurlers expect. Drawn in a chart worker."""

from __future__ import annotations

import io
import textwrap
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

CARD_WIDTH, CARD_HEIGHT, _DPI = 1200, 630, 100
_BACKGROUND = "#1E1F22"
_FOREGROUND = "#F2F3F5"
_ACCENT = "#8C95FF"
_MUTED = "#B5BAC1"
STATEMENT_LINES = 4


def preview_card(heading: str, statement: str, figure_text: str, status_text: str) -> bytes:
    """``heading`` (server and number) above the statement (wrapped, cut visibly with …),
    the forecast large, the status below. Text is drawn as text, never as math."""
    figure = Figure(figsize=(CARD_WIDTH / _DPI, CARD_HEIGHT / _DPI), dpi=_DPI)
    FigureCanvasAgg(figure)
    figure.set_facecolor(_BACKGROUND)
    lines = textwrap.wrap(" ".join(statement.split()), width=44) or [""]
    if len(lines) > STATEMENT_LINES:
        lines = lines[:STATEMENT_LINES]
        lines[-1] = lines[-1][:41] + "…"
    common: dict[str, Any] = {"parse_math": False, "ha": "left", "va": "top"}
    figure.text(0.05, 0.92, heading[:70], fontsize=24, color=_MUTED, **common)
    figure.text(0.05, 0.80, "\n".join(lines), fontsize=34, color=_FOREGROUND, **common)
    figure.text(0.05, 0.28, figure_text[:40], fontsize=54, color=_ACCENT, **common)
    figure.text(0.05, 0.10, status_text[:80], fontsize=24, color=_MUTED, **common)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI, facecolor=_BACKGROUND)
    return buffer.getvalue()
