"""Natural-language dates, read in the member's timezone and returned as aware UTC.

Rules (a resolution date answers "by when?", so a vague date means the *end* of it):

* A date without a time means the end of that day, 23:59 local: ``2027-06-30`` → 30 June 23:59.
* A month or year without a day means the end of that month or year: ``March 2027`` → 31 March
  23:59, ``2027`` → 31 December 23:59; ``end of <period>`` likewise (weeks end on Sunday).
* Relative phrases keep dateparser's arithmetic and then take the end of that day:
  ``in 3 months`` from 27 November → 27 February 23:59; ``next month`` → the same day next month.
  ``in 90 minutes`` (a time was given) stays exact.
* ISO dates (``2027-06-30``) are read by us, strictly: ``2027-02-30`` is an error, never March.
  Other numeric dates follow dateparser's English order (``1/2/2027`` is 2 January).
* A leading ``by``/``on``/``until``/``before`` is ignored; ``eod``/``eow``/``eom``/``eoy`` work.
* An explicit zone or offset (``17:00 UTC``, ``12:00Z``, ``5pm PT``, ``America/Los_Angeles``)
  wins over the member's zone, and the whole phrase is read on that clock (``zones``).
* Periods dateparser misreads (``H1 2027``, ``mid-2027``, ``this weekend``, ``end of the decade``)
  are read by explicit rules; seasons are refused (``periods``).
* ``in 90 minutes`` / ``in 2 hours`` is exact elapsed time, even across a change of clocks.
* A local time the clocks skip (02:30 on a spring-forward night) is refused; one that happens
  twice (an autumn night) is the first of the two.
* The result must be in the future and at most 100 years away.

dateparser tells us what was given through ``RETURN_TIME_AS_PERIOD`` (``time``, ``day``, ``week``,
``month``, ``quarter``, ``year``). It does not say whether a date was relative: relative results
keep the base's time of day while absolute ones are at midnight, which we use to tell them apart
(the base is nudged off midnight so the signal never vanishes).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser
from dateparser.search import search_dates

from bot.domain.errors import DateNotInFuture, InvalidInput
from bot.domain.option_limits import DATE_PHRASE_MAX
from bot.forecasting.periods import SEASONS, end_of_period, eod_day, next_period_start, read_period
from bot.forecasting.zones import (
    ExplicitZone,
    PhraseRefused,
    check_specific_offset,
    explicit_zone_in,
    on_clock,
    split_explicit_zone,
    zone_spans,
)

__all__ = [
    "DATE_SCAN_CHARS",
    "ExplicitZone",
    "PhraseRefused",
    "explicit_zone_in",
    "find_date_in_text",
    "parse_when",
    "warm_up_date_search",
]

MAX_YEARS_AHEAD = 100
END_OF_DAY = time(23, 59)
_EXAMPLES = "e.g. `2027-06-30`, `in 3 months`, `next friday 17:00` or `end of March 2027`"
_ECHO_LIMIT = 60
#: "Track as prediction" looks for a date only this far into a message (dateparser's search
#: costs ~0.3 ms a character: 4,000 digits took 1.7 s), and tries at most this many phrases.
DATE_SCAN_CHARS = 400
DATE_CANDIDATES_MAX = 8

_ISO = re.compile(
    r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
    r"(?:[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]{1,6})?)?)?"
)
_RELATIVE_CLOCK = re.compile(
    r"in\s+(?P<n>\d{1,5}|an?|one)\s+(?P<unit>min(?:ute)?s?|h(?:ou)?rs?)", re.IGNORECASE
)
_BARE_YEAR = re.compile(r"[0-9]{4}")
_BARE_NUMBER = re.compile(r"[0-9]{1,3}")
_LEADING_WORDS = re.compile(r"^(?:by|on|until|till|before)\s+", re.IGNORECASE)
_END_OF = re.compile(r"(?:the\s+)?end\s+of\s+(?:the\s+)?(?P<what>.+)", re.IGNORECASE)
_ABBREVIATIONS = {
    "eod": "end of day",
    "eow": "end of week",
    "eom": "end of month",
    "eoq": "end of quarter",
    "eoy": "end of year",
}
_PERIOD_WORDS = re.compile(r"(?:(?P<which>this|next)\s+)?(?P<unit>day|week|month|quarter|year)")
# search_dates finds verbs and filler ("I may", "a second"): keep only phrases with a digit or a
# word that names a date.
_DATE_WORD = re.compile(
    r"\d|\b(?:today|tonight|tomorrow|week|month|quarter|year|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b",
    re.IGNORECASE,
)
_AMBIGUOUS_WORDS = frozenset({"may", "march", "sat", "sun", "wed", "mar", "jan", "dec"})
_LAST_WORD = re.compile(r"\s+\S+$")
# An ISO date (and time) reads the same in every language: found even in text dateparser's
# English search cannot follow ("в пятницу 2027-05-01").
_ISO_IN_TEXT = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2})?(?![\d:])")
_PERIOD_IN_TEXT = re.compile(
    r"\b(?:h[12]\s+\d{4}|\d{4}\s+h[12]|(?:first|second)\s+half\s+of\s+\d{4}|mid-?\d{4}|"
    r"mid-?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*(?:\s+\d{4})?|"
    r"this\s+weekend|(?:eod|cob)\s+\w+day|end\s+of\s+(?:the\s+)?(?:this\s+|next\s+)?decade|"
    rf"(?:{SEASONS})(?:\s+\d{{4}})?)\b",
    re.IGNORECASE,
)
_ENDS_WITH_TIME = re.compile(r"(?:\d:\d{2}|\d\s?[ap]\.?m\.?)$", re.IGNORECASE)
_CAPITALS = re.compile(r" ?[A-Z]{2,5}\b")  # after a time: a zone abbreviation, known or not
_END_OF_IN_TEXT = re.compile(
    r"\bend\s+of\s+(?:the\s+)?(?:(?:this|next)\s+)?(?:day|week|month|quarter|year|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*(?:\s+\d{4})?|\d{4})\b",
    re.IGNORECASE,
)


def _echo(text: str) -> str:
    cleaned = " ".join(text.split()).replace("`", "'")
    return cleaned if len(cleaned) <= _ECHO_LIMIT else cleaned[: _ECHO_LIMIT - 1] + "…"


def _unreadable(text: str, what: str) -> InvalidInput:
    return InvalidInput(
        f"I couldn't read `{_echo(text)}` as a {what}. Check the spelling and that the date "
        f"exists, or try {_EXAMPLES}."
    )


def _parser(base: datetime, *, prefer_last: bool) -> DateDataParser:
    settings: dict[str, Any] = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": base,
        "RETURN_TIME_AS_PERIOD": True,
    }
    if prefer_last:
        settings["PREFER_DAY_OF_MONTH"] = "last"
        settings["PREFER_MONTH_OF_YEAR"] = "last"
    return DateDataParser(languages=["en"], settings=settings)


def _parse(text: str, base: datetime, *, prefer_last: bool) -> tuple[datetime, str] | None:
    """dateparser's reading of ``text``: naive local datetime and the period that was given."""
    try:
        data = _parser(base, prefer_last=prefer_last).get_date_data(text)
    except (ValueError, OverflowError):  # e.g. a relative date beyond year 9999
        return None
    if data.date_obj is None:
        return None
    if data.date_obj.tzinfo is not None:  # a zone dateparser knows and we don't: never drop it
        raise PhraseRefused(
            f"I don't know the time zone written in `{_echo(text)}`. Write `UTC`, an offset like "
            "`UTC+2`, or a zone name like `America/New_York`."
        )
    return data.date_obj.replace(tzinfo=None), str(data.period or "day")


