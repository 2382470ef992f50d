"""The /stats line on intervals: shown once a member has a judged numeric or date forecast."""

from __future__ import annotations

from bot.services.track_record.intervals import IntervalCalibration
from bot.services.track_record.stats import MemberStats
from cogs.track_record.embeds import member_embed

STATS = MemberStats(1, 2, 25, 0.2, 0.2, -0.01, -1.5)


def fields(intervals: IntervalCalibration | None, *, own: bool = True) -> dict[str, str]:
    embed = member_embed(STATS, [], "bob", intervals, own=own)
    return {field.name or "": field.value or "" for field in embed.fields}


def test_the_interval_line_says_how_often_the_answer_fell_inside() -> None:
    line = fields(IntervalCalibration(held=16, judged=25))["Intervals (numeric and date)"]
    assert line.startswith("Your 80 % intervals held the answer 64 % of the time (16 of 25)")
    other = fields(IntervalCalibration(held=1, judged=1), own=False)
    assert other["Intervals (numeric and date)"].startswith("Their 80 % intervals held")


def test_no_interval_line_without_a_judged_interval() -> None:
    assert "Intervals (numeric and date)" not in fields(IntervalCalibration(held=0, judged=0))
    assert "Intervals (numeric and date)" not in fields(None)
