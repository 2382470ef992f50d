"""The prediction embed: one function renders every state a prediction can be in."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.domain.details import UPDATE_HEADING
from bot.domain.kinds import kind_for
from bot.domain.text import code_span
from bot.domain.vocabulary import Outcome, ShownStatus, Status, Visibility
from bot.rendering.community import community_text, forecasters, rendering_for
from bot.rendering.limits import (
    EMBED_DESCRIPTION,
    EMBED_FIELD_VALUE,
    EMBED_TITLE,
    truncate,
)
from bot.rendering.mentions import member_ref
from bot.rendering.outcome_text import outcome_text
from bot.rendering.timestamps import discord_timestamp as ts
from bot.services.core.dto import PredictionInfo

STATUS_COLOURS = {
    ShownStatus.OPEN: discord.Colour.blurple(),
    ShownStatus.CLOSED: discord.Colour.dark_grey(),
    ShownStatus.CANCELLED: discord.Colour.light_grey(),
    ShownStatus.RESOLVED: discord.Colour.blurple(),
}
OUTCOME_COLOURS = {
    Outcome.YES: discord.Colour.green(),
    Outcome.NO: discord.Colour.red(),
    Outcome.AMBIGUOUS: discord.Colour.gold(),
    Outcome.ANSWERED: discord.Colour.teal(),  # another kind's outcome (an option, a value)
}
OUTCOME_EMOJI = {
    Outcome.YES: "✅",
    Outcome.NO: "❌",
    Outcome.AMBIGUOUS: "➖",
    Outcome.ANSWERED: "🎯",
}
VISIBILITY_NOTES = {
    Visibility.HIDDEN_UNTIL_VOTE: "Votes are hidden until you vote: vote to see the forecast.",
    Visibility.HIDDEN_UNTIL_CLOSE: "Votes are hidden until voting closes.",
}
STATUS_MARKERS = {ShownStatus.OPEN: "🟢", ShownStatus.CLOSED: "🔒", ShownStatus.CANCELLED: "🚫"}


def person(info: PredictionInfo, user_id: int) -> str:
    """A member's display name as the bot last saw it; a mention only if it never saw one
    (embeds show unloaded members as a raw ``<@id>``)."""
    name = info.name_of(user_id)
    return f"**{discord.utils.escape_markdown(name)}**" if name else member_ref(user_id)


def outcome_label(outcome: Outcome | None) -> str:
    """``✅ YES``, ``❌ NO``, ``➖ AMBIGUOUS`` (empty for no outcome)."""
    if outcome is None:
        return ""
    return f"{OUTCOME_EMOJI[outcome]} {outcome.value.upper()}"


def details_text(details: str) -> str:
    """The details, with each dated update heading in bold."""
    return UPDATE_HEADING.sub(r"**\1**", details)


def title_for(info: PredictionInfo) -> str:
    return truncate(f"#{info.number} · {info.statement}", EMBED_TITLE)


def prediction_embed(
    info: PredictionInfo,
    now: datetime,
    *,
    show_votes: bool | None = None,
    reactions_note: str | None = None,
) -> discord.Embed:
    """The public face of a prediction; ``show_votes`` overrides the visibility rule."""
    state = info.shown_status(now)
    colour = OUTCOME_COLOURS[info.outcome] if info.outcome else STATUS_COLOURS[state]
    embed = discord.Embed(
        title=title_for(info),
        description=truncate(details_text(info.details), EMBED_DESCRIPTION)
        if info.details
        else None,
        colour=colour,
        timestamp=info.created_at,
    )
    embed.add_field(name="Author", value=person(info, info.author_id))
    if info.claimant_id is not None and info.claimant_id != info.author_id:
        embed.add_field(name="Claimed by", value=person(info, info.claimant_id))
    embed.add_field(
        name="Resolves", value=f"{ts(info.resolves_at, 'F')} ({ts(info.resolves_at, 'R')})"
    )
    if info.closes_at != info.resolves_at:
        embed.add_field(name="Voting closes", value=ts(info.closes_at, "F"))
    embed.add_field(name="Status", value=_status_text(info, state), inline=False)
    if show_votes is None:
        show_votes = info.votes_shown(now)
    embed.add_field(name="Community forecast", value=forecast_text(info, show_votes), inline=False)
    if info.status == Status.RESOLVED:
        embed.add_field(name="Resolution", value=_resolution_text(info), inline=False)
    if info.tags:
        embed.add_field(name="Tags", value=", ".join(code_span(tag) for tag in info.tags))
    if info.source_message_url:
        embed.add_field(name="Source", value=f"[original message]({info.source_message_url})")
    footer = f"Prediction #{info.number}"
    if info.edited_at is not None:
        footer += " · edited"
    if reactions_note:
        footer += f" · {reactions_note}"
    elif state == ShownStatus.OPEN and info.visibility in VISIBILITY_NOTES:
        footer += f" · {VISIBILITY_NOTES[info.visibility]}"
    elif state == ShownStatus.OPEN:
        footer += f" · {rendering_for(info.kind).how_to_vote}"
    embed.set_footer(text=footer)
    return embed


def forecast_text(info: PredictionInfo, show_votes: bool) -> str:
    """The community forecast as the prediction's kind says it (or how many, while hidden)."""
    community = info.community
    if community.count == 0:
        return "No votes yet."
    if not show_votes or (community.median is None and community.pooled is None):
        return f"{forecasters(community.count)} (hidden)"
    kind = kind_for(info.kind, info.kind_spec)
    return truncate(community_text(info, kind), EMBED_FIELD_VALUE)


def _status_text(info: PredictionInfo, state: ShownStatus) -> str:
    if state == ShownStatus.OPEN:
        return "🟢 Open for votes"
    if state == ShownStatus.CLOSED:
        return "🔒 Voting closed, awaiting resolution"
    if state == ShownStatus.CANCELLED:
        return "🚫 Cancelled"
    return f"Resolved {outcome_text(info)}"


def _resolution_text(info: PredictionInfo) -> str:
    parts = [outcome_text(info)]
    if info.resolver_id:
        parts.append(f"by {person(info, info.resolver_id)}")
    if info.resolved_at:
        parts.append(ts(info.resolved_at, "f"))
    text = " ".join(parts)
    if info.resolution_note:
        text += f"\n> {info.resolution_note}"
    if info.resolution_source:
        text += f"\nSource: {info.resolution_source}"
    return truncate(text, EMBED_FIELD_VALUE)


def list_line(info: PredictionInfo, now: datetime) -> str:
    state = info.shown_status(now)
    marker = outcome_text(info) if info.outcome else STATUS_MARKERS.get(state, "")
    statement = truncate(info.statement, 120)
    tags = f" · {', '.join(info.tags)}" if info.tags else ""
    return f"**#{info.number}** {marker} {statement} · resolves {ts(info.resolves_at, 'R')}{tags}"
