"""Expensive public commands have a per-member cooldown, answered privately, on the bot's clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.clock import FakeClock
from bot.runtime.cooldowns import MemberCooldowns
from cogs.predictions.create_commands import PREDICT_PER, PREDICT_RATE
from cogs.predictions.manage_commands import SHOW_PER, SHOW_RATE
from cogs.records.privacy_commands import FORGET_PER, FORGET_RATE
from cogs.resolution.results import HOW_DID_I_DO_PER, HOW_DID_I_DO_RATE
from cogs.track_record.commands import LEADERBOARD_PER, LEADERBOARD_RATE, STATS_PER, STATS_RATE
from tests.cogs.conftest import Harness
from tests.cogs.helpers import post_and_settle, post_with_votes
from tests.conftest import START
from tests.fakediscord import payloads as p

COMMANDS: dict[str, tuple[Any, int, float]] = {
    "show": (
        lambda: ("predictions", p.subcommand("show", p.option("prediction", 1))),
        SHOW_RATE,
        SHOW_PER,
    ),
    "stats": (lambda: ("stats", p.subcommand("server")), STATS_RATE, STATS_PER),
    "leaderboard": (lambda: ("leaderboard",), LEADERBOARD_RATE, LEADERBOARD_PER),
    "predict": (
        lambda: ("predict", p.option("statement", "It rains"), p.option("resolves", "tomorrow")),
        PREDICT_RATE,
        PREDICT_PER,
    ),
    "forget-me": (lambda: ("privacy", p.subcommand("forget-me")), FORGET_RATE, FORGET_PER),
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
    again_at = int(START.timestamp()) + seconds
    assert f"(<t:{again_at}:R>)" in refused.text  # when, as Discord shows it in their zone
    other = await h.run(h.fake.slash(*command(), user="carol"))  # per member, not per server
    assert "try again in" not in other.text
    h.clock.advance(timedelta(seconds=per))
    again = await h.run(h.fake.slash(*command(), user="bob"))
    assert "try again in" not in again.text


async def test_how_did_i_do_is_told_to_wait_when_clicked_over_and_over(
    harness: Harness,
) -> None:
    h = harness
    info = await post_with_votes(h)
    await h.run(h.fake.slash("resolve", p.option("prediction", 1), p.option("outcome", "yes")))
    await h.settle()
    [post] = [
        m
        for m in h.fake.messages_in(str(info.thread_id))
        if (m.get("content") or "").startswith("**#1 resolved")
    ]
    click = f"augury:howdid:{info.id}"
    for _ in range(HOW_DID_I_DO_RATE):
        allowed = await h.run(h.fake.click(post["id"], click, user="bob"))
        assert "You said **30%**" in allowed.text
    refused = await h.run(h.fake.click(post["id"], click, user="bob"))
    assert refused.ephemeral and "try again in" in refused.text and "<t:" in refused.text
    assert "You said" not in refused.text
    h.clock.advance(timedelta(seconds=HOW_DID_I_DO_PER))
    again = await h.run(h.fake.click(post["id"], click, user="bob"))
    assert "You said **30%**" in again.text


def test_rested_buckets_are_forgotten() -> None:
    clock = FakeClock(START)
    cooldowns = MemberCooldowns(clock)
    for member in range(100):
        assert cooldowns.retry_after("stats", member, 1, 60.0) == 0
    assert cooldowns.retry_after("stats", 0, 1, 60.0) > 0
    clock.advance(timedelta(seconds=61))
    cooldowns.retry_after("stats", 0, 1, 60.0)
    assert len(cooldowns) == 1
