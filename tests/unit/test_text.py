"""Free text members type: invisible characters are removed before it is checked and stored."""

from __future__ import annotations

import pytest

from bot.domain.errors import InvalidInput
from bot.domain.text import (
    STATEMENT_MAX,
    clean_details,
    clean_optional,
    clean_statement,
    without_invisible,
)

INVISIBLE_ONLY = [
    "\x07\x07\x1b",  # BEL, ESC
    "\u200b\u200b\u200b",  # zero-width spaces
    "\u200d\u200d",  # zero-width joiners alone
    "\u2060\ufeff\u200e\u200f\u202e",  # word joiner, BOM, direction marks and override
    " \u200b \x1b\x07 ",  # between spaces
    "\u3164\u3164",  # Hangul fillers: letters that draw nothing
    "\u2800 \u2800",  # the blank braille pattern
    "\uffa0\u115f\u1160 \u034f",  # halfwidth and conjoining fillers, a grapheme joiner
]


@pytest.mark.parametrize("text", INVISIBLE_ONLY)
def test_a_statement_of_only_invisible_characters_is_empty(text: str) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        clean_statement(text)


def test_blank_looking_details_and_notes_are_no_text_and_fillers_inside_text_stay() -> None:
    assert clean_details("\u3164\n\u2800") is None
    assert clean_optional("\u2800\u2800", 100, "note") is None
    assert clean_statement("Braille \u2800 art stays") == "Braille \u2800 art stays"


def test_control_characters_are_never_stored() -> None:
    assert clean_statement("Rain\x07 on\x1b the\u200b parade") == "Rain on the parade"
    assert clean_details("line one\n\tline\x1b two\x07") == "line one\n\tline two"
    assert clean_optional("see\x07 here", 100, "note") == "see here"


def test_nul_is_refused_clearly() -> None:
    for clean in (clean_statement, clean_details):
        with pytest.raises(InvalidInput, match="NUL"):
            clean("before\x00after")
    with pytest.raises(InvalidInput, match="NUL"):
        clean_optional("a\x00", 100, "note")


def test_the_length_limit_counts_visible_characters() -> None:
    padded = "x" * STATEMENT_MAX + "\u200b" * 100
    assert clean_statement(padded) == "x" * STATEMENT_MAX


def test_emoji_joiners_between_visible_characters_survive() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean_statement(f"The {family} moves") == f"The {family} moves"
    assert without_invisible("\u200da\u200d\u200db\u200d") == "a\u200db"
