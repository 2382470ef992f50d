"""Commands that answer publicly (/predictions show, /stats, /leaderboard) err privately."""

from __future__ import annotations

import pytest

from bot.rendering.replies import APOLOGY
from tests.cogs.conftest import Harness
from tests.fakediscord import payloads as p
from tests.fakediscord.constants import ResponseType


def assert_only_private(h: Harness, reply_text: str, ephemeral: bool, record_id: str) -> None:
    assert ephemeral, reply_text
    # The public "thinking…" placeholder is gone: nobody else sees anything of this.
    record = h.fake.state.interactions[record_id]
    assert record.original_id is None or record.original_id not in h.fake.state.messages


async def test_show_of_a_missing_number_answers_privately(harness: Harness) -> None:
    h = harness
    reply = await h.run(
        h.fake.slash("predictions", p.subcommand("show", p.option("prediction", 42)))
    )
    assert reply.record.response_type == ResponseType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    assert "There is no prediction #42" in reply.text
    assert_only_private(h, reply.text, reply.ephemeral, reply.record.id)


@pytest.mark.parametrize(
    ("command", "options", "service"),
    [
        ("stats", [p.subcommand("server")], "server"),
        ("stats", [p.subcommand("member")], "member"),
        ("leaderboard", [], "leaderboard"),
    ],
)
async def test_a_failure_after_the_public_deferral_answers_privately(
    harness: Harness,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    options: list[p.JSON],
    service: str,
) -> None:
    h = harness

    async def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the database is unreachable")

    monkeypatch.setattr(h.services.stats, service, broken)
    reply = await h.run(h.fake.slash(command, *options))
    assert APOLOGY in reply.text
    assert_only_private(h, reply.text, reply.ephemeral, reply.record.id)


async def test_an_empty_record_is_answered_privately(harness: Harness) -> None:
    """Issue 23: "no resolved forecasts yet" is nobody else's news; the public "thinking…"
    goes and the answer comes privately (a real record stays public: test_stats_cog)."""
    h = harness
    for options in ([p.subcommand("server")], [p.subcommand("member")]):
        reply = await h.run(h.fake.slash("stats", *options))
        assert "No resolved forecasts" in reply.text and reply.embeds == []
        assert_only_private(h, reply.text, reply.ephemeral, reply.record.id)
    board = await h.run(h.fake.slash("leaderboard"))
    assert board.text.startswith("Nobody has 5 resolved forecasts")
    assert_only_private(h, board.text, board.ephemeral, board.record.id)
