"""A second per-mille kind (a toy "binary" kind shaped like yes/no, registered here): the
rules that hold for yes/no because its forecast is a per-mille, not because of its name, hold
for it too — the community's pool kept at the close in "How did I do?", Brier wording, and
calibration filtered to it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import pytest

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.domain.kinds import register, unregister
from bot.domain.kinds.yes_no import YesNo
from bot.services.predictions.service import NewPrediction
from bot.services.registry import Services
from tests.conftest import AUTHOR, GUILD, START, VOTER
from tests.services.core.test_toy_kind import DAY


class Binary(YesNo):
    """Yes/no under another name: what a second per-mille kind would be."""

    name: ClassVar[str] = "toy_binary"
    title: ClassVar[str] = "binary"


@pytest.fixture(autouse=True)
def binary_kind() -> Iterator[None]:
    register(Binary())
    yield
    unregister(Binary.name)


async def test_a_per_mille_kind_other_than_yes_no_keeps_its_pool_and_its_calibration(
    services: Services, clock: FakeClock
) -> None:
    clock.set(START)
    info = await services.predictions.create(
        NewPrediction(GUILD, AUTHOR, "Heads?", "in 5 days", probability="70", kind=Binary.name)
    )
    await services.votes.vote(GUILD, info.id, VOTER, 300, "slash")
    clock.set(START + 6 * DAY)
    await services.resolution.resolve(GUILD, info.number, Actor(AUTHOR), "yes")

    mine = await services.results.my_result(GUILD, info.id, VOTER)
    assert mine.said == "30%"
    assert mine.community_said == "50%"  # the median of 70 and 30, kept on the row
    assert mine.yes_no  # a per-mille kind's penalty is the Brier score
    assert mine.brier == pytest.approx(0.49)

    buckets = await services.stats.calibration(GUILD, None, kind=Binary.name)
    assert sorted((b.centre_permille, b.count) for b in buckets if b.count) == [
        (300, 1),
        (700, 1),
    ]
    assert not any(b.count for b in await services.stats.calibration(
        GUILD, None, kind="multiple_choice"
    ))  # fmt: skip
