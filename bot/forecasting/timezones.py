"""IANA timezone names as members type them, and the choices offered by autocomplete.

Members rarely type ``America/New_York`` exactly, so matching ignores case and accepts spaces for
underscores; Discord autocomplete (:func:`timezone_choices`) does the rest.
"""

from __future__ import annotations

import difflib
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.domain.errors import InvalidInput

# Present in some system tz databases but not real zones a member would mean.
_EXCLUDED = frozenset({"Factory", "localtime", "posixrules"})
_EXCLUDED_PREFIXES = ("posix/", "right/")

# Offered when the autocomplete box is still empty: one or two per inhabited region.
COMMON_TIMEZONES: tuple[str, ...] = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Madrid",
    "Europe/Amsterdam",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Helsinki",
    "Europe/Moscow",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
)


@cache
def _names_by_key() -> dict[str, str]:
    """Lower-cased name → canonical IANA name, for every usable zone."""
    names = {
        name
        for name in available_timezones()
        if name not in _EXCLUDED and not name.startswith(_EXCLUDED_PREFIXES)
    }
    names.add("UTC")
    return {name.lower(): name for name in names}


def _key(text: str) -> str:
    return "_".join(text.strip().split()).lower()


def resolve_timezone(name: str) -> ZoneInfo:
    """The zone called ``name`` (any case, spaces allowed for underscores)."""
    key = _key(name or "")
    canonical = _names_by_key().get(key)
    if canonical is not None:
        return ZoneInfo(canonical)
    shown = " ".join((name or "").split()).replace("`", "'")[:60]
    close = difflib.get_close_matches(key, list(_names_by_key()), n=1, cutoff=0.75)
    hint = f" Did you mean `{_names_by_key()[close[0]]}`?" if close else ""
    prefix = f"`{shown}` is not a timezone I know." if shown else "You didn't give a timezone."
    raise InvalidInput(
        f"{prefix}{hint} Use a name like `Europe/Berlin` or `America/New_York`: start typing "
        "your city and pick one from the autocomplete list."
    )


def timezone_choices(query: str, limit: int = 25) -> list[str]:
    """Zone names for Discord autocomplete: prefix matches first, then other matches.

    A "prefix" match starts the whole name, then one of its parts (``lon`` → ``Europe/London``
    before ``America/Miquelon``, a hit inside a word); ties are alphabetical.
    """
    if limit <= 0:
        return []
    key = _key(query or "")
    if not key:
        return list(COMMON_TIMEZONES[:limit])
    ranked: list[tuple[int, str]] = []
    for lowered, canonical in _names_by_key().items():
        if key not in lowered:
            continue
        if lowered.startswith(key):
            rank = 0
        elif any(part.startswith(key) for part in lowered.split("/")):
            rank = 1
        else:
            rank = 2
        ranked.append((rank, canonical))
    ranked.sort()
    return [name for _, name in ranked[:limit]]


def canonical_timezone_name(name: str) -> str | None:
    """The IANA name ``name`` spells (any case, spaces for underscores), or ``None``."""
    return _names_by_key().get(_key(name or ""))
