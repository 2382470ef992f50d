""" "Interested" clicks on an event, read from the gateway whatever discord.py has cached.

discord.py reports GUILD_SCHEDULED_EVENT_USER_ADD/REMOVE only for a member it has cached, and
without the privileged members intent it caches almost nobody. So the two gateway events are
also turned into ``augury_event_interest`` with their raw ids (as the raw reaction events are),
beside discord.py's own handling, which is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from discord.ext import commands

EVENT = "augury_event_interest"
GATEWAY_EVENTS = {
    "GUILD_SCHEDULED_EVENT_USER_ADD": True,
    "GUILD_SCHEDULED_EVENT_USER_REMOVE": False,
}


@dataclass(frozen=True)
class RawInterest:
    guild_id: int
    event_id: int
    user_id: int
    interested: bool


def listen_for_interest(bot: commands.Bot) -> None:
    """Dispatch :data:`EVENT` for every Interested click (idempotent)."""
    parsers: dict[str, Callable[[Any], None]] = bot._connection.parsers
    for name, interested in GATEWAY_EVENTS.items():
        original = parsers.get(name)
        if getattr(original, "augury_interest", False):
            continue

        def parse(
            data: Any,
            original: Callable[[Any], None] | None = original,
            interested: bool = interested,
        ) -> None:
            try:
                raw = RawInterest(
                    int(data["guild_id"]),
                    int(data["guild_scheduled_event_id"]),
                    int(data["user_id"]),
                    interested,
                )
            except (KeyError, TypeError, ValueError):
                raw = None
            if raw is not None:
                bot.dispatch(EVENT, raw)
            if original is not None:
                original(data)

        parse.augury_interest = True  # type: ignore[attr-defined]
        parsers[name] = parse
