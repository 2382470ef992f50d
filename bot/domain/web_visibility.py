"""What the public web view may show, each rule written once (issue 20).

The web process has no Discord connection and no caller identity: everything it shows must be
public in Discord already. These are pure functions of stored values; the read service applies
them in its queries and to every row it returns, for pages and API alike.
"""

from __future__ import annotations

from datetime import datetime

from bot.domain import rules


def server_listed(web_enabled: bool | None) -> bool:
    """A server exists on the web only after ``/augury web on`` (unknown: not)."""
    return web_enabled is True


def prediction_listed(public_channel: bool | None) -> bool:
    """Only predictions posted where @everyone can read; unknown (never checked) is not shown."""
    return public_channel is True


def member_listed(user_id: int, web_hidden: bool | None) -> bool:
    """Forgotten and imported forecasters (ids ≤ 0) and members who said ``/privacy web off``
    have no profile, no name and no forecast of their own on the web."""
    return user_id > 0 and web_hidden is not True


def forecasts_listed(visibility: str, status: str, closes_at: datetime, now: datetime) -> bool:
    """Individual forecasts and the community figure: exactly when Discord shows them."""
    return rules.votes_shown(visibility, status, closes_at, now)


def server_path(guild_id: int) -> str:
    """A server's page, below ``PUBLIC_URL``."""
    return f"/servers/{guild_id}"


def prediction_path(guild_id: int, number: int) -> str:
    """A prediction's page, below ``PUBLIC_URL``: the web routes and the Discord link agree."""
    return f"{server_path(guild_id)}/predictions/{number}"


def prediction_url(public_url: str | None, guild_id: int, number: int) -> str | None:
    """The page's full address, or None when ``PUBLIC_URL`` is not set."""
    if not public_url:
        return None
    return public_url.rstrip("/") + prediction_path(guild_id, number)
