"""Pinging exactly the members meant, never more: mentions split to fit message limits."""

from __future__ import annotations

from collections.abc import Iterable

import discord

from bot.rendering.limits import MESSAGE_CONTENT


def ping_chunks(header: str, user_ids: Iterable[int], limit: int = MESSAGE_CONTENT) -> list[str]:
    """``header`` followed by mentions, split over as many messages as needed."""
    chunks: list[str] = []
    current = header
    for user_id in user_ids:
        mention = f"<@{user_id}>"
        if len(current) + 1 + len(mention) > limit:
            chunks.append(current)
            current = mention
        else:
            current = f"{current} {mention}" if current else mention
    chunks.append(current)
    return chunks


def only_users(user_ids: Iterable[int]) -> discord.AllowedMentions:
    return discord.AllowedMentions(
        everyone=False,
        roles=False,
        users=[discord.Object(id=i) for i in user_ids],
        replied_user=False,
    )
