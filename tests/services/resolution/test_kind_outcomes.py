"""Resolving a question of another kind: a different answer pings as a different outcome,
and "How did I do?", the best callers and the resolution post say it in the kind's words.

A toy "pick one option" kind (tests/services/core/test_toy_kind.py) is registered here.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from cogs.resolution.announcement import announcement
from cogs.resolution.results import result_text
from tests.conftest import AUTHOR, GUILD, MOD, START, VOTER
from tests.services.core.test_toy_kind import DAY, THIRD, Pick

MANAGER = Actor(MOD, manages_guild=True)


@pytest.fixture(autouse=True)
def pick_kind() -> Iterator[None]:
    from bot.domain.kinds import register, unregister

    register(Pick())
    yield
    unregister("toy_pick")


async def colours(services: Services, clock: FakeClock) -> int:
    """The author picks red, VOTER blue, THIRD blue; resolves in 5 days."""
    clock.set(START)
    info = await services.predictions.create(
        NewPrediction(
            guild_id=GUILD,
            author_id=AUTHOR,
            statement="Which colour wins?",
            resolves="in 5 days",
            probability="red",
            kind="toy_pick",
            kind_fields={"options": "red | *blue*"},
        )
    )
    await services.votes.vote(GUILD, info.id, VOTER, "*blue*", "slash")
    await services.votes.vote(GUILD, info.id, THIRD, "*blue*", "slash")
    clock.set(START + 6 * DAY)
    return info.number


async def test_another_answer_of_the_same_kind_pings_as_a_new_outcome(
    services: Services, clock: FakeClock
) -> None:
    number = await colours(services, clock)
    first = await services.resolution.resolve(GUILD, number, Actor(AUTHOR), "red")
    assert first.ping_followers
    await services.resolution.reopen(GUILD, number, MANAGER, reason="misread the result")
    again = await services.resolution.resolve(GUILD, number, MANAGER, "red")
    assert not again.ping_followers  # the same answer: told already
    await services.resolution.reopen(GUILD, number, MANAGER, reason="it was blue after all")
    changed = await services.resolution.resolve(GUILD, number, MANAGER, "*blue*")
    assert changed.ping_followers  # ANSWERED both times, but another answer
    await services.resolution.reopen(GUILD, number, MANAGER, reason="annul it")
    annulled = await services.resolution.resolve(GUILD, number, MANAGER, "ambiguous")
    assert annulled.ping_followers


async def test_results_and_the_resolution_post_speak_the_kinds_words(
    services: Services, clock: FakeClock
) -> None:
    number = await colours(services, clock)
    resolved = await services.resolution.resolve(GUILD, number, Actor(AUTHOR), "*blue*")
    prediction_id = resolved.prediction.id

    mine = await services.results.my_result(GUILD, prediction_id, VOTER)
    assert (mine.said, mine.community_said, mine.outcome_said) == ("*blue*", "*blue*", "*blue*")
    assert (mine.brier, mine.yes_no) == (0.0, False)
    text = result_text(mine)
    assert "#1 resolved: \\*blue\\*" in text  # the author's option, shown as text
    assert "You said **\\*blue\\***; the community said **\\*blue\\***." in text
    assert "Your penalty here: **0.000**" in text
    assert "%" not in text and "Brier score here" not in text

    authors = result_text(await services.results.my_result(GUILD, prediction_id, AUTHOR))
    assert "You said **red**" in authors and "worse than the community's" in authors

    best = await services.results.best_callers(prediction_id)
    assert [(c.user_id, c.said) for c in best] == [
        (VOTER, "*blue*"),
        (THIRD, "*blue*"),
        (AUTHOR, "red"),
    ]
    post = announcement(resolved, best, {VOTER: "Vee", THIRD: "Tee", AUTHOR: "Ay"})
    assert post.startswith("**#1 resolved 🎯 \\*blue\\*** by ")
    assert "The community said **\\*blue\\*** (3 forecasters)." in post
    assert "🥇 **Vee** \\*blue\\* · 🥈 **Tee** \\*blue\\* · 🥉 **Ay** red" in post


async def test_a_yes_no_result_still_reads_as_before(services: Services, clock: FakeClock) -> None:
    clock.set(START)
    info = await services.predictions.create(
        NewPrediction(
            guild_id=GUILD,
            author_id=AUTHOR,
            statement="Rain",
            resolves="in 2 days",
            probability="3:1",
        )
    )
    clock.set(START + 3 * DAY)
    resolved = await services.resolution.resolve(GUILD, info.number, Actor(AUTHOR), "yes")
    text = result_text(await services.results.my_result(GUILD, info.id, AUTHOR))
    assert "resolved ✅ YES" in text and "You said **75%**" in text
    assert "Your Brier score here: **0.062**" in text  # 0.0625 to three decimals
    assert "The community said **75%** (1 forecaster)." in announcement(resolved)
