"""What ``/augury reminders-failed`` shows: the reminders the bot stopped trying to deliver.

A reminder that fails everywhere (thread, channel, the author's DMs) is retried with a growing
wait and given up after a few attempts, so one broken channel never costs Discord requests
forever; the admins see here what was not sent and how to start it again.
"""

from __future__ import annotations

import discord

from bot.domain.vocabulary import ReminderKind
from bot.rendering.limits import EMBED_DESCRIPTION, one_line, truncate
from bot.rendering.timestamps import discord_timestamp as ts
from bot.services.reminders.attempts import GivenUp

KIND_NAMES = {
    ReminderKind.DUE: "reminder",
    ReminderKind.MODERATOR: "moderator reminder",
    ReminderKind.CLOSE_WARNING: "close warning",
}
ERROR_SHOWN = 120


def given_up_line(item: GivenUp) -> str:
    error = truncate(one_line(item.last_error or "unknown error"), ERROR_SHOWN)
    return (
        f"**#{item.number}** {KIND_NAMES[item.kind]} due {ts(item.due_at, 'f')}: "
        f"given up {ts(item.gave_up_at, 'R')} after {item.failures} attempts (`{error}`)"
    )


def given_up_embed(given_up: list[GivenUp]) -> discord.Embed:
    if not given_up:
        text = "Every reminder went out: none was given up."
    else:
        text = "\n".join(given_up_line(item) for item in given_up) + (
            "\n\nI could post neither in the prediction's thread nor its channel, nor DM the "
            "author. Check that I can see and post there; then moving the resolution date "
            "(`/predictions edit`) starts its reminders again."
        )
    return discord.Embed(
        title="Reminders given up",
        description=truncate(text, EMBED_DESCRIPTION),
        colour=discord.Colour.orange(),
    )
