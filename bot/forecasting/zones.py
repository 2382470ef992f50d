"""An explicit zone or offset written in a date phrase, which wins over the member's own zone.

A member in Berlin who writes ``2027-06-30 17:00 UTC`` means 17:00 UTC, not 17:00 in Berlin.
Read here: an ISO suffix on a time (``12:00Z``, ``12:00+02:00``), ``UTC``/``GMT`` with an
optional offset (``UTC+5:30``), an IANA name (``America/Los_Angeles``) and common abbreviations.

Abbreviations come in two sorts. A *generic* one (``PT``, ``ET``, ``CET`` is not one) names a
region's clock, summer time included: ``5pm PT`` in July is 17:00 PDT. A *specific* one
(``PST``, ``EDT``, ``CET``, ``CEST``) names a fixed offset; if the region's clock is not on that
offset on the day in question (``EST`` in July), the phrase is refused with both readings named
rather than one of them guessed. Abbreviations used for several zones (``IST``, ``CST``…) are
refused with the choices named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from bot.domain.errors import InvalidInput
from bot.forecasting.timezones import canonical_timezone_name

# abbreviation → (the region it names, its fixed offset in minutes, or None for the region's
# clock with summer time)
_ABBREVIATIONS: dict[str, tuple[str, int | None]] = {
    "PT": ("America/Los_Angeles", None),
    "PST": ("America/Los_Angeles", -8 * 60),
    "PDT": ("America/Los_Angeles", -7 * 60),
    "MT": ("America/Denver", None),
    "MST": ("America/Denver", -7 * 60),
    "MDT": ("America/Denver", -6 * 60),
    "CT": ("America/Chicago", None),
    "CDT": ("America/Chicago", -5 * 60),
    "ET": ("America/New_York", None),
    "EST": ("America/New_York", -5 * 60),
    "EDT": ("America/New_York", -4 * 60),
    "AKST": ("America/Anchorage", -9 * 60),
    "AKDT": ("America/Anchorage", -8 * 60),
    "HST": ("Pacific/Honolulu", -10 * 60),
    "NST": ("America/St_Johns", -(3 * 60 + 30)),
    "NDT": ("America/St_Johns", -(2 * 60 + 30)),
    "BRT": ("America/Sao_Paulo", -3 * 60),
    "WET": ("Europe/Lisbon", 0),
    "WEST": ("Europe/Lisbon", 60),
    "CET": ("Europe/Paris", 60),
    "CEST": ("Europe/Paris", 2 * 60),
    "EET": ("Europe/Athens", 2 * 60),
    "EEST": ("Europe/Athens", 3 * 60),
    "MSK": ("Europe/Moscow", 3 * 60),
    "WAT": ("Africa/Lagos", 60),
    "SAST": ("Africa/Johannesburg", 2 * 60),
    "EAT": ("Africa/Nairobi", 3 * 60),
    "PKT": ("Asia/Karachi", 5 * 60),
    "NPT": ("Asia/Kathmandu", 5 * 60 + 45),
    "SGT": ("Asia/Singapore", 8 * 60),
    "HKT": ("Asia/Hong_Kong", 8 * 60),
    "AWST": ("Australia/Perth", 8 * 60),
    "JST": ("Asia/Tokyo", 9 * 60),
    "KST": ("Asia/Seoul", 9 * 60),
    "ACST": ("Australia/Adelaide", 9 * 60 + 30),
    "ACDT": ("Australia/Adelaide", 10 * 60 + 30),
    "AET": ("Australia/Sydney", None),
    "AEST": ("Australia/Sydney", 10 * 60),
    "AEDT": ("Australia/Sydney", 11 * 60),
    "NZT": ("Pacific/Auckland", None),
    "NZST": ("Pacific/Auckland", 12 * 60),
    "NZDT": ("Pacific/Auckland", 13 * 60),
}
#: Abbreviations that are also English words: a zone only when written in capitals.
_CAPITALS_ONLY = frozenset({"WET", "WAT", "EAT"})
#: Abbreviations used for more than one zone: refused, with the choices.
AMBIGUOUS_ABBREVIATIONS: dict[str, str] = {
    "IST": "`Asia/Kolkata` (India, UTC+5:30), `Europe/Dublin` (Ireland) or `Asia/Jerusalem` "
    "(Israel)",
    "CST": "`CT` (US Central), `Asia/Shanghai` (China, UTC+8) or `America/Havana` (Cuba)",
    "BST": "`Europe/London` (British Summer Time) or `Asia/Dhaka` (Bangladesh, UTC+6)",
    "AST": "`America/Halifax` (Atlantic) or `Asia/Riyadh` (Arabia, UTC+3)",
    "SST": "`Pacific/Pago_Pago` (Samoa, UTC−11) or `Asia/Singapore` (UTC+8)",
    "GST": "`Asia/Dubai` (Gulf, UTC+4) or `Atlantic/South_Georgia` (UTC−2)",
    "ECT": "`America/Guayaquil` (Ecuador) or `Europe/Paris` (Central European)",
}
_TIME = r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?"
_OFFSET = r"[+\-−](?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?"
_ISO_SUFFIX = re.compile(rf"(?P<time>{_TIME})\s?(?:(?P<z>Z)|{_OFFSET})(?![\w:])", re.IGNORECASE)
_UTC_TOKEN = re.compile(rf"(?<![\w/])(?P<name>UTC|GMT)(?:\s?{_OFFSET})?(?![\w:/])", re.IGNORECASE)
_WORD = re.compile(r"(?<![\w/+-])[A-Za-z][A-Za-z_]*(?:/[A-Za-z0-9_+-]+)*(?![\w/])")
_MAX_OFFSET = timedelta(hours=14)  # Kiritimati
_MIN_OFFSET = timedelta(hours=12)  # Baker Island, west of UTC


class PhraseRefused(InvalidInput):
    """A date phrase refused on purpose (an ambiguous zone, a season…), not merely unreadable:
    "Track as prediction" must not take part of it (``2027`` out of ``summer 2027``) instead."""


@dataclass(frozen=True)
class ExplicitZone:
    """A zone the member wrote: the clock to read the phrase in, and how to say it back."""

    tz: tzinfo
    label: str
    #: For a specific abbreviation (``EST``): the region whose clock must be on ``tz``'s offset.
    region: ZoneInfo | None = None

    def say(self, when: datetime) -> str:
        """``when`` on this zone's clock: ``30 June 2027 17:00 UTC``, ``… 17:00 PDT``."""
        local = when.astimezone(self.tz)
        name = self.label
        if isinstance(self.tz, ZoneInfo) and self.label != self.tz.key:  # PT → PDT or PST
            name = local.tzname() or self.label
        elif isinstance(self.tz, ZoneInfo) and "/" in self.label:
            name = f"{local.tzname()} ({self.label})"
        return f"{local.day} {local:%B %Y %H:%M} {name}"


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    zone: ExplicitZone | None
    refusal: str | None = None


