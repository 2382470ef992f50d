"""``/timezone``: the zone a member's dates are read in."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain import option_limits as limit
from bot.domain.errors import InvalidInput
from bot.rendering.replies import reply_ephemeral
from bot.runtime.autocomplete import time_zones
from bot.runtime.client import AuguryBot


class TimezoneCog(commands.Cog):
    """A member's own time zone."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="timezone", description="See or set the time zone your dates are read in"
    )
    @app_commands.guild_install()
    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    @app_commands.describe(
        zone="An IANA time zone such as Europe/Berlin (type to search); empty: show yours",
        clear="Forget your zone: dates are read in the server's zone again",
    )
    @app_commands.autocomplete(zone=time_zones)
    async def timezone(
        self,
        interaction: discord.Interaction,
        zone: app_commands.Range[str, 1, limit.ZONE_NAME_MAX] | None = None,
        clear: bool = False,
    ) -> None:
        zones = self.bot.services.timezones
        if zone and clear:
            raise InvalidInput("Give a zone or `clear:True`, not both.")
        if clear:
            await zones.set_member_zone(interaction.user.id, None)
            used = await zones.zone_for(interaction.user.id, interaction.guild_id)
            await reply_ephemeral(
                interaction,
                f"🕰️ Your own time zone is cleared: dates you type are read in **{used.key}** "
                "(the server's zone).",
            )
            return
        if not zone or not zone.strip():  # no argument: show, never reset
            own = await zones.own_zone(interaction.user.id)
            used = await zones.zone_for(interaction.user.id, interaction.guild_id)
            local = self.bot.clock.now().astimezone(used)
            whose = "your own" if own else "the server's (you set none)"
            await reply_ephemeral(
                interaction,
                f"🕰️ Dates you type are read in **{used.key}**, {whose}; it is "
                f"{local:%Y-%m-%d %H:%M} there. Set yours with `/timezone zone:…`, "
                "or `clear:True` to use the server's.",
            )
            return
        canonical = await zones.set_member_zone(interaction.user.id, zone)
        assert canonical is not None
        local = self.bot.clock.now().astimezone(ZoneInfo(canonical))
        await reply_ephemeral(
            interaction,
            f"🕰️ Your time zone is now **{canonical}** (it is {local:%Y-%m-%d %H:%M} there). "
            "Dates you type are read in it.",
        )