def _read_end_of(what_text: str, base: datetime) -> date | None:
    """The last day of the period in ``end of <period>``."""
    words = _PERIOD_WORDS.fullmatch(" ".join(what_text.lower().split()))
    if words is not None:
        unit, start = words["unit"], base.date()
        if words["which"] == "next":
            start = next_period_start(start, unit)
        return end_of_period(start, unit)
    if _BARE_YEAR.fullmatch(what_text):
        return date(int(what_text), 12, 31)
    parsed = _parse(what_text, base, prefer_last=True)
    if parsed is None:
        return None
    return end_of_period(parsed[0].date(), parsed[1])


def _read_local(text: str, base: datetime, what: str) -> datetime:
    """The naive local datetime the member meant, by the rules in the module docstring."""
    text = _ABBREVIATIONS.get(text.lower(), text)
    day_of = eod_day(text)
    if day_of is not None:
        text = f"end of {day_of}"
    period_end = read_period(text, base)
    if period_end is not None:
        return period_end
    end_of = _END_OF.fullmatch(text)
    if end_of is not None:
        day = _read_end_of(end_of["what"], base)
        if day is None:
            raise _unreadable(text, what)
        return datetime.combine(day, END_OF_DAY)
    iso = _ISO.fullmatch(text)
    if iso is not None:
        year, month, day_of_month, hour, minute, second = iso.groups()
        try:
            day = date(int(year), int(month), int(day_of_month))
            at = END_OF_DAY if hour is None else time(int(hour), int(minute), int(second or 0))
        except ValueError:
            raise InvalidInput(
                f"`{_echo(text)}` is not a real date or time (check the month, day and hour). "
                f"Give a valid {what}, e.g. `2027-06-30` or `2027-06-30 17:00`."
            ) from None
        return datetime.combine(day, at)
    if _BARE_YEAR.fullmatch(text):
        return datetime.combine(date(int(text), 12, 31), END_OF_DAY)
    if _BARE_NUMBER.fullmatch(text):
        raise _unreadable(text, what)

    parsed = _parse(text, base, prefer_last=False)
    if parsed is None:
        raise _unreadable(text, what)
    value, period = parsed
    if period == "time":
        return value
    is_relative = value.time() != time(0)
    if period in ("month", "quarter", "year") and not is_relative:
        again = _parse(text, base, prefer_last=True)
        value = again[0] if again is not None else value
        return datetime.combine(end_of_period(value.date(), period), END_OF_DAY)
    return datetime.combine(value.date(), END_OF_DAY)


