"""Where a member's prediction is posted: the server's prediction channel, else where the
command was used if the member may write there. The post itself is
:meth:`bot.runtime.public_messages.PublicMessages.publish`.
"""

from __future__ import annotations

import discord

from bot.domain.errors import AuguryError
from bot.rendering.replies import guild_id_of
from bot.runtime.client import AuguryBot
from bot.runtime.posting import PostableChannel


async def target_channel(
    bot: AuguryBot, interaction: discord.Interaction
) -> tuple[PostableChannel, list[str]]:
    """The server's prediction channel if set and reachable, else where the command was used,
    if the member may write there themselves (the bot must not post for them where they can't).
    """
    guild_id = guild_id_of(interaction)
    config = await bot.services.server_config.guild(guild_id)
    warnings: list[str] = []
    if config.prediction_channel_id:
        channel = bot.get_channel(config.prediction_channel_id)
        if isinstance(channel, discord.TextChannel | discord.ForumChannel):
            return channel, warnings
        warnings.append(
            "The server's prediction channel no longer exists, so I posted here. "
            "An admin can set a new one with `/augury channel`."
        )
    here = interaction.channel
    if isinstance(here, discord.TextChannel | discord.ForumChannel):
        check_member_may_post(interaction, here)
        return here, warnings
    raise AuguryError(
        "I can only post predictions in a text or forum channel. Use `/predict` in one, "
        "or ask an admin to set a prediction channel with `/augury channel`."
    )


def check_member_may_post(interaction: discord.Interaction, channel: PostableChannel) -> None:
    """Refuse to post in ``channel`` on behalf of a member who may not send messages there
    (``interaction.permissions``: theirs in the channel the interaction came from)."""
    if interaction.channel_id != channel.id or interaction.permissions.send_messages:
        return
    raise AuguryError(
        f"You can't send messages in {channel.mention}, so I won't post a prediction there "
        "for you. Use `/predict` in a channel where you can write, or ask an admin to set a "
        "prediction channel with `/augury channel`."
    )
