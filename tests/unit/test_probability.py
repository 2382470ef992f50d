"""Reading and writing probabilities the way members type them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import InvalidInput
from bot.forecasting.keycaps import keycap_permille
from bot.forecasting.probability import (
    ENDS_NOTE,
    clamp_permille,
    format_probability,
    parse_probability,
    read_probability,
)

HOW_TO = "Give a probability between 1 and 99 %, e.g. `70`, `70%` or `0.7`."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("70", 700),
        ("70%", 700),
        (" 70 % ", 700),
        ("0.7", 700),
        ("0.05", 50),
        (".5", 500),
        ("0.725", 725),
        ("0,7", 700),
        ("72.5", 725),
        ("72.5%", 725),
        ("72,5", 725),
        ("72,5 %", 725),
        ("72.50", 725),
        ("1", 10),
        ("1%", 10),
        ("1.0", 10),
        ("99", 990),
        ("99%", 990),
        ("0.99", 990),
        ("0.01", 10),
        ("007", 70),
        ("50％", 500),
    ],
)
def test_accepted_inputs(text: str, expected: int) -> None:
    assert parse_probability(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "150",
        "-5",
        "abc",
        "50.5.5",
        "nan",
        "NaN",
        "",
        "   ",
        "∞",
        "inf",
        "1e2",
        "0.7%",
        "100.5",
        "0.05%",
        "99.5",
        "0.995",
        "70%%",
        "%",
        "7 0",
        "+70",
        "5.",
        "٧٠",  # Arabic-Indic digits: not what the examples show
    ],
)
def test_rejected_inputs(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_probability(text)
    assert HOW_TO in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 10),
        ("0%", 10),
        ("0.0", 10),
        ("0,0 %", 10),
        ("100", 990),
        ("100%", 990),
        ("100.0", 990),
        (" 100 ％", 990),
    ],
)
def test_the_ends_are_one_rule_everywhere(text: str, expected: int) -> None:
    """0 and 100 % are kept as 1 and 99 % with the note, wherever a probability is typed
    (slash vote, vote form, /predict): parse_probability and read_probability agree, and the
    keycaps 0 and 10 land on the same values."""
    read = read_probability(text)
    assert (read.permille, read.clamped, read.note) == (expected, True, ENDS_NOTE)
    assert parse_probability(text) == expected
    assert expected in {keycap_permille(0), keycap_permille(10)}


def test_ordinary_values_carry_no_note() -> None:
    assert read_probability("70") == read_probability("0.7")
    assert read_probability("70").note is None and not read_probability("99").clamped


@pytest.mark.parametrize("text", ["72.55", "72.55%", "0.7255"])
def test_too_precise_is_explained(text: str) -> None:
    with pytest.raises(InvalidInput, match="more precise") as caught:
        parse_probability(text)
    assert HOW_TO in str(caught.value)


def test_error_echoes_input_without_breaking_code_formatting() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_probability("`oops` " + "x" * 100)
    message = str(caught.value)
    assert "`'oops'" in message
    assert "x" * 30 not in message


@pytest.mark.parametrize(
    ("permille", "expected"),
    [(-5, 10), (0, 10), (9, 10), (10, 10), (500, 500), (990, 990), (991, 990), (1000, 990)],
)
def test_clamp(permille: int, expected: int) -> None:
    assert clamp_permille(permille) == expected


@pytest.mark.parametrize(
    ("permille", "expected"),
    [(700, "70%"), (725, "72.5%"), (10, "1%"), (990, "99%"), (5, "0.5%"), (1000, "100%")],
)
def test_format(permille: int, expected: str) -> None:
    assert format_probability(permille) == expected


@given(st.integers(min_value=10, max_value=990))
def test_format_then_parse_round_trips(permille: int) -> None:
    assert parse_probability(format_probability(permille)) == permille
