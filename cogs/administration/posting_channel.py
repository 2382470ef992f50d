"""The ``channel`` option of ``/augury channel``: text and forum channels only.

discord.py would offer what its classes cover (announcement and media channels too, since
they share ``TextChannel`` and ``ForumChannel``); Augury posts a message with a thread, or a
forum post, so the picker lists exactly the two kinds it handles. A payload naming another
kind still gets a clear answer (:func:`posting_channel`).
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.domain.errors import InvalidInput

POSTING_TYPES = (discord.ChannelType.text, discord.ChannelType.forum)


class PostingChannelOption(app_commands.Transformer):
    """A channel option whose picker lists text and forum channels only."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        return list(POSTING_TYPES)

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> Any:
        """The server's channel as the bot knows it (checked by :func:`posting_channel`)."""
        resolve = getattr(value, "resolve", None)
        return (resolve() if resolve is not None else None) or value


def posting_channel(channel: object) -> discord.TextChannel | discord.ForumChannel:
    """The channel if new predictions can be posted there, else what to pick instead."""
    if isinstance(channel, discord.TextChannel | discord.ForumChannel) and (
        channel.type in POSTING_TYPES
    ):
        return channel
    raise InvalidInput(
        "Pick a text or forum channel I can see: new predictions are posted there as a "
        "message with a thread, or as a forum post."
    )
