"""The acting member's name, kept before a public message names them.

``MemberNamesCog`` keeps names from every interaction, but as a listener it runs beside the
command, not before it: a member's first prediction or resolution could be drawn before their
name was stored, showing a raw ``<@id>`` (which phones and big servers render as such). The
paths whose public message names the actor call this first; a known name costs no write.
"""

from __future__ import annotations

import discord

from bot.runtime.client import augury


async def keep_actors_name(interaction: discord.Interaction) -> None:
    """Store the acting member's display name now (a no-op outside a server or for bots)."""
    if interaction.guild_id is None or interaction.user.bot:
        return
    await augury(interaction).services.member_names.seen(
        interaction.guild_id, interaction.user.id, interaction.user.display_name
    )
