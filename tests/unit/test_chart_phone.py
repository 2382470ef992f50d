"""Charts read on a phone (issue 11): every text ≥ 14 px at the width Discord shows them,
dark colours, and the time axis in the viewer's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.text import Text

from bot.forecasting.calibration import calibration_table
from bot.forecasting.charts import (
    MIN_TEXT_PX,
    calibration_figure,
    history_figure,
    text_px_on_phone,
)

T0 = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)


def _texts(figure: Figure) -> list[Text]:
    figure.canvas.draw()  # tick labels exist once drawn
    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _luminance(colour: object) -> float:
    r, g, b = to_rgb(colour)  # type: ignore[arg-type]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _history() -> Figure:
    community = [(T0 + timedelta(hours=h), 300.0 + 10 * h) for h in range(48)]
    votes = [(T0 + timedelta(hours=h), 300 + 10 * h) for h in range(48)]
    return history_figure(community, votes, "#1: community forecast", ZoneInfo("Asia/Tokyo"))


def _calibration() -> Figure:
    return calibration_figure(
        calibration_table([(p, p % 3 == 0) for p in range(10, 991, 7)]), "Calibration"
    )


def test_every_text_is_at_least_14_px_on_a_phone() -> None:
    for figure in (_history(), _calibration()):
        texts = _texts(figure)
        assert texts
        smallest = min(text_px_on_phone(t.get_fontsize()) for t in texts)
        assert smallest >= MIN_TEXT_PX, [
            (t.get_text(), t.get_fontsize()) for t in texts if t.get_fontsize() < 20
        ]


def test_dark_background_light_text() -> None:
    for figure in (_history(), _calibration()):
        assert _luminance(figure.get_facecolor()) < 0.25
        assert all(_luminance(t.get_color()) > 0.6 for t in _texts(figure))


def _hour_labels(zone: ZoneInfo) -> str:
    points = [(T0 + timedelta(hours=h), 500.0) for h in range(4)]
    figure = history_figure(points, [(t, 500) for t, _ in points], "zone", zone)
    assert figure.axes[0].get_xlabel() == f"time ({zone.key})"
    return " ".join(t.get_text() for t in _texts(figure))


def test_time_axis_is_in_the_viewers_zone() -> None:
    # 23:30 UTC is 08:30 in Tokyo: the same votes get Tokyo's hours on a Tokyo viewer's chart.
    tokyo, utc = _hour_labels(ZoneInfo("Asia/Tokyo")), _hour_labels(ZoneInfo("UTC"))
    assert "10:00" in tokyo and "01:00" not in tokyo, tokyo
    assert "01:00" in utc and "10:00" not in utc, utc
