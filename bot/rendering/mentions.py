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


def capped_pings(
    header: str,
    user_ids: tuple[int, ...],
    *,
    limit: int = MESSAGE_CONTENT,
    cap: int = MAX_USERS_PER_MESSAGE,
    more: str = "…and {count} more follow it (not pinged here).",
) -> tuple[str, tuple[int, ...]]:
    """``header`` and as many mentions as fit in ONE message (at most ``cap``); the rest are
    counted, not pinged: a post never turns into a wall of mention messages."""
    ids: list[int] = []
    for index, user_id in enumerate(user_ids):
        rest = len(user_ids) - index - 1
        tail = "\n" + more.format(count=rest) if rest else ""
        line = f"{header}\n{' '.join(f'<@{u}>' for u in [*ids, user_id])}"
        if len(ids) >= cap or len(line) + len(tail) > limit:
            break
        ids.append(user_id)
    text = truncate(header, limit) if not ids else f"{header}\n{' '.join(f'<@{u}>' for u in ids)}"
    left = len(user_ids) - len(ids)
    if left:
        text = truncate(f"{text}\n{more.format(count=left)}", limit)
    return text, tuple(ids)
