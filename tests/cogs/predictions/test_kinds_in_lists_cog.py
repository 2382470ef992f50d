"""/predictions list, show and history on a question of another kind: its answer in its
words, never "ANSWERED" (a toy "pick one option" kind, registered here, stands for the real
kinds)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot.domain.actor import Actor
from bot.domain.kinds import register, unregister
from bot.services.predictions.service import NewPrediction
from tests.cogs.conftest import Harness
from tests.cogs.helpers import guild, uid
from tests.fakediscord import payloads as p
from tests.services.core.test_toy_kind import Pick


@pytest.fixture(autouse=True)
def pick_kind() -> Iterator[None]:
    register(Pick())
    yield
    unregister("toy_pick")


def sub(name: str, **options: Any) -> dict[str, Any]:
    return p.subcommand(name, *(p.option(k, v) for k, v in options.items()))


async def test_list_show_and_history_say_the_answer(harness: Harness) -> None:
    h = harness
    alice = uid(h, "alice")
    info = await h.services.predictions.create(
        NewPrediction(
            guild_id=guild(h),
            author_id=alice,
            statement="Which colour wins?",
            resolves="2027-06-30",
            probability="red",
            kind="toy_pick",
            kind_fields={"options": "red | **blue**"},
        )
    )
    await h.services.votes.vote(guild(h), info.id, uid(h, "bob"), "**blue**", "slash")
    await h.services.resolution.resolve(guild(h), info.number, Actor(alice), "red")
    await h.services.resolution.reopen(
        guild(h), info.number, Actor(alice, manages_guild=True), reason="oops"
    )
    await h.services.resolution.resolve(guild(h), info.number, Actor(alice), "**blue**")

    listed = await h.run(h.fake.slash("predictions", sub("list")))
    line = listed.embeds[0]["description"]
    assert "#1** 🎯 \\*\\*blue\\*\\* Which colour wins?" in line
    assert "ANSWERED" not in line

    shown = await h.run(h.fake.slash("predictions", sub("show", number=1)))
    text = "\n".join(field["value"] for field in shown.embeds[0]["fields"])
    assert "Resolved 🎯 \\*\\*blue\\*\\*" in text and "ANSWERED" not in text

    history = await h.run(h.fake.slash("predictions", sub("history", number=1)))
    log = history.embeds[0]["description"]
    assert "resolved it 🎯 “red”" in log
    assert "reopened it (it was resolved 🎯 “red”)" in log
    assert "resolved it 🎯 “\\*\\*blue\\*\\*”" in log
    assert "ANSWERED" not in log
