"""Discord's ``<t:…>`` markup: every member sees the moment in their own time zone."""

from __future__ import annotations

from datetime import datetime


def discord_timestamp(dt: datetime, style: str = "F") -> str:
    """``F`` full date and time, ``f`` short, ``d`` date, ``R`` relative ("in 3 days")."""
    if dt.tzinfo is None:
        raise ValueError("discord_timestamp needs an aware datetime")
    return f"<t:{int(dt.timestamp())}:{style}>"
