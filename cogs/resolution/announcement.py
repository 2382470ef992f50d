"""After a resolution or a reopen: the public message, the thread post, forum tags, archiving.

Each step fails on its own and is logged: the resolution is already stored, and the public
message stays marked stale until it is redrawn. The resolution post is ONE message: the
followers who want pings (capped, with how many more), the three best callers by name (never
pinged), and a "How did I do?" button that answers each member privately. Resolved again to the
outcome the followers were already told (after a reopen), it is posted without pinging anyone.

Member names are shown as text, never as markdown or mentions (:func:`plain_name`): a display
name like ``[Claim prize](https://evil.example)`` must not become a live link.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

import discord

from bot.domain.kinds.words import outcome_words, pooled_words
from bot.domain.vocabulary import Outcome
from bot.rendering.chart_files import history_file
from bot.rendering.limits import one_line, truncate
from bot.rendering.mentions import capped_pings, member_ref, only_users
from bot.rendering.prediction_embed import OUTCOME_EMOJI, outcome_label
from bot.rendering.range_charts import range_chart_files
from bot.rendering.resolution_buttons import how_did_i_do_view
from bot.runtime.channels import find_channel
from bot.runtime.client import AuguryBot
from bot.services.core.dto import PredictionInfo
from bot.services.core.notifications import Topic
from bot.services.resolution.service import Resolved
from bot.services.track_record.results import Caller

log = logging.getLogger(__name__)
MEDALS = ("🥇", "🥈", "🥉")
#: A reopen's reason in the thread post (the history keeps it whole).
REASON_SHOWN = 300


def announcement(
    resolved: Resolved, best: list[Caller] | None = None, names: dict[int, str] | None = None
) -> str:
    info = resolved.prediction
    outcome = outcome_label(info.outcome)
    resolver = "someone"
    if info.resolver_id:
        name = info.name_of(info.resolver_id)
        resolver = f"**{plain_name(name)}**" if name else member_ref(info.resolver_id)
    if info.outcome == Outcome.ANSWERED:  # another kind's answer, in its words
        answer = outcome_words(info.kind, info.kind_spec, info.outcome, info.outcome_value)
        outcome = f"{OUTCOME_EMOJI[Outcome.ANSWERED]} {plain_name(answer)}"
    text = f"**#{info.number} resolved {outcome}** by {resolver}."
    community = info.community
    pooled = community.median if community.median is not None else community.pooled
    said = pooled_words(info.kind, info.kind_spec, pooled)
    if said is not None:
        people = "forecaster" if community.count == 1 else "forecasters"
        text += f" The community said **{plain_name(said)}** ({community.count} {people})."
    if info.outcome == Outcome.AMBIGUOUS:
        text += " Ambiguous predictions are not scored."
    if best:
        known = names or {}
        called = " · ".join(
            f"{MEDALS[i]} {_name(c.user_id, known)} {plain_name(c.said)}"
            for i, c in enumerate(best)
        )
        text += f"\nCalled it best: {called}"
    if not resolved.ping_followers:
        text += "\nIts followers were told this outcome before, so they are not pinged again."
    text += "\nPress **How did I do?** to see your score, privately."
    return text


def plain_name(name: str) -> str:
    """A display name as plain text: no markdown (a masked link, bold, a heading) and no
    mention (``@everyone``, ``<@id>``) survives, whatever the post allows."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(name))


def _name(user_id: int, names: dict[int, str]) -> str:
    """Names, not pings: a mention here would notify the member (the post allows no one
    but the followers, but a name reads right on every client)."""
    return f"**{plain_name(names[user_id])}**" if user_id in names else f"<@{user_id}>"


async def announce_resolution(bot: AuguryBot, resolved: Resolved) -> None:
    """Everything public that follows a resolution (the message is redrawn by the caller);
    each step fails on its own, logged: the resolution is stored whatever happens here."""
    try:
        await _announce(bot, resolved)
    except Exception:
        log.exception("Announcing the resolution of %s failed", resolved.prediction.id)


