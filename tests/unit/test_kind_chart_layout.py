"""The charts of the other question kinds (#19) as matplotlib lays them out: no text overlaps
another or leaves the image, with long titles, ten long option names, units and dates."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from matplotlib.figure import Figure

from bot.forecasting.density_chart import density_figure
from bot.forecasting.fan_chart import fan_figure
from bot.forecasting.multiple_choice_chart import choice_figure
from tests.unit.chart_text import drawn_texts

T0 = 1_796_000_000.0
DAY = 86_400.0
LONG_TITLE = "#1234: " + "Will the harbour bridge reopen before the storm season? " * 3
OPTIONS = [f"Option {i} with a rather long name" for i in range(10)]


def choices() -> Figure:
    steps = [
        (T0 + i * DAY / 4, [100 + (i * (k + 1)) % 50 for k in range(9)] + [0]) for i in range(80)
    ]
    steps = [(t, [*shares[:-1], 1000 - sum(shares[:-1])]) for t, shares in steps]
    return choice_figure(steps, OPTIONS, LONG_TITLE)


def fan() -> Figure:
    steps = [(T0 + i * DAY, 200.0 + i, 300.0 + i, 420.0 + 2 * i) for i in range(30)]
    return fan_figure(steps, LONG_TITLE, 0, 650, "seats in the house")


def fan_of_dates() -> Figure:
    low, high = 739_000.0, 739_365.0  # day numbers of a year
    steps = [(T0 + i * DAY, low + 20 + i, low + 120 + i, high - 10) for i in range(30)]
    return fan_figure(steps, LONG_TITLE, low, high, dates=True)


def density() -> Figure:
    densities = [0.2] * 60 + [2.0] * 80 + [0.2] * 60
    return density_figure(
        densities, LONG_TITLE, 0, 650, unit="seats", beyond=(0.05, 0.1), outcome=312.0
    )


FIGURES: dict[str, Callable[[], Figure]] = {
    "multiple choice, ten long options": choices,
    "fan chart with a unit": fan,
    "fan chart of dates": fan_of_dates,
    "density with an outcome and open ends": density,
}


@pytest.mark.parametrize("name", list(FIGURES))
def test_no_text_overlaps_another_or_leaves_the_image(name: str) -> None:
    figure = FIGURES[name]()
    width, height = figure.canvas.get_width_height()
    texts = drawn_texts(figure)
    assert texts, "the chart draws no text at all"
    clipped = [
        n for n, b in texts if b.x0 < -1 or b.y0 < -1 or b.x1 > width + 1 or b.y1 > height + 1
    ]
    assert not clipped, clipped
    overlapping = [
        (a, b)
        for i, (a, box_a) in enumerate(texts)
        for b, box_b in texts[i + 1 :]
        if box_a.overlaps(box_b)
    ]
    assert not overlapping, overlapping