def _offset(sign: str, hours: str, minutes: str | None, shown: str) -> ExplicitZone:
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    if int(minutes or 0) >= 60 or delta > (_MAX_OFFSET if sign == "+" else _MIN_OFFSET):
        raise PhraseRefused(
            f"`{shown}` is not a real UTC offset (they run from UTC−12:00 to UTC+14:00). "
            "Write a real one, e.g. `UTC+2`, `+05:30` or `2027-06-30T12:00Z`."
        )
    if sign in "-−":
        delta = -delta
    if not delta:
        return ExplicitZone(UTC, "UTC")
    total = int(delta.total_seconds()) // 60
    label = f"UTC{'+' if total > 0 else '−'}{abs(total) // 60:02d}:{abs(total) % 60:02d}"
    return ExplicitZone(timezone(delta), label)


def _abbreviation(word: str) -> ExplicitZone | None:
    upper = word.upper()
    if upper not in _ABBREVIATIONS or (upper in _CAPITALS_ONLY and word != upper):
        return None
    region_name, minutes = _ABBREVIATIONS[upper]
    region = ZoneInfo(region_name)
    if minutes is None:
        return ExplicitZone(region, upper)
    return ExplicitZone(timezone(timedelta(minutes=minutes), upper), upper, region)


def _scan(text: str) -> list[_Found]:
    """Every zone written in ``text``, with its span; ambiguous ones carry their refusal."""
    found: list[_Found] = []
    for match in _ISO_SUFFIX.finditer(text):
        if match["z"]:
            zone = ExplicitZone(UTC, "UTC")
        else:
            suffix = match.group(0)[len(match["time"]) :].strip()
            zone = _offset(suffix[0], match["oh"], match["om"], suffix)
        found.append(_Found(match.end("time"), match.end(), zone))
    for match in _UTC_TOKEN.finditer(text):
        if match["oh"] is None:
            zone = ExplicitZone(UTC, match["name"].upper())
        else:
            sign = match.group(0)[len(match["name"]) :].strip()[0]
            zone = _offset(sign, match["oh"], match["om"], match.group(0))
        found.append(_Found(match.start(), match.end(), zone))
    taken = [(item.start, item.end) for item in found]
    for match in _WORD.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        word = match.group(0)
        if "/" in word:
            canonical = canonical_timezone_name(word)
            if canonical is not None:
                found.append(
                    _Found(match.start(), match.end(), ExplicitZone(ZoneInfo(canonical), canonical))
                )
            continue
        if word.upper() in AMBIGUOUS_ABBREVIATIONS:
            found.append(_Found(match.start(), match.end(), None, _ambiguous(word)))
            continue
        abbreviated = _abbreviation(word)
        if abbreviated is not None:
            found.append(_Found(match.start(), match.end(), abbreviated))
    return sorted(found, key=lambda item: item.start)


