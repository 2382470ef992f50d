"""``/timezone``: the zone a member's dates are read in."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import AuguryBot
from bot.rendering.replies import reply_ephemeral
from bot.timezones import timezone_choices


async def zone_autocomplete(
    _interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=zone, value=zone) for zone in timezone_choices(current)]


class TimezoneCog(commands.Cog):
    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    @app_commands.command(name="timezone", description="Set the time zone your dates are read in")
    @app_commands.guild_only()
    @app_commands.describe(zone="An IANA time zone such as Europe/Berlin (type to search)")
    @app_commands.autocomplete(zone=zone_autocomplete)
    async def timezone(self, interaction: discord.Interaction, zone: str) -> None:
        canonical = await self.bot.services.settings.set_user_timezone(interaction.user.id, zone)
        assert canonical is not None
        local = self.bot.clock.now().astimezone(ZoneInfo(canonical))
        await reply_ephemeral(
            interaction,
            f"🕰️ Your time zone is now **{canonical}** (it is {local:%Y-%m-%d %H:%M} there). "
            "Dates you type are read in it.",
        )


async def setup(bot: AuguryBot) -> None:
    await bot.add_cog(TimezoneCog(bot))
