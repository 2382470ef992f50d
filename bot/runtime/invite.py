"""The invite URL: the permissions the README recommends, computed once from discord.py's own
flags (a test checks the README's numbers against these)."""

from __future__ import annotations

import discord

#: What Augury cannot work without: post, embed, attach charts, read its own messages back,
#: react, and open a thread per prediction.
REQUIRED = discord.Permissions(
    view_channel=True,
    send_messages=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    add_reactions=True,
    create_public_threads=True,
    send_messages_in_threads=True,
)
#: Plus the optional ones: tidy keycap reactions, archive and unlock threads, forum tags,
#: resolution dates as server events, earned roles.
RECOMMENDED = REQUIRED | discord.Permissions(
    manage_messages=True,
    manage_threads=True,
    manage_channels=True,
    manage_events=True,
    manage_roles=True,
)
SCOPES = ("bot", "applications.commands")


def invite_url(client_id: int, permissions: discord.Permissions = RECOMMENDED) -> str:
    scopes = "+".join(SCOPES)
    return (
        f"https://discord.com/oauth2/authorize?client_id={client_id}&scope={scopes}"
        f"&permissions={permissions.value}"
    )
