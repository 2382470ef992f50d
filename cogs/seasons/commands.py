"""``/augury season start|end|list|roles``: seasons and earned roles, for Manage Server.

The ``season`` group joins the ``/augury`` admin group when this feature loads (see
:mod:`bot.runtime.shared_groups`); the administration feature owns ``/augury``. Every rule
(one running season, a unique name, an end in the future, which roles can be earned) lives in
:mod:`bot.domain.seasons` and the services; this translates options and renders replies.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain import option_limits as limit
from bot.domain.errors import InvalidInput
from bot.domain.seasons import (
    MIN_FORECASTS_MAX,
    SEASON_NAME_MAX,
    TOP_N_MAX,
    Achievement,
    RoleFacts,
)
from bot.domain.text import code_span
from bot.rendering.limits import EMBED_FIELD_VALUE, truncate
from bot.rendering.replies import guild_id_of, reply_ephemeral
from bot.rendering.timestamps import discord_timestamp
from bot.runtime.client import AuguryBot, augury
from bot.runtime.shared_groups import AUGURY_GROUP, join_group, leave_group
from bot.services.seasons.roles import RoleMapping
from bot.services.seasons.service import SeasonInfo
from cogs.seasons.recap import plural

GROUP = "season"
ACHIEVEMENT_CHOICES = [
    app_commands.Choice(name="top N of a season", value=Achievement.TOP.value),
    app_commands.Choice(
        name="well calibrated in a season", value=Achievement.WELL_CALIBRATED.value
    ),
    app_commands.Choice(name="first forecast", value=Achievement.FIRST_FORECAST.value),
]


def _check_manager(interaction: discord.Interaction) -> None:
    """Default permissions hide ``/augury``; this holds even if an admin overrode that."""
    if not interaction.permissions.manage_guild:
        raise app_commands.MissingPermissions(["manage_guild"])


def started_text(season: SeasonInfo) -> str:
    until = (
        f" until {discord_timestamp(season.ends_at, 'F')} "
        f"({discord_timestamp(season.ends_at, 'R')})"
        if season.ends_at
        else " until you end it with `/augury season end`"
    )
    tags = f", only those tagged {', '.join(f'`{t}`' for t in season.tags)}" if season.tags else ""
    return (
        f"🏁 Season **{discord.utils.escape_markdown(season.name)}** has started. Predictions "
        f"resolved from now{until} count for it{tags}. Members see its standings with "
        f"{code_span('/leaderboard season:' + season.name)}; when it ends, a recap is posted."
    )


def _season_line(season: SeasonInfo, guild_id: int) -> str:
    name = f"**{discord.utils.escape_markdown(season.name)}**"
    start = discord_timestamp(season.started_at, "d")
    if season.running:
        end = f"ends {discord_timestamp(season.ends_at, 'R')}" if season.ends_at else "no end date"
        return f"▶️ {name} · running since {start} · {end}"
    assert season.ended_at is not None
    line = f"{name} · {start} – {discord_timestamp(season.ended_at, 'd')}"
    if season.recap_message_id and season.recap_channel_id:
        url = f"https://discord.com/channels/{guild_id}/{season.recap_channel_id}/{season.recap_message_id}"
        line += f" · [recap]({url})"
    elif season.recapped_at is None:
        line += " · recap on its way"
    if season.recap_problem:
        line += f"\n⚠️ {season.recap_problem}"
    return line


def _role_line(mapping: RoleMapping) -> str:
    line = (
        f"<@&{mapping.role_id}> · {mapping.describe()} · "
        f"{plural(mapping.holders, 'member')} hold it"
    )
    if mapping.problem:
        when = f" ({discord_timestamp(mapping.problem_at, 'R')})" if mapping.problem_at else ""
        line += f"\n⚠️ {mapping.problem}{when}"
    return line


def overview_embed(
    seasons: list[SeasonInfo], mappings: list[RoleMapping], pending: int, guild_id: int
) -> discord.Embed:
    embed = discord.Embed(title="Seasons", colour=discord.Colour.gold())
    lines = [_season_line(s, guild_id) for s in seasons]
    embed.description = truncate(
        "\n".join(lines) or "No season yet: start one with `/augury season start`.", 4096
    )
    roles = [_role_line(m) for m in mappings]
    if pending:
        roles.append(
            f"⏳ {plural(pending, 'role change')} waiting to be applied (a few per second)."
        )
    embed.add_field(
        name="Earned roles",
        value=truncate(
            "\n".join(roles) or "No earned roles yet: map one with `/augury season roles`.",
            EMBED_FIELD_VALUE,
        ),
        inline=False,
    )
    return embed


def role_facts(role: discord.Role, guild: discord.Guild) -> RoleFacts:
    me = guild.me
    return RoleFacts(
        is_default=role.is_default(),
        managed=role.managed,
        position=role.position,
        bot_top_position=me.top_role.position if me is not None else 0,
        bot_manages_roles=bool(me is not None and me.guild_permissions.manage_roles),
    )


def season_group() -> app_commands.Group:
    """Built per bot: the group it joins belongs to that bot."""
    group = app_commands.Group(name=GROUP, description="Seasons, their recaps and earned roles")

    @group.command(name="start", description="Start a season: a fresh leaderboard from now")
    @app_commands.describe(
        name="The season's name, e.g. Winter 2027 (unique in this server)",
        ends="When it ends, in the server's time zone, e.g. in 3 months or 2027-03-31 (optional)",
        tags="Only predictions with one of these tags count, comma-separated (optional)",
    )
    async def start(
        interaction: discord.Interaction,
        name: app_commands.Range[str, 1, SEASON_NAME_MAX],
        ends: app_commands.Range[str, 1, limit.DATE_PHRASE_MAX] | None = None,
        tags: app_commands.Range[str, 1, limit.TAG_LIST_TEXT_MAX] | None = None,
    ) -> None:
        _check_manager(interaction)
        season = await augury(interaction).services.seasons.start(
            guild_id_of(interaction), name, ends=ends, tags=tags, started_by=interaction.user.id
        )
        await reply_ephemeral(interaction, started_text(season))

    @group.command(name="end", description="End the running season now and post its recap")
    async def end(interaction: discord.Interaction) -> None:
        _check_manager(interaction)
        season = await augury(interaction).services.seasons.end(guild_id_of(interaction))
        await reply_ephemeral(
            interaction,
            f"🏁 Season **{discord.utils.escape_markdown(season.name)}** has ended. Its recap "
            "will be posted in the prediction channel in a moment; `/augury season list` shows "
            "where it went.",
        )

    @group.command(name="list", description="This server's seasons, recaps and earned roles")
    async def listing(interaction: discord.Interaction) -> None:
        _check_manager(interaction)
        guild_id = guild_id_of(interaction)
        services = augury(interaction).services
        seasons = await services.seasons.listing(guild_id)
        mappings = await services.earned_roles.mappings(guild_id)
        pending = await services.role_changes.pending(guild_id)
        await reply_ephemeral(
            interaction, embed=overview_embed(seasons, mappings, pending, guild_id)
        )

    @group.command(
        name="roles",
        description="Roles members earn: top of a season, calibration, a first forecast",
    )
    @app_commands.describe(
        role="The role to give (leave empty to list the earned roles)",
        achievement="What earns it",
        top="For top N: how many places earn it (default 3)",
        forecasts="For well calibrated: resolved YES/NO forecasts needed in a season (default 20)",
        clear="Stop managing this role (members keep it)",
    )
    @app_commands.choices(achievement=ACHIEVEMENT_CHOICES)
    async def roles(
        interaction: discord.Interaction,
        role: discord.Role | None = None,
        achievement: app_commands.Choice[str] | None = None,
        top: app_commands.Range[int, 1, TOP_N_MAX] | None = None,
        forecasts: app_commands.Range[int, 1, MIN_FORECASTS_MAX] | None = None,
        clear: bool = False,
    ) -> None:
        _check_manager(interaction)
        guild_id = guild_id_of(interaction)
        service = augury(interaction).services.earned_roles
        if role is None:
            if achievement is not None or clear:
                raise InvalidInput("Pick the `role` too.")
            mappings = await service.mappings(guild_id)
            lines = [_role_line(m) for m in mappings]
            await reply_ephemeral(
                interaction,
                "\n".join(["🎖️ Earned roles:", *lines])
                if lines
                else "🎖️ No earned roles yet. Map one with "
                "`/augury season roles role:@… achievement:…`.",
            )
            return
        if clear:
            if achievement is not None:
                raise InvalidInput("Give an `achievement` or `clear:True`, not both.")
            gone = await service.unmap(guild_id, role.id)
            await reply_ephemeral(
                interaction,
                f"🎖️ {role.mention} is no longer an earned role ({gone.describe()}). Members who "
                "hold it keep it; remove the role in Server Settings if you wish.",
            )
            return
        if achievement is None:
            raise InvalidInput("Pick an `achievement` for the role (or `clear:True` to stop).")
        guild = interaction.guild
        assert guild is not None
        mapping = await service.map(
            guild_id,
            role.id,
            role.name,
            role_facts(role, guild),
            Achievement(achievement.value),
            top_n=top,
            min_forecasts=forecasts,
        )
        when = (
            "as members cast their first forecast (those who already did get it now, "
            "a few per second)"
            if mapping.achievement is Achievement.FIRST_FORECAST
            else "when each season ends; those who held it and no longer earn it lose it"
        )
        await reply_ephemeral(
            interaction, f"🎖️ {role.mention} now goes to members with {mapping.describe()}, {when}."
        )

    return group


class SeasonCommandsCog(commands.Cog):
    """Adds ``/augury season`` to the admin group."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        join_group(self.bot.tree, season_group(), AUGURY_GROUP)

    async def cog_unload(self) -> None:
        leave_group(self.bot.tree, GROUP, AUGURY_GROUP)
