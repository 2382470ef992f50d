"""PNG charts for calibration and prediction history: one module per chart
(:mod:`~bot.forecasting.calibration_chart`, :mod:`~bot.forecasting.history_chart`), what they
share in :mod:`~bot.forecasting.chart_style`. This module is their one import point (and what a
chart worker imports to warm up)."""

from __future__ import annotations

from bot.forecasting.calibration_chart import calibration_chart, calibration_figure
from bot.forecasting.chart_style import (
    CHART_HEIGHT,
    CHART_WIDTH,
    MIN_TEXT_PX,
    PHONE_DISPLAY_WIDTH,
    text_px_on_phone,
)
from bot.forecasting.history_chart import (
    history_chart,
    history_chart_packed,
    history_figure,
)
from bot.forecasting.point_packing import pack_points

__all__ = [
    "CHART_HEIGHT",
    "CHART_WIDTH",
    "MIN_TEXT_PX",
    "PHONE_DISPLAY_WIDTH",
    "calibration_chart",
    "calibration_figure",
    "history_chart",
    "history_chart_packed",
    "history_figure",
    "pack_points",
    "text_px_on_phone",
]
