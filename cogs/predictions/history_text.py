"""``/predictions history``: the edit log as lines a member reads (mentions shown, never pinged)."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.domain.kinds.words import logged_outcome_words
from bot.domain.vocabulary import Outcome, Status
from bot.rendering.limits import one_line, truncate
from bot.rendering.prediction_embed import OUTCOME_EMOJI, outcome_label
from bot.rendering.timestamps import discord_timestamp
from bot.services.predictions.history import HistoryEntry, HistoryPage

VALUE_SHOWN = 80
#: A reopen's reason is the point of its line: more of it fits (10 lines stay under 4096).
REASON_SHOWN = 200


def _quoted(value: str | None, limit: int = VALUE_SHOWN) -> str:
    return f"“{truncate(one_line(value), limit)}”" if value else "(empty)"


def _outcome(value: str | None) -> str:
    answer = logged_outcome_words(value)
    if answer is not None:  # another kind's answer, in its words (the author's text: quoted)
        return f"{OUTCOME_EMOJI[Outcome.ANSWERED]} {_quoted(discord.utils.escape_markdown(answer))}"
    try:
        return outcome_label(Outcome(value)) if value else ""
    except ValueError:
        return str(value)


def _moment(value: str | None) -> str:
    if not value:
        return "(none)"
    try:
        return discord_timestamp(datetime.fromisoformat(value), "f")
    except ValueError:
        return value


def entry_text(entry: HistoryEntry) -> str:
    """What happened, after "<when> · <who>"."""
    if entry.field == "created":
        return f"created it: {_quoted(entry.new)}"
    if entry.field == "outcome":
        if entry.new is None:
            said = f"reopened it (it was resolved {_outcome(entry.old)})"
            if not entry.reason:
                return said
            return f"{said}: {_quoted(discord.utils.escape_markdown(entry.reason), REASON_SHOWN)}"
        return f"resolved it {_outcome(entry.new)}"
    if entry.field == "status" and entry.new == Status.CANCELLED:
        return "cancelled it"
    if entry.field == "resolves_at":
        return f"moved the resolution date from {_moment(entry.old)} to {_moment(entry.new)}"
    if entry.field == "details":
        return f"changed the details to {_quoted(entry.new)}"
    if entry.field == "statement":
        return f"changed the statement from {_quoted(entry.old)} to {_quoted(entry.new)}"
    return f"changed {entry.field}: {_quoted(entry.old)} → {_quoted(entry.new)}"


def history_embed(history: HistoryPage) -> discord.Embed:
    lines = [
        f"{discord_timestamp(e.when, 'f')} · <@{e.user_id}> {entry_text(e)}"
        for e in history.entries
    ]
    embed = discord.Embed(
        title=f"History of #{history.number}",
        description="\n".join(lines),
        colour=discord.Colour.blurple(),
    )
    embed.set_footer(
        text=f"Page {history.page + 1} of {history.pages} · {history.total} entries, oldest first"
    )
    return embed
