"""Snowflakes, timestamps and tokens shaped like Discord's."""

from __future__ import annotations

import itertools
import secrets
import time
from datetime import UTC, datetime
from typing import Any

JSON = dict[str, Any]
DISCORD_EPOCH_MS = 1420070400000
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
CDN = "https://cdn.fake-discord.test"

_increment = itertools.count()
_last_id = 0


def new_id() -> str:
    """A fresh, strictly increasing snowflake whose timestamp is now (so created_at is sane)."""
    global _last_id
    candidate = ((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (next(_increment) & 0xFFF)
    _last_id = max(candidate, _last_id + 1)
    return str(_last_id)


def iso(when: datetime | None = None) -> str:
    """An ISO-8601 timestamp as Discord formats them."""
    return (when or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")


def new_token() -> str:
    """An interaction token (opaque to clients)."""
    return "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(24)
