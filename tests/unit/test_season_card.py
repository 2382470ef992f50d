"""The recap card as matplotlib lays it out: no text overlaps another or leaves the card,
whatever the season and its members are called."""

from __future__ import annotations

import pytest

from bot.forecasting.calibration import calibration_table
from bot.forecasting.season_card import season_card, season_card_figure
from tests.unit.chart_text import drawn_texts

WIDE = "W" * 80
CASES = {
    "long names everywhere": (
        WIDE,
        "1 December 2026 – 31 March 2027 · tagged " + ", ".join(["climate policy"] * 5),
        "12,345 forecasters took part · 6,789 predictions resolved",
        [(WIDE, "−0.123"), ("漢字 🦄 " * 8, "+0.050"), ("$x^2$", "0.000"), ("d", "+1.000")] * 2,
        calibration_table([(p, i % 2 == 0) for p in range(10, 991, 98) for i in range(50)]),
    ),
    "nobody ranked, no forecasts": (
        "Q1",
        "From 1 December 2026",
        "0 forecasters took part",
        [],
        calibration_table([]),
    ),
    "one forecaster at the extremes": (
        "Tiny",
        "1 – 2 December 2026",
        "1 forecaster took part · 1 prediction resolved",
        [("alice", "−0.250")],
        calibration_table([(990, True), (10, False)]),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_no_text_overlaps_another_or_leaves_the_card(case: str) -> None:
    figure = season_card_figure(*CASES[case])
    width, height = figure.canvas.get_width_height()
    texts = drawn_texts(figure)
    clipped = [n for n, b in texts if b.x0 < 0 or b.y0 < 0 or b.x1 > width or b.y1 > height]
    assert not clipped, clipped
    overlapping = [
        (a, b)
        for i, (a, box_a) in enumerate(texts)
        for b, box_b in texts[i + 1 :]
        if box_a.overlaps(box_b)
    ]
    assert not overlapping, overlapping
    shown = [name for name, _ in texts]
    assert "Season recap" in shown and any(n.startswith("Calibration") for n in shown)


def test_the_card_is_a_png_sized_for_sharing() -> None:
    data = season_card(*CASES["one forecaster at the extremes"])
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1200, 630)
