"""What the bot may do in a channel, from discord.py's permission cache (no REST calls)."""

from __future__ import annotations

import discord


def can_manage_messages(client: discord.Client, channel_id: int | None) -> bool:
    """Whether the bot may remove other members' reactions in this channel or thread."""
    if channel_id is None:
        return False
    channel = client.get_channel(channel_id)
    if not isinstance(channel, discord.abc.GuildChannel | discord.Thread):
        return False
    me = channel.guild.me
    return me is not None and channel.permissions_for(me).manage_messages


REACTIONS_OFF_NOTE = "Reactions don't count here (votes are hidden): vote with the buttons."


def reactions_note(client: discord.Client, visibility: str, channel_id: int | None) -> str | None:
    """On hidden predictions reactions only count where the bot can remove them right away."""
    if visibility == "visible" or can_manage_messages(client, channel_id):
        return None
    return REACTIONS_OFF_NOTE
