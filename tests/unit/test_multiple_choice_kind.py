"""The multiple-choice kind: options, both vote syntaxes, sums that are off, outcomes."""

from __future__ import annotations

import pytest

from bot.domain.errors import InvalidInput
from bot.domain.kinds import kind_for, parse_resolution
from bot.domain.kinds.multiple_choice import MultipleChoice

OPTIONS = ["Anthropic", "OpenAI", "Google", "Other"]


def question(options: list[str] = OPTIONS) -> MultipleChoice:
    kind = kind_for("multiple_choice", {"options": options})
    assert isinstance(kind, MultipleChoice)
    return kind


def test_the_setup_is_two_to_ten_distinct_options_and_nothing_else() -> None:
    kind = kind_for("multiple_choice")
    assert kind.parse_spec({"options": " OpenAI | anthropic |Google  Deepmind| Other"}) == {
        "options": ["OpenAI", "anthropic", "Google Deepmind", "Other"]
    }
    for typed, expected in (
        ("only one", "2 to 10 `options`"),
        (" | ".join(str(i) for i in range(11)), "you gave 11"),
        ("Yes | yes", "given twice"),
        ("A, B | C", "can't contain a comma"),
        ("x" * 51 + " | y", "at most 50 characters"),
    ):
        with pytest.raises(InvalidInput, match=expected):
            kind.parse_spec({"options": typed})
    with pytest.raises(InvalidInput, match="takes no `low`"):
        kind.parse_spec({"options": "a | b", "low": "3"})
    assert "Other" not in kind.parse_spec({"options": "a | b"})["options"]  # never added


@pytest.mark.parametrize(
    "typed",
    [
        "Anthropic 50, OpenAI 30, Google 15, Other 5",
        "50/30/15/5",
        "50, 30, 15, 5",
        "anthropic: 50%; openai 30%; GOOGLE 15; other 5",
        "Anth 50, Op 30, G 15, Oth 5",
        "Other 5, Google 15, OpenAI 30, Anthropic 50",
    ],
)
def test_both_syntaxes_read_the_same_forecast(typed: str) -> None:
    read = question().read(typed)
    assert read.forecast == (500, 300, 150, 50) and read.note is None


def test_a_sum_a_little_off_is_scaled_and_said_further_off_is_refused_naming_it() -> None:
    read = question().read("33/33/33/1")
    assert read.forecast == (330, 330, 330, 10)
    assert read.note is None
    read = question().read("34/33/33/2")
    assert sum(read.forecast) == 1000 and read.note is not None and "102 %" in read.note
    with pytest.raises(InvalidInput, match="add up to 110 %"):
        question().read("50/30/20/10")
    with pytest.raises(InvalidInput, match="add up to 97 %"):
        question().read("Anthropic 50, OpenAI 47")


def test_an_option_left_out_or_at_zero_gets_one_percent_and_the_reply_says_so() -> None:
    read = question().read("Anthropic 60, OpenAI 40")
    assert read.forecast == (588, 392, 10, 10)
    assert read.note == "Google and Other got 1 %: every option keeps at least 1 %."
    assert question().read("100/0/0/0").forecast == (970, 10, 10, 10)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Meta 50, OpenAI 50", "“Meta” is not an option"),
        ("O 50, Anthropic 50", "could be several options"),
        ("Anthropic 50, anthropic 50", "given twice"),
        ("50/50", "4 options and you gave 2 numbers"),
        ("lots", "I can't read"),
        ("", "a percentage per option"),
    ],
)
def test_a_forecast_that_cannot_be_read_says_how_to_write_one(typed: str, expected: str) -> None:
    with pytest.raises(InvalidInput, match=expected):
        question().read(typed)


def test_every_path_is_checked_by_the_same_rules() -> None:
    kind = question()
    assert kind.validate([500, 300, 150, 50]) == (500, 300, 150, 50)
    assert kind.validate({"permille": [250, 250, 250, 250]}) == (250, 250, 250, 250)
    for bad in ([500, 500], [1000, 0, 0, 0], [500, 300, 150, 49], "50/30/15/5", 700, [True] * 4):
        with pytest.raises(InvalidInput, match="at least 1 %"):
            kind.validate(bad)
    stored = kind.store_forecast((500, 300, 150, 50))
    assert stored.payload == {"permille": [500, 300, 150, 50]} and stored.permille is None
    assert kind.load_forecast(None, stored.payload) == (500, 300, 150, 50)
    assert kind.describe_forecast((500, 300, 125, 75)) == (
        "Anthropic 50%, OpenAI 30%, Google 12.5%, Other 7.5%"
    )


def test_the_outcome_is_one_option_by_its_name_or_ambiguous() -> None:
    kind = question()
    resolution = parse_resolution(kind, "  openai ")
    assert not resolution.annulled and resolution.outcome == 1
    stored = resolution.stored(kind)
    assert stored.payload == {"option": 1, "text": "OpenAI"}
    assert kind.describe_outcome(kind.load_outcome(stored)) == "OpenAI"
    assert parse_resolution(kind, "AMBIGUOUS").annulled
    with pytest.raises(InvalidInput, match="one of the options"):
        kind.parse_outcome("Open")  # a resolution names the option in full
    score = kind.score((500, 300, 150, 50), 1)
    assert score.penalty == pytest.approx(0.765)


@pytest.mark.parametrize(
    "typed", ["0.5, 0.3, 0.15, 0.05", "Anthropic 0.3, OpenAI 0.5, Google 0.15, Other 0.05"]
)
def test_shares_written_as_fractions_are_read_as_percentages(typed: str) -> None:
    read = question().read(typed)
    assert sum(read.forecast) == 1000 and sorted(read.forecast) == [50, 150, 300, 500]
    assert read.note is None
    with pytest.raises(InvalidInput, match="add up to 110 %"):
        question().read("0.5/0.3/0.2/0.1")
    with pytest.raises(InvalidInput, match="add up to 1 %"):  # whole numbers stay percentages
        question().read("1/0/0/0")