def _ambiguous(word: str) -> str:
    return (
        f"`{word}` names more than one time zone, so I won't guess which you meant. "
        f"Write the zone instead: {AMBIGUOUS_ABBREVIATIONS[word.upper()]}, or an offset, e.g. "
        "`UTC+5:30`."
    )


def split_explicit_zone(text: str) -> tuple[str, ExplicitZone | None]:
    """``text`` without the zone written in it, and that zone (``None`` if there is none).

    Raises :class:`InvalidInput` for an ambiguous abbreviation, an impossible offset, or two
    zones in one phrase.
    """
    found = _scan(text)
    if not found:
        return text, None
    if len(found) > 1:
        raise PhraseRefused(
            "That date names more than one time zone; keep one, e.g. `2027-06-30 17:00 UTC`."
        )
    (only,) = found
    if only.refusal is not None:
        raise PhraseRefused(only.refusal)
    rest = f"{text[: only.start]} {text[only.end :]}"
    rest = re.sub(r"\s+(?:in|at)\s*$", "", " ".join(rest.split()), flags=re.IGNORECASE)
    return rest, only.zone


def explicit_zone_in(text: str) -> ExplicitZone | None:
    """The zone written in a date phrase that was accepted, for the echo (``None`` if none)."""
    try:
        return split_explicit_zone(" ".join((text or "").split()))[1]
    except InvalidInput:
        return None


def zone_spans(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, refused) of every zone written in free text, for "Track as prediction"."""
    try:
        return [(item.start, item.end, item.refusal is not None) for item in _scan(text)]
    except InvalidInput:  # an impossible offset: the finder then refuses the phrase it ends
        return []


def check_specific_offset(local: datetime, zone: ExplicitZone, shown: str) -> None:
    """Refuse ``EST`` on a day New York is on EDT: the abbreviation and the region disagree."""
    if zone.region is None:
        return
    wanted = zone.tz.utcoffset(local)
    actual = local.replace(tzinfo=zone.region).utcoffset()
    if wanted == actual:
        return
    regional = local.replace(tzinfo=zone.region).tzname()
    raise PhraseRefused(
        f"`{shown}` says {zone.label} ({_say_offset(wanted)}), but on {local:%d %B %Y} "
        f"{zone.region.key} is on {regional} ({_say_offset(actual)}). Write `{regional}` for the "
        f"clock there, or the offset you mean, e.g. `{_say_offset(wanted)}`."
    )


def _say_offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta()).total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def on_clock(local: datetime, zone: tzinfo, shown: str, what: str) -> datetime:
    """``local`` on ``zone``'s clock as UTC; a time the clocks skip is refused, not moved."""
    result = local.replace(tzinfo=zone).astimezone(UTC)
    if result.astimezone(zone).replace(tzinfo=None) != local:
        name = getattr(zone, "key", None) or str(zone)
        raise PhraseRefused(
            f"`{shown}` is {local:%H:%M} on {local:%d %B %Y}, a time that does not exist in "
            f"{name}: the clocks jump forward then. Give another time for the {what}, e.g. "
            f"`{local:%Y-%m-%d} {result.astimezone(zone):%H:%M}`."
        )
    return result
