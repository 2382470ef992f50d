"""What makes a direct message stand on its own: which server, which prediction, a link to it,
and how to stop such messages.

A DM arrives out of context, in a list of DMs from every bot the member shares a server with:
"Prediction #3 is due" means nothing there. Every DM the bot sends ends with
:func:`dm_context`, whatever it is about.
"""

from __future__ import annotations

import discord

from bot.rendering.command_mentions import command_mention
from bot.rendering.limits import one_line, truncate

#: How much of the statement a DM quotes (the embed or the link has the rest).
STATEMENT_SHOWN = 200


def server_label(name: str | None) -> str:
    """The server's name in bold (markdown in it shown as typed), or a plain stand-in."""
    return f"**{discord.utils.escape_markdown(name)}**" if name else "a server you are in"


def quoted_statement(statement: str | None) -> str:
    """The statement as one quoted line; user text, so markdown and mentions are neutralised
    (the DM is sent with no allowed mentions as well)."""
    if not statement:
        return ""
    text = truncate(one_line(statement), STATEMENT_SHOWN)
    return "> " + discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def dm_context(
    *,
    server: str | None,
    reason: str,
    statement: str | None = None,
    link: str | None = None,
) -> str:
    """Lines to end a DM with: the statement, the link, the server, why it came, and how to
    stop such messages (``reason`` is one sentence: "You follow this prediction.")."""
    lines = [quoted_statement(statement)] if statement else []
    if link:
        lines.append(link)
    lines.append(
        f"-# From {server_label(server)}. {reason} Change or stop these messages with "
        f"{command_mention('notifications')}."
    )
    return "\n".join(lines)
