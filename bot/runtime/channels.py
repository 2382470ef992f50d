"""Finding channels and what the bot may do in them (the cache first, REST when needed)."""

from __future__ import annotations

import discord

Channel = discord.abc.GuildChannel | discord.Thread | discord.abc.PrivateChannel


async def find_channel(client: discord.Client, channel_id: int) -> Channel | None:
    """The channel or thread, or ``None`` when it is gone or the bot cannot see it.

    Threads age out of discord.py's cache, so a miss costs one REST call.
    """
    channel = client.get_channel(channel_id)
    if channel is not None:
        return channel
    try:
        return await client.fetch_channel(channel_id)
    except (discord.HTTPException, discord.InvalidData):
        return None


def can_manage_messages(client: discord.Client, channel_id: int | None) -> bool:
    """Whether the bot may remove other members' reactions there (from the cache, no REST)."""
    if channel_id is None:
        return False
    channel = client.get_channel(channel_id)
    if not isinstance(channel, discord.abc.GuildChannel | discord.Thread):
        return False
    me = channel.guild.me
    return me is not None and channel.permissions_for(me).manage_messages
