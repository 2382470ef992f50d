"""The prediction embed: one function renders every state a prediction can be in."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.aggregation import sparkline
from bot.dates import format_discord_timestamp as ts
from bot.probability import format_probability
from bot.rendering.limits import (
    EMBED_DESCRIPTION,
    EMBED_FIELD_VALUE,
    EMBED_TITLE,
    truncate,
)
from bot.services.dto import PredictionInfo

COLOURS = {
    "open": discord.Colour.blurple(),
    "closed": discord.Colour.dark_grey(),
    "cancelled": discord.Colour.light_grey(),
    "yes": discord.Colour.green(),
    "no": discord.Colour.red(),
    "ambiguous": discord.Colour.gold(),
}
OUTCOME_LABELS = {"yes": "✅ YES", "no": "❌ NO", "ambiguous": "➖ AMBIGUOUS"}
VISIBILITY_NOTES = {
    "hidden_until_vote": "Votes are hidden until you vote: vote to see the forecast.",
    "hidden_until_close": "Votes are hidden until voting closes.",
}


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
    state = info.display_status(now)
    colour_key = info.outcome if info.status == "resolved" and info.outcome else state
    embed = discord.Embed(
        title=title_for(info),
        description=truncate(info.details, EMBED_DESCRIPTION) if info.details else None,
        colour=COLOURS.get(colour_key, discord.Colour.blurple()),
        timestamp=info.created_at,
    )
    embed.add_field(name="Author", value=f"<@{info.author_id}>")
    embed.add_field(
        name="Resolves", value=f"{ts(info.resolves_at, 'F')} ({ts(info.resolves_at, 'R')})"
    )
    if info.closes_at != info.resolves_at:
        embed.add_field(name="Voting closes", value=ts(info.closes_at, "F"))
    embed.add_field(name="Status", value=_status_text(info, state), inline=False)
    if show_votes is None:
        show_votes = votes_visible(info, now)
    embed.add_field(name="Community forecast", value=forecast_text(info, show_votes), inline=False)
    if info.status == "resolved":
        embed.add_field(name="Resolution", value=_resolution_text(info), inline=False)
    if info.source_message_url:
        embed.add_field(name="Source", value=f"[original message]({info.source_message_url})")
    footer = f"Prediction #{info.number}"
    if info.edited_at is not None:
        footer += " · edited"
    if reactions_note:
        footer += f" · {reactions_note}"
    elif state == "open" and info.visibility in VISIBILITY_NOTES:
        footer += f" · {VISIBILITY_NOTES[info.visibility]}"
    embed.set_footer(text=footer)
    return embed


def votes_visible(info: PredictionInfo, now: datetime) -> bool:
    """Whether the public message may show the aggregate."""
    return info.visibility == "visible" or info.is_closed(now)


def forecast_text(info: PredictionInfo, show_votes: bool) -> str:
    community = info.community
    people = "forecaster" if community.count == 1 else "forecasters"
    if community.count == 0:
        return "No votes yet."
    if not show_votes or community.median is None:
        return f"{community.count} {people} (hidden)"
    lines = [
        f"**{format_probability(round(community.median))}** median · "
        f"{format_probability(round(community.geometric_mean or community.median))} "
        f"geometric mean of odds",
        f"{community.count} {people} · `0% {sparkline(community.permilles)} 100%`",
    ]
    return truncate("\n".join(lines), EMBED_FIELD_VALUE)


def _status_text(info: PredictionInfo, state: str) -> str:
    if state == "open":
        return "🟢 Open for votes"
    if state == "closed":
        return "🔒 Voting closed, awaiting resolution"
    if state == "cancelled":
        return "🚫 Cancelled"
    return f"Resolved {OUTCOME_LABELS.get(info.outcome or '', info.outcome or '')}"


def _resolution_text(info: PredictionInfo) -> str:
    parts = [OUTCOME_LABELS.get(info.outcome or "", str(info.outcome))]
    if info.resolver_id:
        parts.append(f"by <@{info.resolver_id}>")
    if info.resolved_at:
        parts.append(ts(info.resolved_at, "f"))
    text = " ".join(parts)
    if info.resolution_note:
        text += f"\n> {info.resolution_note}"
    if info.resolution_source:
        text += f"\nSource: {info.resolution_source}"
    return truncate(text, EMBED_FIELD_VALUE)


def list_line(info: PredictionInfo, now: datetime) -> str:
    state = info.display_status(now)
    marker = {"open": "🟢", "closed": "🔒", "cancelled": "🚫"}.get(state, "")
    if info.status == "resolved":
        marker = OUTCOME_LABELS.get(info.outcome or "", "")
    statement = truncate(info.statement, 120)
    return f"**#{info.number}** {marker} {statement} · resolves {ts(info.resolves_at, 'R')}"
