"""The fan and density charts of numeric and date questions: what they draw and say."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.forecasting.density_chart import density_figure
from bot.forecasting.fan_chart import fan_chart, fan_figure

T0 = datetime(2026, 12, 1, tzinfo=UTC).timestamp()


def legend_texts(figure: object) -> list[str]:
    axes = figure.axes[0]  # type: ignore[attr-defined]
    return [text.get_text() for text in axes.get_legend().get_texts()]


def test_the_fan_chart_draws_the_median_and_its_interval_clipped_to_an_open_end() -> None:
    steps = [(T0, 30.0, 42.0, 60.0), (T0 + 86_400, 35.0, 50.0, float("inf"))]
    figure = fan_figure(steps, "#12: community forecast", 0, 100, "seats")
    assert legend_texts(figure) == ["median", "80 % interval"]
    axes = figure.axes[0]
    assert axes.get_ylim() == (0, 100)
    assert axes.get_ylabel() == "seats"
    assert fan_chart(steps, "t", 0, 100).startswith(b"\x89PNG")


def test_the_density_chart_marks_the_outcome_and_says_the_mass_beyond_the_range() -> None:
    densities = [0.5] * 50 + [1.5] * 100 + [0.5] * 50
    figure = density_figure(
        densities, "#13", 739_000, 739_365, dates=True, beyond=(0.0, 0.12), outcome=float("inf")
    )
    assert legend_texts(figure) == ["community (12 % above the range)", "outcome"]
    labels = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    assert any(label.count("-") == 2 for label in labels)  # dates, not day numbers
    empty = density_figure([], "#14", 0, 1)
    assert "No forecasts yet" in [t.get_text() for t in empty.axes[0].texts]
