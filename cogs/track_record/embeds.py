"""The track-record embeds: a member's and the server's record, and the leaderboard."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.domain.kinds import DEFAULT_KIND, kind_for, kinds
from bot.forecasting.calibration import Bucket
from bot.rendering.chart_files import CALIBRATION_FILENAME, attachment_url, calibration_text
from bot.rendering.limits import EMBED_TITLE, truncate
from bot.rendering.words import plural
from bot.services.track_record.intervals import IntervalCalibration
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
#: Across kinds (no filter): what the figures are over, said once under the title.
EVERY_KIND_NOTE = (
    "Relative Brier: every kind of question. Brier and log score: yes/no questions (each kind "
    "has its own scale); pick a `kind` for another's."
)
PERIOD_CHOICES = [app_commands.Choice(name=label, value=v) for v, label in PERIOD_LABELS.items()]
METRIC_CHOICES = [app_commands.Choice(name=label, value=v) for v, label in METRIC_LABELS.items()]
NO_RECORD_SELF = "No resolved forecasts yet: vote on predictions and come back when they resolve."
NO_RECORD_SERVER = (
    "No resolved forecasts in this server yet: predictions are scored when they resolve "
    "YES or NO. Vote on some and come back then."
)
NO_MENTIONS = discord.AllowedMentions.none()


def kind_choices() -> list[app_commands.Choice[str]]:
    """The registered kinds, yes/no first, for the ``kind`` filter."""
    return [app_commands.Choice(name=kind.title, value=kind.name) for kind in kinds()]


def kind_title(kind: str | None) -> str:
    return kind_for(kind).title if kind else "every kind"


def _penalty_name(scale_kind: str) -> str:
    """A per-mille kind's penalty (yes/no's) is the Brier score; another kind's is its own
    (multiclass Brier, CRPS)."""
    return "Brier" if kind_for(scale_kind).per_mille else "Penalty"


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
    scale_kind: str = DEFAULT_KIND,
) -> None:
    penalty = _penalty_name(scale_kind)
    embed.add_field(name=f"{penalty} (final forecast)", value=_number(brier))
    embed.add_field(name=f"{penalty} (time-averaged)", value=_number(time_brier))
    embed.add_field(name="Relative Brier", value=_number(relative, signed=True))
    embed.add_field(name="Log score", value=_number(log))


def _kind_line(kind: str | None, other_kinds: bool) -> str:
    """What the figures cover: one kind, or every kind with the yes/no-only figures named
    (nothing to say when every score is a yes/no one)."""
    if kind is None:
        return f"\n-# {EVERY_KIND_NOTE}" if other_kinds else ""
    line = f"\n-# {kind_title(kind).capitalize()} questions only."
    return line if kind_for(kind).per_mille else f"{line} Calibration is for yes/no."


#: Said instead of a calibration that would be empty: the record holds resolved forecasts,
#: but none of yes/no (calibration compares probabilities with what happened: yes/no's only).
NO_YES_NO_CALIBRATION = "Calibration is for yes/no forecasts: none among these yet."


def has_calibration(buckets: list[Bucket]) -> bool:
    """Whether there is a calibration to show: at least one resolved yes/no forecast."""
    return any(bucket.count for bucket in buckets)


def _with_calibration(
    embed: discord.Embed, buckets: list[Bucket], kind: str | None, other_kinds: bool
) -> discord.Embed:
    """The calibration field and chart, named "(yes/no)" when other kinds are counted beside
    it; without a resolved yes/no forecast, a note instead of an empty one (a filter on
    another kind says so in its own line already)."""
    if has_calibration(buckets):
        name = "Calibration (yes/no)" if other_kinds else "Calibration"
        embed.add_field(name=name, value=calibration_text(buckets), inline=False)
        embed.set_image(url=attachment_url(CALIBRATION_FILENAME))
    elif kind is None:
        embed.description = f"{embed.description or ''}\n-# {NO_YES_NO_CALIBRATION}"
    embed.set_footer(
        text="Brier: 0 is perfect, lower is better. Relative Brier below 0 beats the community. "
        "Log score: 0 is perfect, higher is better."
    )
    return embed


def interval_text(intervals: IntervalCalibration, *, own: bool) -> str:
    """ "Your 80 % intervals held the answer 64 % of the time (16 of 25)"."""
    whose = "Your" if own else "Their"
    share = round(100 * intervals.held / intervals.judged)
    return (
        f"{whose} 80 % intervals held the answer {share} % of the time "
        f"({intervals.held} of {intervals.judged}); well calibrated is about 80 %."
    )


def member_embed(
    stats: MemberStats,
    buckets: list[Bucket],
    name: str,
    intervals: IntervalCalibration | None = None,
    *,
    own: bool = True,
) -> discord.Embed:
    embed = discord.Embed(
        title=truncate(f"Track record · {name}", EMBED_TITLE),
        description=plural(stats.resolved, "resolved forecast")
        + _kind_line(stats.kind, stats.other_kinds),
        colour=discord.Colour.blurple(),
    )
    _score_fields(
        embed,
        stats.mean_brier,
        stats.mean_time_brier,
        stats.mean_relative_brier,
        stats.mean_log,
        stats.scale_kind,
    )
    if intervals is not None and intervals.judged:  # numeric and date questions
        embed.add_field(
            name="Intervals (numeric and date)",
            value=interval_text(intervals, own=own),
            inline=False,
        )
    return _with_calibration(embed, buckets, stats.kind, stats.other_kinds)


def server_embed(stats: ServerStats, buckets: list[Bucket], name: str) -> discord.Embed:
    embed = discord.Embed(
        title=truncate(f"Track record · {name}", EMBED_TITLE),
        description=(
            f"{plural(stats.forecasts, 'scored forecast')} by "
            f"{plural(stats.members, 'member')} on "
            f"{plural(stats.resolved_predictions, 'resolved prediction')}. "
            "Members' averages:" + _kind_line(stats.kind, stats.other_kinds)
        ),
        colour=discord.Colour.blurple(),
    )
    _score_fields(
        embed,
        stats.mean_brier,
        stats.mean_time_brier,
        stats.mean_relative_brier,
        stats.mean_log,
        stats.scale_kind,
    )
    if stats.community_scored:
        penalty = _penalty_name(stats.scale_kind)
        community = (
            f"{penalty} {_number(stats.community_brier)} · log {_number(stats.community_log)} "
            f"over {plural(stats.community_scored, 'prediction')} (its median at the close)"
        )
    else:
        community = "Not scored yet."
    embed.add_field(name="The community forecast's own record", value=community, inline=False)
    return _with_calibration(embed, buckets, stats.kind, stats.other_kinds)


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
    scope = f" · {kind_title(board.kind)}" if board.kind else ""
    note = METRIC_NOTES[board.metric]
    if board.kind is None:
        note += " Every kind of question counts: each is scored against its own community."
    elif not kind_for(board.kind).per_mille and board.metric == "brier":
        note = "The question kind's own penalty of your final forecast. Lower is better."
    embed = discord.Embed(
        title=truncate(
            f"Leaderboard · {METRIC_LABELS[board.metric]} · {PERIOD_LABELS[board.period]}" + scope,
            EMBED_TITLE,
        ),
        description=f"*{note}*\n\n" + "\n".join(lines),
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


#: The most disputed predictions the leaderboard names (the rest are counted).
DISPUTED_SHOWN = 20


def mark_disputed(embed: discord.Embed, numbers: list[int]) -> discord.Embed:
    """Say which resolutions are disputed (issue 21): their scores count meanwhile."""
    if not numbers:
        return embed
    shown = ", ".join(f"#{n}" for n in numbers[:DISPUTED_SHOWN])
    more = len(numbers) - DISPUTED_SHOWN
    if more > 0:
        shown += f" and {more} more"
    embed.add_field(
        name="⚖️ Disputed",
        value=f"{shown}: the scores count until a moderator settles "
        + ("the dispute." if len(numbers) == 1 else "the disputes."),
        inline=False,
    )
    return embed
