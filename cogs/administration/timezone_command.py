"""``/timezone``: the zone a member's dates are read in."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain import option_limits as limit
from bot.rendering.replies import guild_id_of, reply_ephemeral
from bot.runtime.autocomplete import time_zones
from bot.runtime.client import AuguryBot


class TimezoneCog(commands.Cog):
    """A member's own time zone."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    @app_commands.command(name="timezone", description="Set the time zone your dates are read in")
    @app_commands.guild_only()
    @app_commands.describe(zone="An IANA time zone such as Europe/Berlin (type to search)")
    @app_commands.autocomplete(zone=time_zones)
    async def timezone(
        self,
        interaction: discord.Interaction,
        zone: app_commands.Range[str, 1, limit.ZONE_NAME_MAX],
    ) -> None:
        guild_id = guild_id_of(interaction)
        if not zone.strip():  # an empty value clears the member's own zone: say so
            await self.bot.services.timezones.set_member_zone(interaction.user.id, None)
            fallback = await self.bot.services.timezones.zone_for(interaction.user.id, guild_id)
            await reply_ephemeral(
                interaction,
                f"🕰️ You no longer have a time zone of your own: dates you type are read in the "
                f"server's, **{fallback.key}**. Set yours with `/timezone zone:Europe/Berlin`.",
            )
            return
        canonical = await self.bot.services.timezones.set_member_zone(interaction.user.id, zone)
        shown = canonical or "UTC"
        local = self.bot.clock.now().astimezone(ZoneInfo(shown))
        await reply_ephemeral(
            interaction,
            f"🕰️ Your time zone is now **{shown}** (it is {local:%Y-%m-%d %H:%M} there). "
            "Dates you type are read in it.",
        )
