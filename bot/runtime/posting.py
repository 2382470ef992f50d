"""Posting a prediction's first message: a message and its thread, or a forum post.

Only :class:`bot.runtime.public_messages.PublicMessages` calls this (it builds what is posted).
Failures that leave the prediction usable (no thread, no tags) become warnings for the author;
a failure to post at all is a domain error, so the caller can undo the creation.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Literal

import discord

from bot.domain.errors import AuguryError
from bot.rendering.limits import THREAD_NAME, one_line, truncate
from bot.runtime.forum_tags import APPLIED_TAGS_MAX, OPEN_TAG, ensure_forum_tags, topic_tags
from bot.services.core.dto import PredictionInfo

log = logging.getLogger(__name__)

THREAD_ARCHIVE_MINUTES: Literal[10080] = (
    10080  # a week: discussions are slow; reminders unarchive anyway
)


@dataclass
class Published:
    channel_id: int
    message_id: int
    thread_id: int | None
    message: discord.Message
    warnings: list[str] = field(default_factory=list)


def thread_name(info: PredictionInfo) -> str:
    return truncate(f"#{info.number} · {one_line(info.statement)}", THREAD_NAME)


PostableChannel = discord.TextChannel | discord.ForumChannel


def not_posted(channel: PostableChannel, error: discord.HTTPException) -> AuguryError:
    """Discord refused the post for a reason other than permissions: say which, plainly (the
    member keeps their text and can post again); logged without a traceback, not our bug."""
    log.warning("Posting a prediction in %s failed: HTTP %s %s", channel.id, error.status, error)
    if isinstance(error, discord.NotFound):
        return AuguryError(
            f"I can't find the channel {channel.mention} any more (deleted, or hidden from me). "
            "Ask a server admin to pick another with `/augury channel`."
        )
    return AuguryError(
        f"Discord did not take the post (it answered {error.status}). This is usually brief: "
        "try again in a moment."
    )


async def publish(
    channel: PostableChannel,
    info: PredictionInfo,
    *,
    embed: discord.Embed,
    view: discord.ui.View | None,
) -> Published:
    """Post the prediction; raises :class:`AuguryError` if it cannot be posted at all."""
    if isinstance(channel, discord.ForumChannel):
        return await _publish_forum(channel, info, embed=embed, view=view)
    return await _publish_text(channel, info, embed=embed, view=view)


async def _publish_text(
    channel: discord.TextChannel,
    info: PredictionInfo,
    *,
    embed: discord.Embed,
    view: discord.ui.View | None,
) -> Published:
    extra: dict[str, Any] = {"view": view} if view is not None else {}
    try:
        message = await channel.send(
            embed=embed, allowed_mentions=discord.AllowedMentions.none(), **extra
        )
    except discord.Forbidden as error:
        raise AuguryError(
            f"I can't post in {channel.mention}: I need View Channel, Send Messages and "
            "Embed Links there. Ask a server admin, or use `/augury channel` to pick another."
        ) from error
    except discord.HTTPException as error:
        raise not_posted(channel, error) from error
    published = Published(channel.id, message.id, None, message)
    try:
        thread = await message.create_thread(
            name=thread_name(info), auto_archive_duration=THREAD_ARCHIVE_MINUTES
        )
        published.thread_id = thread.id
    except discord.Forbidden:
        published.warnings.append(
            f"I couldn't open a discussion thread: I need the **Create Public Threads** "
            f"permission in {channel.mention}. Reminders will be posted in the channel instead."
        )
    except discord.HTTPException:
        log.warning("Thread creation failed for prediction %s", info.id, exc_info=True)
        published.warnings.append("I couldn't open a discussion thread (Discord refused).")
    return published


async def _publish_forum(
    forum: discord.ForumChannel,
    info: PredictionInfo,
    *,
    embed: discord.Embed,
    view: discord.ui.View | None,
) -> Published:
    warnings: list[str] = []
    tags = await ensure_forum_tags(forum, warnings)
    applied = [tags[OPEN_TAG]] if OPEN_TAG in tags else []
    applied += topic_tags(forum, info.tags)[: APPLIED_TAGS_MAX - len(applied)]
    extra: dict[str, Any] = {"view": view} if view is not None else {}
    try:
        created = await forum.create_thread(
            name=thread_name(info),
            embed=embed,
            **extra,
            applied_tags=applied,
            allowed_mentions=discord.AllowedMentions.none(),
            auto_archive_duration=THREAD_ARCHIVE_MINUTES,
        )
    except discord.Forbidden as error:
        raise AuguryError(
            f"I can't post in the forum {forum.mention}: I need View Channel, Send Messages "
            "and Embed Links there. Ask a server admin, or use `/augury channel`."
        ) from error
    except discord.HTTPException as error:
        raise not_posted(forum, error) from error
    thread, message = created.thread, created.message
    return Published(thread.id, message.id, thread.id, message, warnings)
