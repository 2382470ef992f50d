"""The Open / Yes / No / Ambiguous tags of a forum prediction channel."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import discord

from bot.domain.vocabulary import Outcome

log = logging.getLogger(__name__)

#: The key of the tag on unresolved posts; resolved ones carry their outcome's tag.
OPEN_TAG = "open"
#: Tag key → the tag's name in the forum.
FORUM_TAGS: dict[str, str] = {
    OPEN_TAG: "Open",
    Outcome.YES.value: "Yes",
    Outcome.NO.value: "No",
    Outcome.AMBIGUOUS.value: "Ambiguous",
}


async def ensure_forum_tags(
    forum: discord.ForumChannel, warnings: list[str] | None = None
) -> dict[str, discord.ForumTag]:
    """The tags by key, created when the bot may (Manage Channels); missing ones skipped."""
    existing = {tag.name.casefold(): tag for tag in forum.available_tags}
    missing = [name for name in FORUM_TAGS.values() if name.casefold() not in existing]
    if missing and forum.permissions_for(forum.guild.me).manage_channels:
        new_tags: Sequence[discord.ForumTag] = [
            *forum.available_tags,
            *(discord.ForumTag(name=name) for name in missing),
        ][:20]
        try:
            forum = await forum.edit(available_tags=new_tags)
            existing = {tag.name.casefold(): tag for tag in forum.available_tags}
        except discord.HTTPException:
            log.warning("Could not create forum tags in %s", forum.id, exc_info=True)
    elif missing and warnings is not None:
        warnings.append(
            f"Forum tags {', '.join(missing)} are missing and I lack **Manage Channels** to "
            "create them; posts are untagged."
        )
    return {
        key: existing[name.casefold()]
        for key, name in FORUM_TAGS.items()
        if name.casefold() in existing
    }
