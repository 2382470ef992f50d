"""The prediction embed: one function renders every state a prediction can be in."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.domain.details import UPDATE_HEADING
from bot.domain.text import code_span
from bot.domain.vocabulary import Outcome, ShownStatus, Status, Visibility
from bot.forecasting.aggregation import sparkline
from bot.forecasting.keycaps import keycap_emoji
from bot.forecasting.probability import format_probability
from bot.rendering.limits import (
    EMBED_DESCRIPTION,
    EMBED_FIELD_VALUE,
    EMBED_TITLE,
    truncate,
)
from bot.rendering.mentions import member_ref
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
}
OUTCOME_EMOJI = {
    Outcome.YES: "✅",
    Outcome.NO: "❌",
    Outcome.AMBIGUOUS: "➖",
    Outcome.ANSWERED: "🎯",
}
VISIBILITY_NOTES = {
    Visibility.HIDDEN_UNTIL_VOTE: "Forecasts are hidden until you vote: vote to see them.",
    Visibility.HIDDEN_UNTIL_CLOSE: "Forecasts are hidden until voting closes.",
}
STATUS_MARKERS = {ShownStatus.OPEN: "🟢", ShownStatus.CLOSED: "🔒", ShownStatus.CANCELLED: "🚫"}


KEYCAP_HELP = (
    "React 0️⃣ 1️⃣ … 9️⃣ 🔟 to vote 0 %, 10 % … 90 %, 100 % "
    "(the ends count as 1 % and 99 %: nothing is certain)."
)


def keycap_help(keycaps: tuple[int, ...] | None) -> str:
    """The footer's legend: the keycaps the bot added, what each means, and that the others
    count too; general while the server's keycaps are not known, nothing when it adds none."""
    if keycaps is None:
        return KEYCAP_HELP
    if not keycaps:
        return ""
    shown = " ".join(f"{keycap_emoji(k)} {k * 10} %" for k in keycaps)
    return f"React to vote: {shown} (any keycap 0️⃣ … 🔟 counts; 0 and 100 % count as 1 and 99 %)."


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
    elif state == ShownStatus.OPEN and keycap_help(info.keycaps):
        footer += f" · {keycap_help(info.keycaps)}"
    embed.set_footer(text=footer)
    return embed


def forecast_text(info: PredictionInfo, show_votes: bool) -> str:
    community = info.community
    people = "forecaster" if community.count == 1 else "forecasters"
    if community.count == 0:
        return "No forecasts yet."
    if not show_votes or community.median is None:
        return f"{community.count} {people} (hidden)"
    # One headline number (the median); the geometric mean of odds is a detail below it.
    lines = [
        f"**{format_probability(round(community.median))}** median · {community.count} {people}",
        f"`0% {sparkline(community.permilles)} 100%`",
        f"-# geometric mean of odds "
        f"{format_probability(round(community.geometric_mean or community.median))}",
    ]
    return truncate("\n".join(lines), EMBED_FIELD_VALUE)


def _status_text(info: PredictionInfo, state: ShownStatus) -> str:
    if state == ShownStatus.OPEN:
        return "🟢 Open for voting"
    if state == ShownStatus.CLOSED:
        return "🔒 Voting closed, awaiting resolution"
    if state == ShownStatus.CANCELLED:
        return "🚫 Cancelled"
    return f"Resolved {outcome_label(info.outcome)}"


def _resolution_text(info: PredictionInfo) -> str:
    parts = [outcome_label(info.outcome)]
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
    marker = outcome_label(info.outcome) if info.outcome else STATUS_MARKERS.get(state, "")
    statement = truncate(info.statement, 120)
    tags = f" · {', '.join(info.tags)}" if info.tags else ""
    return f"**#{info.number}** {marker} {statement} · resolves {ts(info.resolves_at, 'R')}{tags}"
