"""``/stats member``, ``/stats server`` and ``/leaderboard``: the track records.

Every command defers first (the queries and the chart can take longer than Discord's three
seconds), then answers with the figures, a text version of the chart and the chart itself.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.calibration import Bucket
from bot.client import AuguryBot
from bot.rendering.chart_files import (
    CALIBRATION_FILENAME,
    attachment_url,
    calibration_file,
    calibration_text,
)
from bot.rendering.limits import EMBED_TITLE, truncate
from bot.rendering.paginator import Paginator
from bot.rendering.replies import guild_id_of
from bot.services.stats import Leaderboard, MemberStats, ServerStats

PERIOD_LABELS = {
    "30d": "last 30 days",
    "90d": "last 90 days",
    "365d": "last 365 days",
    "all": "all time",
}
METRIC_LABELS = {
    "relative": "relative Brier",
    "brier": "Brier score",
    "log": "log score",
}
METRIC_NOTES = {
    "relative": "Your time-averaged Brier minus the community's over the same time: "
    "below 0 beats the crowd. Lower is better.",
    "brier": "(forecast − outcome)² of your final forecast: 0 is perfect, always saying 50% "
    "earns 0.25. Lower is better.",
    "log": "ln of the probability you gave to what happened: 0 is perfect. Higher is better.",
}
PERIOD_CHOICES = [app_commands.Choice(name=label, value=v) for v, label in PERIOD_LABELS.items()]
METRIC_CHOICES = [app_commands.Choice(name=label, value=v) for v, label in METRIC_LABELS.items()]
NO_RECORD_SELF = "No resolved forecasts yet: vote on predictions and come back when they resolve."
NO_RECORD_SERVER = (
    "No resolved forecasts in this server yet: predictions are scored when they resolve "
    "YES or NO. Vote on some and come back then."
)
NO_MENTIONS = discord.AllowedMentions.none()


def _number(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.3f}" if signed else f"{value:.3f}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _score_fields(
    embed: discord.Embed,
    brier: float | None,
    time_brier: float | None,
    relative: float | None,
    log: float | None,
) -> None:
    embed.add_field(name="Brier (final forecast)", value=_number(brier))
    embed.add_field(name="Brier (time-averaged)", value=_number(time_brier))
    embed.add_field(name="Relative Brier", value=_number(relative, signed=True))
    embed.add_field(name="Log score", value=_number(log))


def _with_calibration(embed: discord.Embed, buckets: list[Bucket]) -> discord.Embed:
    embed.add_field(name="Calibration", value=calibration_text(buckets), inline=False)
    embed.set_image(url=attachment_url(CALIBRATION_FILENAME))
    embed.set_footer(
        text="Brier: 0 is perfect, lower is better. Relative Brier below 0 beats the community. "
        "Log score: 0 is perfect, higher is better."
    )
    return embed


def member_embed(stats: MemberStats, buckets: list[Bucket], name: str) -> discord.Embed:
    embed = discord.Embed(
        title=truncate(f"Track record · {name}", EMBED_TITLE),
        description=f"<@{stats.user_id}> · {_plural(stats.resolved, 'resolved forecast')}",
        colour=discord.Colour.blurple(),
    )
    _score_fields(
        embed, stats.mean_brier, stats.mean_time_brier, stats.mean_relative_brier, stats.mean_log
    )
    return _with_calibration(embed, buckets)


def server_embed(stats: ServerStats, buckets: list[Bucket], name: str) -> discord.Embed:
    embed = discord.Embed(
        title=truncate(f"Track record · {name}", EMBED_TITLE),
        description=(
            f"{_plural(stats.forecasts, 'scored forecast')} by "
            f"{_plural(stats.members, 'member')} on "
            f"{_plural(stats.resolved_predictions, 'resolved prediction')}. "
            "Members' averages:"
        ),
        colour=discord.Colour.blurple(),
    )
    _score_fields(
        embed, stats.mean_brier, stats.mean_time_brier, stats.mean_relative_brier, stats.mean_log
    )
    if stats.community_scored:
        community = (
            f"Brier {_number(stats.community_brier)} · log {_number(stats.community_log)} "
            f"over {_plural(stats.community_scored, 'prediction')} (its median at the close)"
        )
    else:
        community = "Not scored yet."
    embed.add_field(name="The community forecast's own record", value=community, inline=False)
    return _with_calibration(embed, buckets)


def caller_text(board: Leaderboard, caller_id: int) -> str:
    """Where the caller stands, or how many more forecasts they need to be ranked."""
    caller = board.caller
    if caller is not None:
        return (
            f"<@{caller_id}>: #{caller.rank} of {board.total} · "
            f"{_number(caller.value, signed=board.metric == 'relative')} over "
            f"{_plural(caller.count, 'forecast')}"
        )
    missing = max(board.min_resolved - board.caller_count, 1)
    return (
        f"<@{caller_id}>: not ranked yet. You need {_plural(missing, 'more resolved forecast')} "
        f"in this period (you have {board.caller_count} of {board.min_resolved})."
    )


def leaderboard_embed(board: Leaderboard, caller_id: int) -> discord.Embed:
    signed = board.metric == "relative"
    lines = [
        f"**{row.rank}.** <@{row.user_id}> · {_number(row.value, signed=signed)} · "
        f"{_plural(row.count, 'forecast')}" + (" ← you" if row.user_id == caller_id else "")
        for row in board.rows
    ]
    embed = discord.Embed(
        title=f"Leaderboard · {METRIC_LABELS[board.metric]} · {PERIOD_LABELS[board.period]}",
        description=f"*{METRIC_NOTES[board.metric]}*\n\n" + "\n".join(lines),
        colour=discord.Colour.gold(),
    )
    embed.add_field(name="Your rank", value=caller_text(board, caller_id), inline=False)
    embed.set_footer(
        text=f"Page {board.page + 1} of {board.pages} · {board.total} ranked · "
        f"at least {_plural(board.min_resolved, 'resolved forecast')} each"
    )
    return embed


def empty_board_text(board: Leaderboard) -> str:
    period = PERIOD_LABELS[board.period]
    return (
        f"Nobody has {_plural(board.min_resolved, 'resolved forecast')} ({period}) yet, so "
        f"there is no leaderboard. Members are ranked once they have at least "
        f"{board.min_resolved}; you have {board.caller_count}."
    )


class StatsCog(commands.Cog):
    """Track records, calibration and the leaderboard."""

    stats = app_commands.Group(
        name="stats", description="Track records: scores and calibration", guild_only=True
    )

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    @stats.command(name="member", description="A member's track record and calibration")
    @app_commands.describe(member="Whose record (default: yours)")
    async def member(
        self, interaction: discord.Interaction, member: discord.Member | None = None
    ) -> None:
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(thinking=True)
        target = member or interaction.user
        stats = await self.bot.services.stats.member(guild_id, target.id)
        if stats.resolved == 0:
            text = (
                NO_RECORD_SELF
                if target.id == interaction.user.id
                else (f"<@{target.id}> has no resolved forecasts yet.")
            )
            await interaction.followup.send(text, allowed_mentions=NO_MENTIONS)
            return
        buckets = await self.bot.services.stats.calibration(guild_id, target.id)
        file = await calibration_file(buckets, f"Calibration · {target.display_name}")
        await interaction.followup.send(
            embed=member_embed(stats, buckets, target.display_name),
            file=file,
            allowed_mentions=NO_MENTIONS,
        )

    @stats.command(name="server", description="The server's track record and calibration")
    async def server(self, interaction: discord.Interaction) -> None:
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(thinking=True)
        stats = await self.bot.services.stats.server(guild_id)
        if stats.forecasts == 0:
            await interaction.followup.send(NO_RECORD_SERVER, allowed_mentions=NO_MENTIONS)
            return
        name = interaction.guild.name if interaction.guild else "this server"
        buckets = await self.bot.services.stats.calibration(guild_id, None)
        file = await calibration_file(buckets, f"Calibration · {name}")
        await interaction.followup.send(
            embed=server_embed(stats, buckets, name), file=file, allowed_mentions=NO_MENTIONS
        )

    @app_commands.command(name="leaderboard", description="The server's best forecasters")
    @app_commands.guild_only()
    @app_commands.describe(
        period="Only predictions resolved in this period (default: all time)",
        metric="What to rank by (default: relative Brier)",
    )
    @app_commands.choices(period=PERIOD_CHOICES, metric=METRIC_CHOICES)
    async def leaderboard(
        self,
        interaction: discord.Interaction,
        period: app_commands.Choice[str] | None = None,
        metric: app_commands.Choice[str] | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(thinking=True)
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
            )

        async def render(page: int) -> tuple[discord.Embed, int]:
            board = await load(page)
            return leaderboard_embed(board, caller_id), board.pages

        board = await load(0)
        if board.total == 0:
            await interaction.followup.send(empty_board_text(board), allowed_mentions=NO_MENTIONS)
            return
        extra: dict[str, Any] = {}
        if board.pages > 1:
            extra["view"] = Paginator(caller_id, render, 0, board.pages)
        await interaction.followup.send(
            embed=leaderboard_embed(board, caller_id), allowed_mentions=NO_MENTIONS, **extra
        )


async def setup(bot: AuguryBot) -> None:
    await bot.add_cog(StatsCog(bot))
