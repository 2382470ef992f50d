"""What members read: Discord timestamps, and errors that name a moment in their own zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.errors import DateNotInFuture, PredictionGone, VotingClosed
from bot.forecasting.dates import parse_when
from bot.rendering.replies import error_text
from bot.rendering.timestamps import discord_timestamp

BERLIN = ZoneInfo("Europe/Berlin")
MOMENT = datetime(2009, 2, 13, 23, 31, 30, tzinfo=UTC)


@pytest.mark.parametrize("style", ["F", "R", "d"])
def test_discord_timestamp(style: str) -> None:
    assert discord_timestamp(MOMENT, style) == f"<t:1234567890:{style}>"
    assert discord_timestamp(MOMENT.astimezone(BERLIN), style) == f"<t:1234567890:{style}>"


def test_discord_timestamp_defaults_to_full_and_rejects_naive() -> None:
    assert discord_timestamp(MOMENT) == "<t:1234567890:F>"
    with pytest.raises(ValueError, match="aware"):
        discord_timestamp(datetime(2009, 2, 13, 23, 31, 30))


def test_a_past_date_is_shown_as_a_discord_timestamp() -> None:
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    with pytest.raises(DateNotInFuture) as caught:
        parse_when("yesterday", now=now, tz=BERLIN)
    yesterday_end = datetime(2026, 11, 26, 23, 59, tzinfo=BERLIN)
    assert error_text(caught.value).startswith(
        f"`yesterday` is {discord_timestamp(yesterday_end)}, which is not in the future."
    )


def test_voting_closed_names_the_close_relative_to_the_reader() -> None:
    error = VotingClosed(12, MOMENT)
    assert error_text(error) == (
        "Voting on #12 closed <t:1234567890:R>; your forecast was not recorded."
    )
    assert "<t:" not in str(error)  # the plain text (logs) spells the moment in UTC
    assert "2009-02-13 23:31 UTC" in str(error)


def test_errors_without_a_moment_are_shown_verbatim() -> None:
    assert error_text(PredictionGone()) == "That prediction no longer exists in this server."
