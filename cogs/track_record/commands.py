"""``/stats member``, ``/stats server`` and ``/leaderboard``: the track records.

Every command defers first (the queries and the chart can take longer than Discord's three
seconds), then answers with the figures, a text version of the chart and the chart itself.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain import option_limits as limit
from bot.domain.seasons import SEASON_NAME_MAX
from bot.domain.tags import normalise_tag
from bot.forecasting.calibration import Bucket
from bot.rendering.chart_files import (
    calibration_file,
)
from bot.rendering.limits import EMBED_TITLE, truncate
from bot.rendering.paginator import Paginator
from bot.rendering.replies import (
    answer_privately,
    defer_publicly,
    guild_id_of,
    reply_ephemeral,
    send_public,
)
from bot.runtime.autocomplete import season_names, tag_names
from bot.runtime.client import AuguryBot
from bot.runtime.cooldowns import member_cooldown
from bot.services.track_record.stats import Leaderboard
from cogs.track_record.embeds import (
    METRIC_CHOICES,
    NO_MENTIONS,
    NO_RECORD_SELF,
    NO_RECORD_SERVER,
    PERIOD_CHOICES,
    caller_text,
    empty_board_text,
    has_calibration,
    kind_choices,
    kind_title,
    leaderboard_embed,
    mark_disputed,
    member_embed,
    server_embed,
)

#: Per member: /stats (member and server share the allowance) and /leaderboard.
STATS_RATE, STATS_PER = 3, 60.0
LEADERBOARD_RATE, LEADERBOARD_PER = 3, 60.0
KIND_HELP = "Only this kind of question (default: every kind; Brier and log: yes/no)"


class StatsCog(commands.Cog):
    """Track records, calibration and the leaderboard."""

    stats = app_commands.Group(
        name="stats",
        description="Track records: scores and calibration",
        allowed_contexts=app_commands.AppCommandContext(
            guild=True, dm_channel=False, private_channel=False
        ),
        allowed_installs=app_commands.AppInstallationType(guild=True, user=False),
    )

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    @stats.command(name="member", description="A member's track record and calibration")
    @app_commands.describe(
        member="Whose record (default: yours)",
        tag="Only predictions with this tag (one topic)",
        kind=KIND_HELP,
        season="Only predictions resolved in this season (default: all time)",
    )
    @app_commands.choices(kind=kind_choices())
    @app_commands.autocomplete(tag=tag_names, season=season_names)
    @member_cooldown("stats", rate=STATS_RATE, per=STATS_PER)
    async def member(
        self,
        interaction: discord.Interaction,
        member: discord.Member | None = None,
        tag: app_commands.Range[str, 1, limit.TAG_TEXT_MAX] | None = None,
        kind: app_commands.Choice[str] | None = None,
        season: app_commands.Range[str, 1, SEASON_NAME_MAX] | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        await defer_publicly(interaction)
        target = member or interaction.user
        kind_value = kind.value if kind else None
        stats = await self.bot.services.stats.member(guild_id, target.id, tag, kind_value, season)
        topic = (f" tagged `{normalise_tag(tag)}`" if tag else "") + _in_season(season)
        if kind_value:
            topic += f" on {kind_title(kind_value)} questions"
        if stats.resolved == 0:
            text = (
                NO_RECORD_SELF
                if target.id == interaction.user.id and not tag and not kind_value and not season
                else (f"**{target.display_name}** has no resolved forecasts{topic} yet.")
            )
            await answer_privately(interaction, text)  # an empty record is nobody else's news
            return
        buckets = await self.bot.services.stats.calibration(
            guild_id, target.id, tag, kind_value, season
        )
        intervals = await self.bot.services.stats.interval_calibration(guild_id, target.id, tag)
        label = target.display_name + (f" · {normalise_tag(tag)}" if tag else "")
        label += f" · {kind_title(kind_value)}" if kind_value else ""
        label += f" · {season}" if season else ""
        await send_public(
            interaction,
            embed=member_embed(
                stats, buckets, label, intervals, own=target.id == interaction.user.id
            ),
            allowed_mentions=NO_MENTIONS,
            **await self._chart(buckets, f"Calibration · {label}"),
        )

    @stats.command(name="server", description="The server's track record and calibration")
    @app_commands.describe(
        kind=KIND_HELP, season="Only predictions resolved in this season (default: all time)"
    )
    @app_commands.choices(kind=kind_choices())
    @app_commands.autocomplete(season=season_names)
    @member_cooldown("stats", rate=STATS_RATE, per=STATS_PER)
    async def server(
        self,
        interaction: discord.Interaction,
        kind: app_commands.Choice[str] | None = None,
        season: app_commands.Range[str, 1, SEASON_NAME_MAX] | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        await defer_publicly(interaction)
        kind_value = kind.value if kind else None
        stats = await self.bot.services.stats.server(guild_id, kind_value, season)
        if stats.forecasts == 0:
            text = (
                f"No resolved forecasts on {kind_title(kind_value)} questions"
                f"{_in_season(season)} in this server yet."
                if kind_value
                else NO_RECORD_SERVER
                if not season
                else f"No resolved forecasts{_in_season(season)} yet."
            )
            await answer_privately(interaction, text)
            return
        name = interaction.guild.name if interaction.guild else "this server"
        name += f" · {kind_title(kind_value)}" if kind_value else ""
        name += f" · {season}" if season else ""
        buckets = await self.bot.services.stats.calibration(
            guild_id, None, kind=kind_value, season=season
        )
        await send_public(
            interaction,
            embed=server_embed(stats, buckets, name),
            allowed_mentions=NO_MENTIONS,
            **await self._chart(buckets, f"Calibration · {name}"),
        )

    async def _chart(self, buckets: list[Bucket], title: str) -> dict[str, Any]:
        """The calibration chart to attach, if there is one (a record of other kinds only has
        no yes/no forecast to draw)."""
        if not has_calibration(buckets):
            return {}
        return {"file": await calibration_file(buckets, title, pool=self.bot.charts)}

    @app_commands.command(name="leaderboard", description="The server's best forecasters")
    @app_commands.guild_install()
    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    @app_commands.describe(
        period="Only predictions resolved in this period (default: all time)",
        metric="What to rank by (default: relative Brier)",
        tag="Only predictions with this tag",
        kind=KIND_HELP,
        season="Only predictions resolved in this season (default: all time)",
    )
    @app_commands.choices(period=PERIOD_CHOICES, metric=METRIC_CHOICES, kind=kind_choices())
    @app_commands.autocomplete(tag=tag_names, season=season_names)
    @member_cooldown("leaderboard", rate=LEADERBOARD_RATE, per=LEADERBOARD_PER)
    async def leaderboard(
        self,
        interaction: discord.Interaction,
        period: app_commands.Choice[str] | None = None,
        metric: app_commands.Choice[str] | None = None,
        tag: app_commands.Range[str, 1, limit.TAG_TEXT_MAX] | None = None,
        kind: app_commands.Choice[str] | None = None,
        season: app_commands.Range[str, 1, SEASON_NAME_MAX] | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        await defer_publicly(interaction)
        kind_value = kind.value if kind else None
        period_value = period.value if period else "all"
        metric_value = metric.value if metric else "relative"
        caller_id = interaction.user.id

        async def load(page: int) -> Leaderboard:
            return await self.bot.services.stats.leaderboard(
                guild_id,
                period=period_value,
                metric=metric_value,
                page=page,
                caller_id=caller_id,
                tag=tag,
                kind=kind_value,
                season=season,
            )

        async def named(board: Leaderboard) -> discord.Embed:
            ids = [row.user_id for row in board.rows]
            names = await self.bot.services.member_names.names(guild_id, ids)
            names[caller_id] = interaction.user.display_name  # the caller, as they are now
            embed = leaderboard_embed(board, names)
            mark_disputed(embed, await self.bot.services.disputes.disputed_numbers(guild_id))
            if tag:
                embed.title = f"{embed.title} · tagged {normalise_tag(tag)}"
            if season:
                embed.title = truncate(f"{embed.title} · season {season}", EMBED_TITLE)
            return embed

        async def render(page: int) -> tuple[discord.Embed, int]:
            board = await load(page)
            return await named(board), board.pages

        board = await load(0)
        if board.total == 0:
            text = empty_board_text(board)  # "you have 2"
            if season:
                text = text.replace("(all time)", f"({_in_season(season).strip()})")
            await answer_privately(interaction, text)
            return
        extra: dict[str, Any] = {}
        if board.pages > 1:
            extra["view"] = Paginator(caller_id, render, 0, board.pages)
        await send_public(
            interaction,
            embed=await named(board),
            allowed_mentions=NO_MENTIONS,
            **extra,
        )
        # Where the caller stands is theirs alone: told privately, beside the public board.
        await reply_ephemeral(interaction, caller_text(board))


def _in_season(season: str | None) -> str:
    return f" in the season {discord.utils.escape_markdown(season)}" if season else ""
