"""Who may dispute a resolution, and when (bot.domain.disputes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.domain import disputes
from bot.domain.actor import Actor
from bot.domain.errors import InvalidInput, InvalidState, NotAllowed

RESOLVED_AT = datetime(2026, 12, 7, 12, tzinfo=UTC)


def check(**changes: Any) -> None:
    values: dict[str, Any] = {
        "number": 4,
        "status": "resolved",
        "resolved_at": RESOLVED_AT,
        "window_hours": 24,
        "now": RESOLVED_AT + timedelta(hours=1),
        "is_bot": False,
        "has_open_dispute": False,
    }
    disputes.check_may_dispute(**(values | changes))


def test_a_member_may_dispute_within_the_window() -> None:
    check()
    check(now=RESOLVED_AT + timedelta(hours=24) - timedelta(seconds=1))


@pytest.mark.parametrize(
    ("changes", "error", "words"),
    [
        ({"is_bot": True}, NotAllowed, "Bots"),
        ({"status": "open", "resolved_at": None}, InvalidState, "not resolved"),
        ({"status": "cancelled"}, InvalidState, "not resolved"),
        ({"window_hours": 0}, NotAllowed, "turned off"),
        ({"has_open_dispute": True}, InvalidState, "already disputed"),
        ({"now": RESOLVED_AT + timedelta(hours=24)}, InvalidState, "ended"),
    ],
)
def test_refusals_say_why(changes: dict[str, Any], error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words):
        check(**changes)


def test_after_the_window_the_refusal_names_when_it_closed() -> None:
    with pytest.raises(disputes.DisputeWindowClosed) as refused:
        check(window_hours=2, now=RESOLVED_AT + timedelta(days=3))
    assert refused.value.when == RESOLVED_AT + timedelta(hours=2)
    assert "2026-12-07 14:00 UTC" in str(refused.value)


@pytest.mark.parametrize("reason", [None, "", "no", "wrong!!!"])
def test_a_dispute_says_why(reason: str | None) -> None:
    with pytest.raises(InvalidInput, match="Say why"):
        disputes.check_reason(reason)


@pytest.mark.parametrize("hours", [-1, disputes.MAX_WINDOW_HOURS + 1])
def test_the_window_is_bounded(hours: int) -> None:
    with pytest.raises(InvalidInput):
        disputes.check_window_hours(hours)


def test_only_moderators_settle() -> None:
    disputes.check_may_settle(Actor(1, frozenset({9})), 9)
    disputes.check_may_settle(Actor(1, manages_guild=True), None)
    with pytest.raises(NotAllowed):
        disputes.check_may_settle(Actor(1, frozenset({8})), 9)
