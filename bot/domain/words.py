"""Small English helpers for member-facing texts: real plurals instead of "(s)".

In the domain so that services (whose error messages members read) can use them too;
``bot.rendering.words`` offers the same names to cogs and rendering.
"""

from __future__ import annotations

#: Nouns whose plural is not the singular plus "s" (only those the bot says).
_IRREGULAR = {
    "entry": "entries",
    "reply": "replies",
    "person": "people",
    "time zone": "time zones",
    "is": "are",
    "was": "were",
    "has": "have",
}


def plural_of(singular: str) -> str:
    """``"entry"`` → ``"entries"``, ``"forecast"`` → ``"forecasts"``."""
    if singular in _IRREGULAR:
        return _IRREGULAR[singular]
    if singular.endswith("y") and singular[-2:-1] not in tuple("aeiou"):
        return singular[:-1] + "ies"
    if singular.endswith(("s", "x", "ch", "sh")):
        return singular + "es"
    return singular + "s"


def noun(count: int, singular: str, plural: str | None = None) -> str:
    """The word alone, in the form ``count`` asks for: ``noun(2, "entry")`` → ``"entries"``."""
    if count == 1:
        return singular
    return plural if plural is not None else plural_of(singular)


def plural(count: int, singular: str, plural: str | None = None) -> str:
    """The count and the word: ``plural(1, "forecaster")`` → ``"1 forecaster"``,
    ``plural(2, "entry")`` → ``"2 entries"``; thousands are grouped (``"5,000 voters"``)."""
    return f"{count:,} {noun(count, singular, plural)}"
