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


#: At most this many tags on one forum post (Discord's limit).
APPLIED_TAGS_MAX = 5


def is_status_tag(tag: discord.ForumTag) -> bool:
    return tag.name.casefold() in {name.casefold() for name in FORUM_TAGS.values()}


def topic_tags(forum: discord.ForumChannel, names: Sequence[str]) -> list[discord.ForumTag]:
    """The forum's own tags named like the prediction's tags (the rest exist only in Augury)."""
    wanted = {name.casefold() for name in names}
    return [t for t in forum.available_tags if t.name.casefold() in wanted and not is_status_tag(t)]


def with_status(
    applied: Sequence[discord.ForumTag], status: discord.ForumTag
) -> list[discord.ForumTag]:
    """The post's topic tags kept, its status tag replaced; within Discord's limit."""
    topics = [t for t in applied if not is_status_tag(t)][: APPLIED_TAGS_MAX - 1]
    return [status, *topics]


async def sync_topic_tags(thread: discord.Thread, names: Sequence[str]) -> None:
    """After a prediction's tags changed: the post's status tag kept, topic tags replaced."""
    forum = thread.parent
    if not isinstance(forum, discord.ForumChannel):
        return
    status = [t for t in thread.applied_tags if is_status_tag(t)][:1]
    tags = [*status, *topic_tags(forum, names)][:APPLIED_TAGS_MAX]
    if {t.id for t in tags} == {t.id for t in thread.applied_tags}:
        return
    try:
        await thread.edit(applied_tags=tags)
    except discord.HTTPException:
        log.warning("Could not update the tags of forum post %s", thread.id, exc_info=True)


async def drop_status_tag(thread: discord.Thread) -> None:
    """A cancelled prediction's post: no status tag (it is neither open nor resolved); its
    topic tags stay. The thread is unarchived first if needed (Discord refuses edits else)."""
    if not isinstance(thread.parent, discord.ForumChannel):
        return
    kept = [t for t in thread.applied_tags if not is_status_tag(t)]
    if len(kept) == len(thread.applied_tags):
        return
    try:
        await thread.edit(applied_tags=kept, archived=False)
    except discord.HTTPException:
        log.warning("Could not untag cancelled forum post %s", thread.id, exc_info=True)
