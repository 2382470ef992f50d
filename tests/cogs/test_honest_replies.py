"""After a change is stored, the reply says so even when the public message lags (issue 10).

A failed edit leaves the message marked pending; the retry loop redraws it with backoff, so
the member is told the truth: the change is made, the message follows shortly.
"""

from __future__ import annotations

import pytest

from bot.domain.vocabulary import Status
from tests.cogs.conftest import Harness
from tests.cogs.helpers import guild, message_fields, post_with_votes, prediction_message
from tests.fakediscord import payloads as p


def edit_path(info_channel: int | None, message: int | None) -> str:
    return rf"^/channels/{info_channel}/messages/{message}$"


async def pending(h: Harness) -> list[int]:
    return await h.services.message_state.pending()


async def test_resolve_while_discord_fails_the_edit_says_what_happened(harness: Harness) -> None:
    h = harness
    info = await post_with_votes(h)
    h.fake.fail("PATCH", edit_path(info.channel_id, info.message_id), 400, times=None)
    reply = await h.run(
        h.fake.slash("resolve", p.option("prediction", 1), p.option("outcome", "yes"))
    )
    assert reply.ephemeral
    assert "Resolved #1 ✅ YES." in reply.text
    assert "The public message will be updated shortly." in reply.text
    assert "nothing was changed" not in reply.text
    assert (await h.services.predictions.get(guild(h), 1)).status == Status.RESOLVED
    assert await pending(h) == [info.id]

    # Discord recovers: the retry loop redraws the message without waiting for a restart.
    h.fake.clear_faults()
    h.clock.advance(minutes=1)
    await h.settle()
    assert "YES" in message_fields(prediction_message(h, info))["Status"]
    assert await pending(h) == []


async def test_a_storage_failure_after_the_commit_is_not_reported_as_nothing_changed(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness
    info = await post_with_votes(h)

    async def broken(*_args: object) -> None:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(h.services.message_state, "current", broken)
    reply = await h.run(
        h.fake.slash("predictions", p.subcommand("cancel", p.option("prediction", 1)))
    )
    assert "Cancelled #1" in reply.text and "updated shortly" in reply.text, reply.text
    assert "nothing was changed" not in reply.text
    monkeypatch.undo()
    h.clock.advance(minutes=1)
    await h.settle()
    assert "Cancelled" in message_fields(prediction_message(h, info))["Status"]
    assert await pending(h) == []


async def test_retries_back_off_while_discord_keeps_failing(harness: Harness) -> None:
    h = harness
    info = await post_with_votes(h)
    path = edit_path(info.channel_id, info.message_id)
    h.fake.fail("PATCH", path, 400, times=None)
    await h.run(h.fake.slash("predictions", p.subcommand("cancel", p.option("prediction", 1))))
    attempts = []
    for _ in range(20):  # 20 minutes, a pass every 30 s
        h.clock.advance(seconds=60)
        await h.settle()
        attempts.append(len(h.fake.find_requests("PATCH", path)))
    # 30 s, 1, 2, 4, 8 min…: a handful of tries, not one per pass.
    assert 3 <= attempts[-1] - attempts[0] <= 6, attempts
