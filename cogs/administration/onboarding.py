"""The set-up message when Augury joins a server: what to configure and what applies meanwhile.

Posted once per server, ever (claimed in the database first, so a restart, a reconnect or a
second process never repeats it; rejoining later does not either: the settings are still
there). It goes to the server's system channel, where Discord announces the join and the
inviter is looking, if the bot may post there; else to the owner by DM (the inviter is not
knowable; the owner can act on it). It pings nobody.
"""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.domain import server_defaults as defaults
from bot.rendering.direct_messages import server_label
from bot.rendering.words import command_mention as cmd
from bot.runtime.client import AuguryBot

log = logging.getLogger(__name__)

SYSTEM_CHANNEL = "system channel"
OWNER_DM = "owner DM"
NOWHERE = "nowhere"


def _keycaps() -> str:
    tens = [int(k) for k in defaults.REACTION_KEYCAPS.split(",")]
    return " ".join(f"{k}\ufe0f\u20e3" for k in tens) + f" ({tens[0] * 10}% … {tens[-1] * 10}%)"


def setup_embed(server: str | None = None) -> discord.Embed:
    """The message; ``server`` names the server (in a DM, where it is not obvious)."""
    where = f" to **{discord.utils.escape_markdown(server)}**" if server else ""
    embed = discord.Embed(
        title="👋 Thanks for adding Augury",
        description=(
            f"Augury was added{where}. Members can start now: {cmd('predict')} posts a "
            f"prediction, {cmd('help')} explains voting, resolving and scores.\n\n"
            "Someone with **Manage Server** can set it up (all optional):"
            + (
                f"\n-# Sent once, to you as the owner of {server_label(server)}, because I "
                "could not post in its system channel. No other message follows."
                if server
                else ""
            )
        ),
        colour=discord.Colour.blurple(),
    )
    steps = {
        "Prediction channel": f"{cmd('augury channel')}: where predictions are posted. Until "
        f"set: in the channel where {cmd('predict')} is typed.",
        "Time zone": f"{cmd('augury timezone')}: the time zone dates are read in. Until set: "
        f"UTC (members can pick their own with {cmd('timezone')}).",
        "Moderators": f"{cmd('augury moderator-role')}: who may resolve, cancel and edit "
        "anyone's predictions. Until set: members with Manage Server.",
        "Keycaps": f"{cmd('augury voting')}: the keycaps added to new predictions. Until set: "
        f"{_keycaps()}.",
    }
    for name, value in steps.items():
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text="/augury settings shows everything; only Manage Server sees /augury.")
    return embed


class OnboardingCog(commands.Cog):
    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        state = self.bot.services.guild_state
        if not await state.claim_greeting(guild.id):
            log.info("Joined server %s again: its set-up message was sent before", guild.id)
            return
        where = await self._deliver(guild)
        await state.greeting_delivered(guild.id, where)
        log.info("Joined server %s: set-up message sent to %s", guild.id, where)

    async def _deliver(self, guild: discord.Guild) -> str:
        channel = guild.system_channel
        if channel is not None:
            allowed = channel.permissions_for(guild.me)
            if allowed.view_channel and allowed.send_messages and allowed.embed_links:
                try:
                    await channel.send(
                        embed=setup_embed(), allowed_mentions=discord.AllowedMentions.none()
                    )
                    return SYSTEM_CHANNEL
                except discord.HTTPException as error:
                    log.info(
                        "Set-up message not posted in %s's system channel (%s)", guild.id, error
                    )
        try:
            owner = await self.bot.fetch_user(guild.owner_id) if guild.owner_id else None
            if owner is None:
                return NOWHERE
            await owner.send(
                embed=setup_embed(guild.name), allowed_mentions=discord.AllowedMentions.none()
            )
        except discord.HTTPException as error:  # DMs closed, or the owner unknown
            log.info("Set-up message for %s not sent to its owner either (%s)", guild.id, error)
            return NOWHERE
        return OWNER_DM
