"""When a server's weekly digest is due, and until when a missed one may still go out.

A digest has a slot: a weekday and an hour in the server's time zone. It is due from that hour
until the end of the same local day. A digest missed while the bot was down (or set up later
that day) is posted once, as soon as the bot can, if that day has not ended; after midnight it
is skipped and the next week's comes at its hour. Pure functions of plain values, so the
service and the tests share them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.errors import InvalidInput

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: How many items each list of the digest shows (the rest are counted).
LIST_SIZE = 5
#: The standings show this many forecasters.
STANDINGS_SIZE = 5
#: "Due soon" and "resolved" look this far ahead and back.
WEEK = timedelta(days=7)
#: A prediction closing within this is "closing soon" in the digest's votes list.
CLOSING_SOON = timedelta(days=3)
#: A prediction with fewer forecasters than this "needs votes".
FEW_FORECASTERS = 3


def check_slot(weekday: int, hour: int) -> None:
    """Refuse a weekday outside 0…6 (Monday…Sunday) or an hour outside 0…23."""
    if not 0 <= weekday <= 6:
        raise InvalidInput("The digest's day is Monday to Sunday: pick one from the list.")
    if not 0 <= hour <= 23:
        raise InvalidInput("The digest's hour is 0 to 23 (in the server's time zone), e.g. 9.")


def _at(day: date, hour: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


def day_ends(slot: datetime, zone: ZoneInfo) -> datetime:
    """The end of the slot's local day: the last moment a missed digest may still go out."""
    local = slot.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(local, time(0), tzinfo=zone).astimezone(UTC)


def first_slot(now: datetime, weekday: int, hour: int, zone: ZoneInfo) -> datetime:
    """The slot a new (or changed) digest serves first: today's if today is its day and the
    day has not ended (so set up later that day, it goes out at once), else the next one."""
    check_slot(weekday, hour)
    today = now.astimezone(zone).date()
    if today.weekday() == weekday:
        return _at(today, hour, zone)
    return _at(today + timedelta(days=(weekday - today.weekday()) % 7), hour, zone)


def following_slot(slot: datetime, hour: int, zone: ZoneInfo) -> datetime:
    """The same weekday and hour a week after ``slot`` (local dates: DST changes keep the hour)."""
    return _at(slot.astimezone(zone).date() + timedelta(days=7), hour, zone)


def still_postable(slot: datetime, now: datetime, zone: ZoneInfo) -> bool:
    """A due digest goes out only on its own local day (the catch-up rule)."""
    return slot <= now < day_ends(slot, zone)