async def _announce(bot: AuguryBot, resolved: Resolved) -> None:
    info = resolved.prediction
    try:
        await bot.services.results.enqueue(info.id, tell_again=resolved.ping_followers)
    except Exception:
        log.exception("Could not queue the result DMs of %s", info.id)
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
    candidates = [*resolved.followers, *([info.claimant_id] if info.claimant_id else [])]
    told = await bot.services.notifications.split(
        (u for u in candidates if u != info.resolver_id), Topic.RESOLUTIONS
    )
    best = await bot.services.results.best_callers(info.id)
    names = await bot.services.member_names.names(info.guild_id, (c.user_id for c in best))
    text, users = capped_pings(
        announcement(resolved, best, names),
        told.pings if resolved.ping_followers else (),
        more="…and {count} more follow it (not pinged here).",
    )
    try:
        await channel.send(
            text,
            allowed_mentions=only_users(users),
            files=files,
            view=how_did_i_do_view(info.id),
        )
    except discord.HTTPException:
        log.warning("Could not announce the resolution of %s", info.id, exc_info=True)
    if isinstance(channel, discord.Thread):
        await bot.public_messages.finalise(channel, info.outcome, resolved.archive_thread)


async def announce_reopen(
    bot: AuguryBot, info: PredictionInfo, reopened_by: int, reason: str | None = None
) -> bool:
    """Undo the public side of a resolution: thread unarchived, Open tag back, message live,
    and a post in the thread as public as the resolution's, with who and why (nobody is
    pinged). ``True`` when the public message shows it already.

    The thread comes first: Discord refuses edits to messages in an archived thread.
    Whether the message shows it already (else it is retried).
    """
    try:
        await bot.services.results.withdraw(info.id)
    except Exception:
        log.exception("Could not withdraw the result DMs of %s", info.id)
    thread = await find_channel(bot, info.thread_id) if info.thread_id else None
    if isinstance(thread, discord.Thread):
        await bot.public_messages.reopen_thread(thread)
    shown = await bot.public_messages.render_now(info.id)
    channel_id = info.thread_id or info.channel_id
    channel = await find_channel(bot, channel_id) if channel_id else None
    if isinstance(channel, discord.abc.Messageable):
        names = await bot.services.member_names.names(info.guild_id, [reopened_by])
        try:
            await channel.send(
                reopen_notice(info.number, _name(reopened_by, names), reason),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.HTTPException:
            log.warning("Could not announce the reopening of %s", info.id, exc_info=True)
    return shown


def reopen_notice(number: int, who: str, reason: str | None) -> str:
    """The thread post of a reopen; ``who`` is already safe, the reason is shown as text."""
    text = (
        f"↩️ **#{number} was reopened** by {who}: its resolution and scores are withdrawn "
        "until it is resolved again."
    )
    if reason:
        quoted = truncate(one_line(discord.utils.escape_markdown(reason)), REASON_SHOWN)
        text += f"\nReason: “{quoted}”"
    return text


async def _history_files(
    bot: AuguryBot, guild_id: int, prediction_id: int, number: int
) -> list[discord.File]:
    config = await bot.services.server_config.guild(guild_id)  # a public post: the server's zone
    zone = ZoneInfo(config.timezone) if config.timezone else ZoneInfo("UTC")
    ranged = await bot.services.stats.range_history(guild_id, prediction_id)
    if ranged is not None:  # numeric and date: the density with the outcome marked, the fan
        title = f"#{number}: community forecast"
        return await range_chart_files(ranged, title, pool=bot.charts, tz=zone)
    history = await bot.services.stats.history(guild_id, prediction_id)
    file = await history_file(history, f"#{number}: community forecast", pool=bot.charts, tz=zone)
    return [file] if file is not None else []
