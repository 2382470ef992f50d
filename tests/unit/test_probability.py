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

HOW_TO = (
    "Give a probability between 1 and 99 %, e.g. `70`, `70%` or `0.7`, "
    "or odds like `3:1` or `1 in 5`."
)


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3:1", 750),
        ("3 : 1", 750),
        ("3 to 1", 750),
        ("3 TO 1", 750),
        ("1:3", 250),
        ("1 in 5", 200),
        ("1 IN 5", 200),
        ("2:1", 667),  # 66.66… % rounded to the nearest tenth of a percent
        ("1:2", 333),
        ("1 in 3", 333),
        ("2 in 3", 667),
        ("1.5:1", 600),
        ("21:1979", 10),  # 10.5 per mille: a tie goes to the even neighbour…
        ("1979:21", 990),  # …so that a:b and b:a still add up to 100 %
        ("1,5:1", 600),
        ("99:1", 990),
        ("1:99", 10),
        ("1 in 100", 10),
        ("75%", 750),
        ("0.75", 750),
        ("75", 750),
    ],
)
def test_odds_and_chances_are_read_as_the_probability_of_yes(text: str, expected: int) -> None:
    read = read_probability(text)
    assert (read.permille, read.clamped) == (expected, False)
    assert parse_probability(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0:1", 10), ("0 to 4", 10), ("0 in 5", 10), ("1:0", 990), ("5 in 5", 990)],
)
def test_odds_of_certainty_follow_the_rule_for_the_ends(text: str, expected: int) -> None:
    read = read_probability(text)
    assert (read.permille, read.clamped, read.note) == (expected, True, ENDS_NOTE)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("0:0", "no chance either way"),
        ("6 in 5", "not a chance"),
        ("1 in 0", "not a chance"),
        ("1:999", "outside 1–99 %"),
        ("1 in 1000", "outside 1–99 %"),
        ("1:1:1", "not a number"),
        ("3:", "not a number"),
        (":1", "not a number"),
        ("-3:1", "not a number"),
        ("one in five", "not a number"),
    ],
)
def test_impossible_odds_are_explained(text: str, why: str) -> None:
    with pytest.raises(InvalidInput, match=why) as caught:
        read_probability(text)
    assert HOW_TO in str(caught.value)


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=10_000))
def test_odds_give_the_nearest_probability_or_say_why_not(yes: int, no: int) -> None:
    """Property: ``a:b`` is a/(a+b) to the nearest per-mille, ``a in a+b`` the same; an exact
    0 or 1 is kept at 1 % / 99 % with the note; anything else outside 1–99 % is refused."""
    text = f"{yes}:{no}"
    if yes + no == 0:
        with pytest.raises(InvalidInput):
            read_probability(text)
        return
    share = yes / (yes + no)
    if share in (0.0, 1.0):
        assert read_probability(text).clamped
        assert read_probability(f"{yes} in {yes + no}") == read_probability(text)
        return
    nearest = round(share * 1000)
    if not 10 <= nearest <= 990:
        with pytest.raises(InvalidInput, match="outside"):
            read_probability(text)
        return
    read = read_probability(text)
    assert abs(read.permille - share * 1000) <= 0.5 + 1e-9
    assert not read.clamped
    assert read_probability(f"{yes} in {yes + no}") == read
    assert read_probability(f"{no}:{yes}").permille == 1000 - read.permille
