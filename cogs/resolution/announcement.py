"""After a resolution or a reopen: the public message, the thread post, forum tags, archiving.

Each step fails on its own and is logged: the resolution is already stored, and the public
message stays marked stale until it is redrawn.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.domain.vocabulary import Outcome
from bot.forecasting.probability import format_probability
from bot.rendering.chart_files import history_file
from bot.rendering.mentions import member_ref, only_users, split_pings
from bot.rendering.prediction_embed import outcome_label
from bot.runtime.channels import find_channel
from bot.runtime.client import AuguryBot
from bot.runtime.forum_tags import OPEN_TAG, ensure_forum_tags, with_status
from bot.services.dto import PredictionInfo
from bot.services.resolution import Resolved

log = logging.getLogger(__name__)


def announcement(resolved: Resolved) -> str:
    info = resolved.prediction
    outcome = outcome_label(info.outcome)
    text = f"**#{info.number} resolved {outcome}** by {member_ref(info.resolver_id)}."
    community = info.community
    if community.median is not None:
        text += (
            f" The community said **{format_probability(round(community.median))}** "
            f"({community.count} forecasters)."
        )
    if info.outcome == Outcome.AMBIGUOUS:
        text += " Ambiguous predictions are not scored."
    return text


async def announce_resolution(bot: AuguryBot, resolved: Resolved) -> None:
    """Everything public that follows a resolution (the message is redrawn by the caller);
    each step fails on its own, logged: the resolution is stored whatever happens here."""
    try:
        await _announce(bot, resolved)
    except Exception:
        log.exception("Announcing the resolution of %s failed", resolved.prediction.id)


async def _announce(bot: AuguryBot, resolved: Resolved) -> None:
    info = resolved.prediction
    channel_id = info.thread_id or info.channel_id
    if channel_id is None:
        return
    channel = await find_channel(bot, channel_id)
    if channel is None:
        log.warning("Resolution of %s: channel %s is gone", info.id, channel_id)
        return
    if not isinstance(channel, discord.abc.Messageable):
        return
    files = await _history_files(bot, info.guild_id, info.id, info.number)
    pings = [user for user in resolved.followers if user != info.resolver_id]
    try:
        chunks = split_pings(announcement(resolved), tuple(pings), "(continued)")
        for index, (text, users) in enumerate(chunks):
            if index == 0 and files:
                await channel.send(text, allowed_mentions=only_users(users), files=files)
            else:
                await channel.send(text, allowed_mentions=only_users(users))
    except discord.HTTPException:
        log.warning("Could not announce the resolution of %s", info.id, exc_info=True)
    if isinstance(channel, discord.Thread):
        await _tag_and_archive(channel, info.outcome, resolved.archive_thread)


async def announce_reopen(bot: AuguryBot, info: PredictionInfo) -> bool:
    """Undo the public side of a resolution: thread unarchived, Open tag back, message live.

    The thread comes first: Discord refuses edits to messages in an archived thread.
    Whether the message shows it already (else it is retried).
    """
    thread = await find_channel(bot, info.thread_id) if info.thread_id else None
    if isinstance(thread, discord.Thread):
        changes: dict[str, Any] = {}
        if thread.archived:
            changes["archived"] = False
        if isinstance(thread.parent, discord.ForumChannel):
            tags = await ensure_forum_tags(thread.parent)
            if OPEN_TAG in tags:
                changes["applied_tags"] = with_status(thread.applied_tags, tags[OPEN_TAG])
        if changes:
            try:
                await thread.edit(**changes)
            except discord.HTTPException:
                log.warning("Could not reopen thread %s", thread.id, exc_info=True)
    return await bot.public_messages.render_now(info.id)


async def _history_files(
    bot: AuguryBot, guild_id: int, prediction_id: int, number: int
) -> list[discord.File]:
    history = await bot.services.stats.history(guild_id, prediction_id)
    file = await history_file(history, f"#{number}: community forecast", pool=bot.charts)
    return [file] if file is not None else []


async def _tag_and_archive(thread: discord.Thread, outcome: Outcome | None, archive: bool) -> None:
    changes: dict[str, object] = {}
    if isinstance(thread.parent, discord.ForumChannel) and outcome is not None:
        tags = await ensure_forum_tags(thread.parent)
        if outcome.value in tags:
            changes["applied_tags"] = with_status(thread.applied_tags, tags[outcome.value])
    if archive:
        changes["archived"] = True
    if not changes:
        return
    try:
        await thread.edit(**changes)  # type: ignore[arg-type]
    except discord.HTTPException:
        log.warning("Could not update thread %s after resolution", thread.id, exc_info=True)
