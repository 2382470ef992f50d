"""Pinging exactly the members meant, never more: mentions split to fit message limits."""

from __future__ import annotations

from collections.abc import Iterable

import discord

from bot.rendering.limits import MESSAGE_CONTENT, truncate

MAX_USERS_PER_MESSAGE = 90  # Discord accepts at most 100 ids in allowed_mentions.users


#: How a forecaster without a Discord account (imported by name, or forgotten) is shown.
NO_ACCOUNT = "a forecaster without a Discord account here"


def member_ref(user_id: int | None) -> str:
    """A member's mention; negative ids (outside forecasters, forgotten members) have none."""
    if user_id is None or user_id <= 0:
        return NO_ACCOUNT
    return f"<@{user_id}>"


def split_pings(
    header: str,
    user_ids: tuple[int, ...],
    continued: str,
    *,
    limit: int = MESSAGE_CONTENT,
    per_message: int = MAX_USERS_PER_MESSAGE,
) -> list[tuple[str, tuple[int, ...]]]:
    """``header`` then mentions, over as many messages as needed; each knows whom it pings."""
    chunks: list[tuple[str, tuple[int, ...]]] = []
    text, ids = truncate(header, limit), list[int]()
    for user_id in user_ids:
        mention = f"<@{user_id}>"
        if len(text) + 1 + len(mention) > limit or len(ids) >= per_message:
            chunks.append((text, tuple(ids)))
            text, ids = continued, []
        text = f"{text}{' ' if ids else chr(10)}{mention}"
        ids.append(user_id)
    chunks.append((text, tuple(ids)))
    return chunks


def only_users(user_ids: Iterable[int]) -> discord.AllowedMentions:
    """Exactly these users; never @everyone, roles, or anyone named in user text."""
    return discord.AllowedMentions(
        everyone=False,
        roles=False,
        users=[discord.Object(id=i) for i in user_ids],
        replied_user=False,
    )
