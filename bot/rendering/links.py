"""Links to messages (a prediction's public message, the message it was tracked from)."""

from __future__ import annotations


def jump_url(guild_id: int, channel_id: int | None, message_id: int | None) -> str | None:
    """The message's link, or ``None`` while the prediction has no public message."""
    if channel_id is None or message_id is None:
        return None
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"
