"""Whether @everyone can read a channel, as the web view needs it (issue 20).

The web process has no Discord connection: the bot looks when it posts, redraws, or sees a
permission change, and stores the answer. Threads follow their parent (a private thread is
never public); forum posts are threads of their forum.
"""

from __future__ import annotations

import discord


def everyone_reads(channel: object) -> bool | None:
    """True or False from the cached permissions; None when the bot cannot tell."""
    if isinstance(channel, discord.Thread):
        if channel.is_private():
            return False
        parent = channel.parent
        if parent is None:
            return None
        channel = parent
    if not isinstance(channel, discord.abc.GuildChannel):
        return None
    return channel.permissions_for(channel.guild.default_role).read_messages


def everyone_reads_id(client: discord.Client, channel_id: int | None) -> bool | None:
    """:func:`everyone_reads` for a channel or thread id, from the cache only (no REST)."""
    if channel_id is None:
        return None
    return everyone_reads(client.get_channel(channel_id))
