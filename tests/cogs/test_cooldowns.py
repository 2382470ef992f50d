"""Expensive public commands have a per-member cooldown, answered privately, on the bot's clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.clock import FakeClock
from bot.runtime.cooldowns import MemberCooldowns
from cogs.predictions.manage_commands import SHOW_PER, SHOW_RATE
from cogs.track_record.commands import LEADERBOARD_PER, LEADERBOARD_RATE, STATS_PER, STATS_RATE
from tests.cogs.conftest import Harness
from tests.cogs.helpers import post_and_settle
from tests.conftest import START
from tests.fakediscord import payloads as p

COMMANDS: dict[str, tuple[Any, int, float]] = {
    "show": (
        lambda: ("predictions", p.subcommand("show", p.option("number", 1))),
        SHOW_RATE,
        SHOW_PER,
    ),
    "stats": (lambda: ("stats", p.subcommand("server")), STATS_RATE, STATS_PER),
    "leaderboard": (lambda: ("leaderboard",), LEADERBOARD_RATE, LEADERBOARD_PER),
}


@pytest.mark.parametrize("name", list(COMMANDS))
async def test_repeating_an_expensive_command_is_told_to_wait(harness: Harness, name: str) -> None:
    h = harness
    await post_and_settle(h)
    command, rate, per = COMMANDS[name]
    for _ in range(rate):
        allowed = await h.run(h.fake.slash(*command(), user="bob"))
        assert "try again in" not in allowed.text
    refused = await h.run(h.fake.slash(*command(), user="bob"))
    assert refused.ephemeral and "try again in" in refused.text
    seconds = int(refused.text.split("try again in ")[1].split(" s")[0])
    assert 0 < seconds <= per
    other = await h.run(h.fake.slash(*command(), user="carol"))  # per member, not per server
    assert "try again in" not in other.text
    h.clock.advance(timedelta(seconds=per))
    again = await h.run(h.fake.slash(*command(), user="bob"))
    assert "try again in" not in again.text


def test_rested_buckets_are_forgotten() -> None:
    clock = FakeClock(START)
    cooldowns = MemberCooldowns(clock)
    for member in range(100):
        assert cooldowns.retry_after("stats", member, 1, 60.0) == 0
    assert cooldowns.retry_after("stats", 0, 1, 60.0) > 0
    clock.advance(timedelta(seconds=61))
    cooldowns.retry_after("stats", 0, 1, 60.0)
    assert len(cooldowns) == 1
