"""``/augury``: the server's Augury settings, for members with Manage Server."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain import option_limits as limit
from bot.domain.errors import InvalidInput
from bot.domain.web_visibility import server_path
from bot.rendering.choices import VISIBILITY_CHOICES
from bot.rendering.replies import guild_id_of, reply_ephemeral
from bot.runtime.autocomplete import time_zones
from bot.runtime.client import AuguryBot
from bot.services.core.dto import GuildConfig
from bot.services.core.server_config import ChannelChoice, RoleChoice
from bot.version import version
from cogs.administration.failed_reminders import given_up_embed
from cogs.administration.keycap_panel import KeycapsSelect, keycaps_view
from cogs.administration.posting_channel import PostingChannelOption, posting_channel
from cogs.administration.web_listing import refresh_server


@app_commands.guild_install()
@app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
@app_commands.default_permissions(manage_guild=True)
class AdminCog(commands.GroupCog, group_name="augury"):
    """Configure Augury for this server."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(KeycapsSelect)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(KeycapsSelect)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Default permissions hide the group; this enforces it even if an admin overrode that."""
        if not interaction.permissions.manage_guild:
            raise app_commands.MissingPermissions(["manage_guild"])
        return True

    @app_commands.command(name="settings", description="Show this server's Augury settings")
    async def show_settings(self, interaction: discord.Interaction) -> None:
        config = await self.bot.services.server_config.guild(guild_id_of(interaction))
        await reply_ephemeral(interaction, embed=settings_embed(config))

    @app_commands.command(
        name="reminders-failed", description="Reminders Augury gave up delivering, and why"
    )
    async def reminders_failed(self, interaction: discord.Interaction) -> None:
        given_up = await self.bot.services.reminders.given_up(guild_id_of(interaction))
        await reply_ephemeral(interaction, embed=given_up_embed(given_up))

    @app_commands.command(name="channel", description="Where new predictions are posted")
    @app_commands.rename(picked="channel")
    @app_commands.describe(
        picked="A text or forum channel (leave empty to see the current one)",
        clear="Post new predictions where /predict is used instead",
    )
    async def channel(
        self,
        interaction: discord.Interaction,
        picked: app_commands.Transform[object, PostingChannelOption] | None = None,
        clear: bool = False,
    ) -> None:
        guild_id = guild_id_of(interaction)
        config = self.bot.services.server_config
        channel = posting_channel(picked) if picked is not None else None
        if channel is not None and clear:
            raise InvalidInput("Give a channel or `clear:True`, not both.")
        if channel is None and not clear:  # no argument: show, never reset
            current = (await config.guild(guild_id)).prediction_channel_id
            where = f"<#{current}>" if current else "the channel where `/predict` is used"
            await reply_ephemeral(
                interaction,
                f"📌 New predictions are posted in {where}. Change it with "
                "`/augury channel channel:#…`; `clear:True` posts where `/predict` is used.",
            )
            return
        chosen = ChannelChoice(channel.id, _kind(channel)) if channel else None
        await config.update_guild(guild_id, prediction_channel_id=chosen)
        where = channel.mention if channel else "the channel where `/predict` is used"
        await reply_ephemeral(interaction, f"📌 New predictions will be posted in {where}.")

    @app_commands.command(
        name="moderator-role", description="Who may resolve and manage any prediction"
    )
    @app_commands.describe(
        role="The moderator role (leave empty to see the current one)",
        clear="No moderator role: only members with Manage Server moderate",
    )
    async def moderator_role(
        self,
        interaction: discord.Interaction,
        role: discord.Role | None = None,
        clear: bool = False,
    ) -> None:
        guild_id = guild_id_of(interaction)
        config = self.bot.services.server_config
        if role is not None and clear:
            raise InvalidInput("Give a role or `clear:True`, not both.")
        if role is None and not clear:  # no argument: show, never reset
            current = (await config.guild(guild_id)).moderator_role_id
            who = (
                f"<@&{current}> and members with Manage Server"
                if current
                else ("members with Manage Server (no moderator role is set)")
            )
            await reply_ephemeral(
                interaction,
                f"🛡️ Moderators are {who}. Change it with `/augury moderator-role role:@…`; "
                "`clear:True` removes the role.",
            )
            return
        # The service refuses @everyone and integration-managed roles, whoever asks.
        chosen = RoleChoice(role.id, managed=role.managed) if role else None
        await config.update_guild(guild_id, moderator_role_id=chosen)
        who = role.mention if role else "members with Manage Server"
        await reply_ephemeral(interaction, f"🛡️ Moderators are now {who}.")

    @app_commands.command(name="timezone", description="The server's default time zone for dates")
    @app_commands.describe(zone="An IANA time zone such as Europe/Berlin (type to search)")
    @app_commands.autocomplete(zone=time_zones)
    async def timezone(
        self,
        interaction: discord.Interaction,
        zone: app_commands.Range[str, 1, limit.ZONE_NAME_MAX],
    ) -> None:
        config = await self.bot.services.server_config.update_guild(
            guild_id_of(interaction), timezone=zone
        )
        shown = config.timezone or "UTC (no server zone set)"
        await reply_ephemeral(
            interaction, f"🕰️ Dates are now read in **{shown}** unless a member set their own."
        )

    @app_commands.command(name="voting", description="Vote visibility default and reaction keycaps")
    @app_commands.describe(
        visibility="Default vote visibility for new predictions",
        keycaps="Shortcut for the menu: tens of percent, e.g. 1,3,5,7,9",
    )
    @app_commands.choices(visibility=VISIBILITY_CHOICES)
    async def voting(
        self,
        interaction: discord.Interaction,
        visibility: app_commands.Choice[str] | None = None,
        keycaps: app_commands.Range[str, 1, limit.KEYCAPS_TEXT_MAX] | None = None,
    ) -> None:
        """The settings, with the keycaps as a multi-select that saves on change."""
        changes: dict[str, object] = {}
        if visibility is not None:
            changes["default_visibility"] = visibility.value
        if keycaps is not None:
            changes["reaction_keycaps"] = keycaps
        config = await self.bot.services.server_config.update_guild(
            guild_id_of(interaction), **changes
        )
        await reply_ephemeral(
            interaction,
            "Choose the keycap reactions new predictions get below; each change is saved.",
            embed=settings_embed(config),
            view=keycaps_view(config.reaction_keycaps),
        )

    @app_commands.command(name="reminders", description="How often and how long to remind")
    @app_commands.describe(
        interval_hours="Hours between reminders once a prediction is due (default 72)",
        count="Reminders to author and followers before the moderators are pinged (default 3)",
        close_warning="Ping followers 24 h before voting closes",
        archive_on_resolve="Archive a prediction's thread when it is resolved",
        leaderboard_min="Resolved forecasts a member needs to appear on the leaderboard",
        voters_follow="Voting makes the voter a follower (pinged when due); default off",
    )
    async def reminders(
        self,
        interaction: discord.Interaction,
        interval_hours: app_commands.Range[int, 1, 2160] | None = None,
        count: app_commands.Range[int, 0, 20] | None = None,
        close_warning: bool | None = None,
        archive_on_resolve: bool | None = None,
        leaderboard_min: app_commands.Range[int, 1, 1000] | None = None,
        voters_follow: bool | None = None,
    ) -> None:
        given = {
            "reminder_interval_hours": interval_hours,
            "reminder_count": count,
            "close_warning": close_warning,
            "archive_on_resolve": archive_on_resolve,
            "leaderboard_min_resolved": leaderboard_min,
            "voters_follow": voters_follow,
        }
        changes = {name: value for name, value in given.items() if value is not None}
        config = await self.bot.services.server_config.update_guild(
            guild_id_of(interaction), **changes
        )
        await reply_ephemeral(interaction, embed=settings_embed(config))

    @app_commands.command(name="web", description="Show this server's predictions on the web")
    @app_commands.describe(
        enabled="on: public pages and API for predictions in channels everyone can read; off: none"
    )
    @app_commands.choices(
        enabled=[
            app_commands.Choice(name="on", value="on"),
            app_commands.Choice(name="off", value="off"),
        ]
    )
    async def web(
        self, interaction: discord.Interaction, enabled: app_commands.Choice[str]
    ) -> None:
        guild = interaction.guild
        guild_id = guild_id_of(interaction)
        on = enabled.value == "on"
        await interaction.response.defer(ephemeral=True, thinking=True)
        name = guild.name if guild is not None else ""
        if on:
            await refresh_server(self.bot, guild_id)  # before the first page is served
        await self.bot.services.web.set_server(guild_id, on, name)
        await reply_ephemeral(interaction, web_reply(on, guild_id, self.bot.settings.public_url))


