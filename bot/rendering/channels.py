"""Finding a channel or thread: the cache first, then one REST call (threads age out of it)."""

from __future__ import annotations

import discord

Channel = discord.abc.GuildChannel | discord.Thread | discord.abc.PrivateChannel


async def find_channel(client: discord.Client, channel_id: int) -> Channel | None:
    """The channel, or ``None`` when it is gone or the bot cannot see it."""
    channel = client.get_channel(channel_id)
    if channel is not None:
        return channel
    try:
        return await client.fetch_channel(channel_id)
    except (discord.HTTPException, discord.InvalidData):
        return None
