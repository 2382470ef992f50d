"""Periods read by explicit rules, before dateparser (which misreads them: ``H1 2027`` was 31
January), and phrases refused because no single reading is right.

Like every vague date here, a period means its *end*, 23:59 local:

* ``H1 2027`` / ``first half of 2027`` → 30 June; ``H2 2027`` / ``second half`` → 31 December.
* ``mid-2027`` → 30 June (the end of the first half); ``mid-March 2027`` → 15 March.
* ``this weekend`` / ``weekend`` → the coming Sunday (today on a Sunday).
* ``EOD friday`` / ``end of day friday`` → Friday (left to the caller as ``end of friday``).
* ``end of the decade`` → 31 December of the year ending in 9 (2020–2029 is "the 2020s");
  ``end of next decade``, ``end of the 2030s``, ``end of the century`` likewise.

Without a year, ``H1``/``H2``/``mid-year`` mean this year's if it is still ahead, else next year's.

Refused, with a suggestion: seasons (``summer 2027`` is June–August in the north and
December–February in the south) and ``next weekend`` (the coming one, or the one after?).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta

from bot.forecasting.zones import PhraseRefused

END_OF_DAY = time(23, 59)

_YEAR = r"(?:(?P<year>\d{4})|'(?P<short>\d{2}))"
_HALF = re.compile(
    rf"(?:h(?P<h>[12])|(?P<n>[12])h|(?P<word>first|second|1st|2nd)\s+half(?:\s+of)?)(?:\s+{_YEAR})?",
    re.IGNORECASE,
)
_HALF_YEAR_FIRST = re.compile(rf"{_YEAR}\s+h(?P<h>[12])", re.IGNORECASE)
_MID = re.compile(
    rf"mid(?:dle\s+of)?[\s-]*(?:(?P<month>[a-z]{{3,9}})\s*)?(?:{_YEAR}|(?P<this>year|this\s+year))?",
    re.IGNORECASE,
)
_WEEKEND = re.compile(r"(?:(?P<which>this|next)\s+)?weekend", re.IGNORECASE)
_EOD = re.compile(r"(?:eod|cob|end\s+of\s+(?:the\s+)?day)\s+(?P<day>.+)", re.IGNORECASE)
_DECADE = re.compile(
    r"(?:the\s+)?end\s+of\s+(?:the\s+)?(?:(?P<which>this|next)\s+)?"
    r"(?:(?P<unit>decade|century)|(?P<decade>\d{3}0)'?s)",
    re.IGNORECASE,
)
SEASONS = r"spring|summer|autumn|fall|winter"
_SEASON = re.compile(rf"\b(?:{SEASONS})\b", re.IGNORECASE)
_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}


def _year(match: re.Match[str], base: date, end: date) -> int:
    if match["year"]:
        return int(match["year"])
    if match["short"]:
        return 2000 + int(match["short"])
    this_year = end.replace(year=base.year)
    return base.year if this_year >= base else base.year + 1


def _at_end(day: date) -> datetime:
    return datetime.combine(day, END_OF_DAY)


def _half(text: str, base: date) -> datetime | None:
    match = _HALF.fullmatch(text) or _HALF_YEAR_FIRST.fullmatch(text)
    if match is None:
        return None
    groups = match.groupdict()
    first = (
        groups.get("h") == "1"
        or groups.get("n") == "1"
        or (groups.get("word") or "").lower() in ("first", "1st")
    )
    end = date(2000, 6, 30) if first else date(2000, 12, 31)
    return _at_end(end.replace(year=_year(match, base, end)))


def _mid(text: str, base: date) -> datetime | None:
    match = _MID.fullmatch(text)
    if match is None or not text.lower().startswith("mid"):
        return None
    month_name = (match["month"] or "").lower()
    this_year = bool(match["this"]) or month_name == "year"
    month_name = "" if month_name == "year" else month_name
    if month_name and month_name not in _MONTHS:
        return None
    if not month_name and not (match["year"] or match["short"] or this_year):
        return None
    end = date(2000, _MONTHS[month_name], 15) if month_name else date(2000, 6, 30)
    year = _year(match, base, end)
    if month_name and not (match["year"] or match["short"]):
        this_year = end.replace(year=base.year)
        year = base.year if this_year >= base else base.year + 1
    return _at_end(end.replace(year=year))


def _weekend(text: str, base: date) -> datetime | None:
    match = _WEEKEND.fullmatch(text)
    if match is None:
        return None
    if match["which"] and match["which"].lower() == "next":
        raise PhraseRefused(
            "`next weekend` can mean the coming weekend or the one after, so I won't guess. "
            "Write `this weekend`, `end of next week` or the date, e.g. `2027-06-30`."
        )
    return _at_end(base + timedelta(days=6 - base.weekday()))


def _decade(text: str, base: date) -> datetime | None:
    match = _DECADE.fullmatch(text)
    if match is None:
        return None
    if match["decade"]:
        return _at_end(date(int(match["decade"]) + 9, 12, 31))
    size = 10 if match["unit"].lower() == "decade" else 100
    start = base.year - base.year % size
    if match["which"] and match["which"].lower() == "next":
        start += size
    return _at_end(date(start + size - 1, 12, 31))


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def end_of_period(day: date, period: str) -> date:
    """The last day of the ``period`` (week, month, quarter, year) that contains ``day``."""
    if period == "week":
        return day + timedelta(days=6 - day.weekday())
    if period == "month":
        return _end_of_month(day.year, day.month)
    if period == "quarter":
        return _end_of_month(day.year, (day.month - 1) // 3 * 3 + 3)
    if period == "year":
        return date(day.year, 12, 31)
    return day


def next_period_start(day: date, unit: str) -> date:
    """The first day of the period after the one containing ``day``."""
    if unit == "week":
        return day + timedelta(days=7 - day.weekday())
    return end_of_period(day, unit) + timedelta(days=1)


def refuse_season(text: str) -> None:
    """Seasons depend on the hemisphere: refuse rather than guess, and suggest a month."""
    season = _SEASON.search(text)
    if season is None:
        return
    raise PhraseRefused(
        f"`{season.group(0)}` depends on the hemisphere (summer is June–August in the north and "
        "December–February in the south), so I won't guess. Give a month or a date instead, "
        "e.g. `end of August 2027` or `2027-08-31`."
    )


def read_period(text: str, base: datetime) -> datetime | None:
    """The naive local end of the period ``text`` names, ``None`` if it names none of ours.

    ``base`` is the member's current local time (naive). Raises :class:`PhraseRefused` for a
    phrase refused on purpose (a season, ``next weekend``).
    """
    refuse_season(text)
    today = base.date()
    for reader in (_half, _mid, _weekend, _decade):
        found = reader(text, today)
        if found is not None:
            return found
    return None


def eod_day(text: str) -> str | None:
    """``EOD friday`` → ``friday`` (read as the end of that day), else ``None``."""
    match = _EOD.fullmatch(text)
    return match["day"] if match is not None else None
