"""Validation of the free text members give a prediction."""

from __future__ import annotations

import re

from bot.domain.errors import InvalidInput

STATEMENT_MAX = 256
DETAILS_MAX = 4000
NOTE_MAX = 1000
SOURCE_MAX = 512
REASON_MAX = 1000

_WHITESPACE = re.compile(r"\s+")


def clean_statement(text: str | None) -> str:
    """One line, trimmed, 1–256 characters (it becomes an embed title)."""
    statement = _WHITESPACE.sub(" ", text or "").strip()
    if not statement:
        raise InvalidInput(
            "The statement is empty. Write what you predict, e.g. "
            "`The bridge opens before 2027-06-30`."
        )
    if len(statement) > STATEMENT_MAX:
        raise InvalidInput(
            f"The statement is {len(statement)} characters; the limit is {STATEMENT_MAX}. "
            "Shorten it and put the rest in `details`."
        )
    return statement


def clean_details(text: str | None) -> str | None:
    details = (text or "").strip()
    if len(details) > DETAILS_MAX:
        raise InvalidInput(
            f"The details are {len(details)} characters; the limit is {DETAILS_MAX}. "
            "Shorten them or link to a longer write-up."
        )
    return details or None


def clean_optional(text: str | None, limit: int, what: str) -> str | None:
    value = (text or "").strip()
    if len(value) > limit:
        raise InvalidInput(
            f"The {what} is {len(value)} characters; the limit is {limit}. Shorten it."
        )
    return value or None
