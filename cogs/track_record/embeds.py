"""The track-record embeds: a member's and the server's record, and the leaderboard."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.forecasting.calibration import Bucket
from bot.rendering.chart_files import CALIBRATION_FILENAME, attachment_url, calibration_text
from bot.rendering.limits import EMBED_TITLE, truncate
from bot.rendering.words import plural
from bot.services.track_record.stats import Leaderboard, MemberStats, ServerStats

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
        description=plural(stats.resolved, "resolved forecast"),
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
            f"{plural(stats.forecasts, 'scored forecast')} by "
            f"{plural(stats.members, 'member')} on "
            f"{plural(stats.resolved_predictions, 'resolved prediction')}. "
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
            f"over {plural(stats.community_scored, 'prediction')} (its median at the close)"
        )
    else:
        community = "Not scored yet."
    embed.add_field(name="The community forecast's own record", value=community, inline=False)
    return _with_calibration(embed, buckets)


def _who(user_id: int, names: dict[int, str]) -> str:
    """The name the bot has seen (a mention shows as a raw ``<@id>`` on a client that has not
    loaded the member); a mention only for a member it never saw."""
    return discord.utils.escape_markdown(names[user_id]) if user_id in names else f"<@{user_id}>"


def caller_text(board: Leaderboard) -> str:
    """Where the caller stands, or how many more forecasts they need to be ranked: sent to
    them privately (the board itself is public)."""
    caller = board.caller
    if caller is not None:
        return (
            f"You are **#{caller.rank}** of {board.total} on this leaderboard: "
            f"{_number(caller.value, signed=board.metric == 'relative')} over "
            f"{plural(caller.count, 'forecast')}."
        )
    missing = max(board.min_resolved - board.caller_count, 1)
    return (
        f"You are not ranked yet: you need {plural(missing, 'more resolved forecast')} "
        f"in this period (you have {board.caller_count} of {board.min_resolved})."
    )


def leaderboard_embed(board: Leaderboard, names: dict[int, str] | None = None) -> discord.Embed:
    """With the names the bot has seen: a bare ``<@id>`` shows raw for unloaded members.
    Public, so nothing in it is about the member who asked (see :func:`caller_text`)."""
    signed = board.metric == "relative"
    known = names or {}
    lines = [
        f"**{row.rank}.** {_who(row.user_id, known)} · {_number(row.value, signed=signed)} · "
        f"{plural(row.count, 'forecast')}"
        for row in board.rows
    ]
    embed = discord.Embed(
        title=f"Leaderboard · {METRIC_LABELS[board.metric]} · {PERIOD_LABELS[board.period]}",
        description=f"*{METRIC_NOTES[board.metric]}*\n\n" + "\n".join(lines),
        colour=discord.Colour.gold(),
    )
    embed.set_footer(
        text=f"Page {board.page + 1} of {board.pages} · {board.total} ranked · "
        f"at least {plural(board.min_resolved, 'resolved forecast')} each"
    )
    return embed


def empty_board_text(board: Leaderboard) -> str:
    period = PERIOD_LABELS[board.period]
    return (
        f"Nobody has {plural(board.min_resolved, 'resolved forecast')} ({period}) yet, so "
        f"there is no leaderboard. Members are ranked once they have at least "
        f"{board.min_resolved}; you have {board.caller_count}."
    )