def web_reply(on: bool, guild_id: int, public_url: str | None) -> str:
    """What the admin is told: the truth about what is public now, and where."""
    if not on:
        return (
            "🔒 This server is off the web: its pages and API answer 404 (not even its name "
            "shows). `/augury web enabled:on` brings them back."
        )
    where, links = (
        (
            f" at {public_url}{server_path(guild_id)}",
            " New and updated prediction messages link to their page.",
        )
        if public_url
        else (" (this bot's host has not set PUBLIC_URL, so messages carry no link)", "")
    )
    return (
        f"🌐 This server is on the web{where}. Shown: predictions posted in channels everyone "
        "can read, with votes hidden exactly as long as they are here; members who said "
        f"`/privacy web off` and forgotten members are never named.{links} "
        "`/augury web enabled:off` takes it all down."
    )


def _kind(channel: discord.abc.GuildChannel) -> str:
    """The channel's kind as the service names it."""
    if isinstance(channel, discord.ForumChannel):
        return "forum"
    return "text" if isinstance(channel, discord.TextChannel) else str(channel.type)


def settings_embed(config: GuildConfig) -> discord.Embed:
    """Grouped as an admin looks for them, each group naming the command that changes it."""
    embed = discord.Embed(title="Augury settings", colour=discord.Colour.blurple())
    channel = f"<#{config.prediction_channel_id}>" if config.prediction_channel_id else "where used"
    role = f"<@&{config.moderator_role_id}>" if config.moderator_role_id else "Manage Server only"
    on = {True: "on", False: "off"}
    groups = {
        "Where and who": (
            f"Prediction channel: {channel} (`/augury channel`)\n"
            f"Moderators: {role} (`/augury moderator-role`)\n"
            f"Time zone: {config.timezone or 'UTC'} (`/augury timezone`)"
        ),
        "Voting (`/augury voting`)": (
            f"Vote visibility: {config.default_visibility.value.replace('_', ' ')}\n"
            f"Keycaps: {' '.join(f'{k * 10}%' for k in config.reaction_keycaps) or 'none'}"
        ),
        "Reminders and pings (`/augury reminders`)": (
            f"Reminders: every {config.reminder_interval_hours} h, "
            f"{config.reminder_count} times, then the moderators\n"
            f"Close warning: {on[config.close_warning]}\n"
            f"Voters follow what they vote on: {on[config.voters_follow]}\n"
            f"Archive on resolve: {on[config.archive_on_resolve]}\n"
            f"Leaderboard minimum: {config.leaderboard_min_resolved}"
        ),
    }
    for name, value in groups.items():
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text=f"Augury {version()}")  # what an admin upgrades from
    return embed