def _years_later(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def _after(now: datetime, clock: re.Match[str]) -> datetime:
    """``in 90 minutes``: elapsed time, so a change of clocks in between cannot shift it."""
    count = 1 if clock["n"].lower() in ("a", "an", "one") else int(clock["n"])
    unit = "hours" if clock["unit"].lower().startswith("h") else "minutes"
    return (now + timedelta(**{unit: count})).astimezone(UTC).replace(microsecond=0)


def parse_when(
    text: str, *, now: datetime, tz: ZoneInfo, what: str = "resolution date"
) -> datetime:
    """Read a member's date phrase in their timezone ``tz``; return it as aware UTC.

    ``now`` is the (aware) current time, passed in so tests and services control it.
    """
    raw = " ".join((text or "").split())
    if not raw:
        raise InvalidInput(f"Please give a {what}, {_EXAMPLES}.")
    if len(raw) > DATE_PHRASE_MAX:  # before dateparser, whose time grows with the text
        raise InvalidInput(
            f"That {what} is longer than {DATE_PHRASE_MAX} characters; a date is a short "
            f"phrase, {_EXAMPLES}."
        )
    cleaned = _LEADING_WORDS.sub("", raw)
    if cleaned.lower().startswith("in ") and cleaned.lower().endswith(" time"):
        cleaned = cleaned[: -len(" time")].removesuffix("'s")
    cleaned, explicit = split_explicit_zone(cleaned)
    zone: tzinfo = explicit.tz if explicit is not None else tz
    base = now.astimezone(zone).replace(tzinfo=None)
    if base.time() == time(0):
        base += timedelta(microseconds=1)  # keep relative results off midnight (see docstring)
    try:
        clock = _RELATIVE_CLOCK.fullmatch(cleaned)
        if clock is not None:
            result = _after(now, clock)
        else:
            local = _read_local(cleaned, base, what).replace(microsecond=0)
            if explicit is not None:
                check_specific_offset(local, explicit, _echo(raw))
            result = on_clock(local, zone, _echo(raw), what)
    except (ValueError, OverflowError):  # year 0, year 10000 and other calendar edges
        raise _unreadable(raw, what) from None
    if result <= now:
        raise DateNotInFuture(
            f"`{_echo(raw)}` is {{when}}, which is not in the future. "
            f"Give a later {what}, e.g. `in 3 months`.",
            result,
        )
    if result > _years_later(now, MAX_YEARS_AHEAD):
        raise InvalidInput(
            f"`{_echo(raw)}` is more than {MAX_YEARS_AHEAD} years away. "
            f"Give a nearer {what}, e.g. `2030-12-31`."
        )
    return result


def _candidates(text: str, base: datetime) -> list[tuple[int, str, str | None]]:
    """Date-looking phrases in ``text`` with their position, in order of appearance, and the
    phrase without the capitals after it (``17:00 NASA``) to fall back on if they are no zone."""
    found = [(m.start(), m.group(0)) for m in _END_OF_IN_TEXT.finditer(text)]
    found += [(m.start(), m.group(0)) for m in _PERIOD_IN_TEXT.finditer(text)]
    found += [(m.start(), m.group(0)) for m in _ISO_IN_TEXT.finditer(text)]
    try:
        hits = search_dates(
            text,
            languages=["en"],
            settings={"PREFER_DATES_FROM": "future", "RELATIVE_BASE": base},
        )
    except (ValueError, OverflowError):
        hits = None
    cursor = 0
    for phrase, _ in hits or []:
        position = text.find(phrase, cursor)
        if position < 0:
            position = text.find(phrase)
        if position < 0:  # dateparser rewrote it ("1¸S" → "1¸ S"): not the member's words
            continue
        cursor = max(cursor, position + len(phrase))
        found.append((position, phrase))
    zones = zone_spans(text)
    return sorted((_with_zone(text, zones, *item) for item in found), key=lambda item: item[0])


def _with_zone(
    text: str, zones: list[tuple[int, int, bool]], position: int, phrase: str
) -> tuple[int, str, str | None]:
    """``phrase`` with the zone written right after it (``17:00`` → ``17:00 UTC``), so the zone
    is read with it, and an ambiguous or unknown one (``17:00 IST``, ``17:00 WIB``) refuses the
    phrase instead of being dropped."""
    end = position + len(phrase)
    for start, stop, _ in zones:
        if end <= start <= end + 1 and not text[end:start].strip():
            return position, text[position:stop], None
    if _ENDS_WITH_TIME.search(phrase):
        capitals = _CAPITALS.match(text, end)
        if capitals is not None:
            return position, text[position : capitals.end()], phrase
    return position, phrase, None


def find_date_in_text(text: str, *, now: datetime, tz: ZoneInfo) -> tuple[str, datetime] | None:
    """The first future date phrase in a message, as (phrase, aware UTC), or ``None``.

    Used by "Track as prediction", so it errs on the side of finding nothing: bare small
    numbers, lone ambiguous words ("may", "march") and past dates are skipped. Bounded: only
    the first :data:`DATE_SCAN_CHARS` characters are searched (cut at a space), and at most
    :data:`DATE_CANDIDATES_MAX` phrases tried, so it ends fast whatever the message holds.
    """
    if not text or not text.strip():
        return None
    if len(text) > DATE_SCAN_CHARS:
        head = text[:DATE_SCAN_CHARS]
        cut = head.rfind(" ")
        text = head[:cut] if cut > DATE_SCAN_CHARS // 2 else head
    base = now.astimezone(tz).replace(tzinfo=None)
    refused: list[tuple[int, int]] = []  # spans of refused phrases: no part of them is taken
    for position, found, fallback in _candidates(text, base)[:DATE_CANDIDATES_MAX]:
        if any(start < position + len(found) and position < end for start, end in refused):
            continue
        phrase = found.strip(" ,.;:!?()[]\"'")
        core = _without_filler(phrase)
        if not core or _BARE_NUMBER.fullmatch(core) or not _DATE_WORD.search(core):
            continue
        lowered = core.lower()
        if lowered in _AMBIGUOUS_WORDS and (core.islower() or lowered == "may"):
            continue  # "they march", "I may": a verb far more often than a month
        try:
            try:
                when = parse_when(phrase, now=now, tz=tz)
            except PhraseRefused:  # "17:00 IST", "17:00 WIB", "summer 2027": no part of it
                refused.append((position, position + len(found)))
                continue
            except InvalidInput:
                if fallback is None:  # capitals no zone dateparser knows ("17:00 NASA"): drop them
                    raise
                phrase = fallback
                when = parse_when(phrase, now=now, tz=tz)
        except InvalidInput:
            continue
        return _trim(phrase, when, now=now, tz=tz), when
    return None


WARM_UP_TEXT = "The new bridge opens by 3 March 2030, I think"


def warm_up_date_search(now: datetime) -> None:
    """One search, so dateparser loads its language data before a member waits on it: the
    first search in a process costs ~50× a later one, and "Track as prediction" has 1.5 s."""
    find_date_in_text(WARM_UP_TEXT, now=now, tz=ZoneInfo("UTC"))


def _last_word_is_filler(phrase: str) -> bool:
    last = _LAST_WORD.search(phrase)
    return last is not None and _DATE_WORD.search(last.group(0)) is None


def _without_filler(phrase: str) -> str:
    """``phrase`` without trailing words that say nothing about a date."""
    while _last_word_is_filler(phrase):
        phrase = _LAST_WORD.sub("", phrase)
    return phrase


def _trim(phrase: str, when: datetime, *, now: datetime, tz: ZoneInfo) -> str:
    """Drop trailing filler search_dates swept in ("In March 2027 we") if it changes nothing."""
    while _last_word_is_filler(phrase):
        shorter = _LAST_WORD.sub("", phrase).rstrip(" ,.;:")
        try:
            if parse_when(shorter, now=now, tz=tz) != when:
                break
        except InvalidInput:
            break
        phrase = shorter
    return phrase
