"""Validation of the free text members give a prediction.

Text is cleaned before it is checked: control characters (Unicode category Cc: NUL, BEL, ESC…)
and format characters (Cf: zero-width spaces, direction marks, BOM…) are removed, so a
statement of only such characters is empty, lengths count what readers see, and nothing
invisible is stored or posted. Text of only characters that draw nothing (Hangul fillers, the
blank braille pattern) counts as empty too. The zero-width joiner survives between visible
characters (it builds emoji such as 👨‍👩‍👧); multi-line text keeps its line breaks and tabs.
"""

from __future__ import annotations

import re
import unicodedata

from bot.domain.errors import InvalidInput

STATEMENT_MAX = 256
DETAILS_MAX = 4000
NOTE_MAX = 1000
SOURCE_MAX = 512
REASON_MAX = 1000

_WHITESPACE = re.compile(r"\s+")
_ZWJ = "\u200d"
_LINE_KEEPS = frozenset("\n\t")
# A joiner only joins two visible characters; anywhere else it is invisible padding.
_LONE_ZWJ = re.compile(rf"(?:^|(?<=\s)){_ZWJ}+|{_ZWJ}+(?=\s|$)|(?<={_ZWJ}){_ZWJ}+")

# Letters and symbols that draw nothing (Hangul fillers, the blank braille pattern, invisible
# combining marks): kept inside text, but text of only these (and spaces) is blank.
_BLANK_LOOKING = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")

NUL_REFUSED = (
    "Your text contains a NUL character (often pasted from a binary file or a terminal), "
    "which cannot be stored. Remove it and try again."
)


def without_invisible(text: str, *, keep_lines: bool = False) -> str:
    """``text`` without control and format characters (see the module docstring)."""
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc" and not (keep_lines and char in _LINE_KEEPS):
            continue
        if category == "Cf" and char != _ZWJ:
            continue
        kept.append(char)
    return _LONE_ZWJ.sub("", "".join(kept))


def looks_blank(text: str) -> bool:
    """Nothing a reader would see: only spaces and characters that draw nothing."""
    return all(char.isspace() or char in _BLANK_LOOKING for char in text)


def check_no_nul(text: str | None) -> None:
    """Refuse text with NUL clearly (PostgreSQL cannot store it; nothing legitimate has it)."""
    if text and "\x00" in text:
        raise InvalidInput(NUL_REFUSED)


def clean_statement(text: str | None) -> str:
    """One line, trimmed, visible, 1–256 characters (it becomes an embed title)."""
    check_no_nul(text)
    statement = _WHITESPACE.sub(" ", without_invisible(text or "")).strip()
    statement = _LONE_ZWJ.sub("", statement)
    if looks_blank(statement):
        raise InvalidInput(
            "The statement is empty (or only invisible characters). Write what you predict, "
            "e.g. `The bridge opens before 2027-06-30`."
        )
    if len(statement) > STATEMENT_MAX:
        raise InvalidInput(
            f"The statement is {len(statement)} characters; the limit is {STATEMENT_MAX}. "
            "Shorten it and put the rest in `details`."
        )
    return statement


def clean_details(text: str | None) -> str | None:
    check_no_nul(text)
    details = without_invisible(text or "", keep_lines=True).strip()
    if len(details) > DETAILS_MAX:
        raise InvalidInput(
            f"The details are {len(details)} characters; the limit is {DETAILS_MAX}. "
            "Shorten them or link to a longer write-up."
        )
    return None if looks_blank(details) else details


def clean_optional(text: str | None, limit: int, what: str) -> str | None:
    check_no_nul(text)
    value = without_invisible(text or "", keep_lines=True).strip()
    if len(value) > limit:
        raise InvalidInput(
            f"The {what} is {len(value)} characters; the limit is {limit}. Shorten it."
        )
    return None if looks_blank(value) else value


def code_span(text: str) -> str:
    """``text`` as inline code that nothing in it can close early (a tag or name typed with a
    backtick would otherwise break out and format the rest of the line): backticks show as ˋ."""
    return f"`{text.replace('`', 'ˋ')}`"
