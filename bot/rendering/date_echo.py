"""How a date the member typed was read, said back so a misreading is seen at once.

A Discord timestamp shows the moment on the reader's own clock. When the member wrote a zone
(``17:00 UTC``, ``5pm PT``) that zone won over theirs, so the echo names the moment on that
zone's clock too: "**30 June 2027 17:00 UTC** (<19:00 your time>)".
"""

from __future__ import annotations

from datetime import datetime

from bot.forecasting.dates import explicit_zone_in
from bot.rendering.timestamps import discord_timestamp


def understood(when: datetime, phrase: str, member_zone: str) -> str:
    """The moment ``phrase`` was read as; which clock it was read on."""
    full, relative = discord_timestamp(when, "F"), discord_timestamp(when, "R")
    explicit = explicit_zone_in(phrase)
    if explicit is None:
        return f"{full} ({relative}), reading what you typed in **{member_zone}**"
    return f"**{explicit.say(when)}** ({full} your time, {relative}), in the zone you wrote"
