"""Bad input gets a clear private answer, never a database error's apology (issue 10)."""

from __future__ import annotations

import pytest

from bot.rendering.replies import APOLOGY
from tests.cogs.conftest import Harness
from tests.cogs.helpers import guild, post_and_settle, predict
from tests.fakediscord import payloads as p

APOLOGY_START = APOLOGY.split(".")[0]


@pytest.mark.parametrize(
    "statement", ["\u200b\u200b\u200b", "\x07\x1b\x07", "\u2060 \ufeff", "\u3164 \u2800"]
)
async def test_an_invisible_statement_is_refused_and_nothing_is_posted(
    harness: Harness, statement: str
) -> None:
    h = harness
    reply = await predict(h, p.option("statement", statement), p.option("resolves", "2027-06-30"))
    assert reply.ephemeral and "statement is empty" in reply.text, reply.text
    assert (await h.services.predictions.list_page(guild(h))).total == 0
    await h.settle()
    assert [m for m in h.fake.messages_in(h.fake.text_channel_id) if m.get("embeds")] == []


async def test_control_characters_are_not_stored_or_posted(harness: Harness) -> None:
    h = harness
    info = await post_and_settle(h, p.option("details", "bell\x07 and\x1b escape"))
    assert info.details == "bell and escape"


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("predict", [p.option("statement", "Nul\x00here"), p.option("resolves", "2027-06-30")]),
        ("predict", [p.option("statement", "Fine"), p.option("resolves", "2027-06-30\x00")]),
        ("timezone", [p.option("zone", "Europe/Berlin\x00")]),
    ],
)
async def test_nul_in_any_text_is_refused_clearly(
    harness: Harness, command: str, options: list[p.JSON]
) -> None:
    h = harness
    reply = await h.run(h.fake.slash(command, *options))
    assert reply.ephemeral and "NUL character" in reply.text, reply.text
    assert (await h.services.predictions.list_page(guild(h))).total == 0


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("vote", [p.option("prediction", 3_000_000_000), p.option("probability", "50")]),
        ("vote", [p.option("prediction", 0), p.option("probability", "50")]),
        ("predictions", [p.subcommand("show", p.option("prediction", 3_000_000_000))]),
        ("predictions", [p.subcommand("cancel", p.option("prediction", -5))]),
        ("resolve", [p.option("prediction", 2**40), p.option("outcome", "yes")]),
    ],
)
async def test_numbers_outside_the_stored_range_get_a_clear_private_answer(
    harness: Harness, command: str, options: list[p.JSON]
) -> None:
    h = harness
    reply = await h.run(h.fake.slash(command, *options))
    assert reply.ephemeral, reply.text
    assert "outside that range" in reply.text and APOLOGY_START not in reply.text, reply.text


@pytest.mark.parametrize(
    ("typed", "found"),
    [("²", 0), ("3000000000", 0), ("#3000000000", 0), ("#²", 0), ("9" * 20, 0), ("rai\x00n", 1)],
)
async def test_autocomplete_copes_with_anything_typed(
    harness: Harness, typed: str, found: int
) -> None:
    h = harness
    await post_and_settle(h)
    reply = await h.run(
        h.fake.autocomplete(
            "vote", p.option("prediction", typed, focused=True), p.option("probability", "")
        )
    )
    assert reply.choices is not None and len(reply.choices) == found


async def test_the_declared_ranges_reach_discord(harness: Harness) -> None:
    h = harness
    vote = h.fake.state.find_command("vote")
    prediction = next(o for o in vote["options"] if o["name"] == "prediction")
    assert (prediction["min_value"], prediction["max_value"]) == (1, 2**31 - 1)


async def test_a_command_the_bot_no_longer_has_is_answered_clearly(harness: Harness) -> None:
    h = harness
    payload = p.slash_command_interaction(
        h.fake.context("alice"),
        command_id=h.fake.state.find_command("vote")["id"],
        name="old-command",
        command_guild_id=h.fake.guild_id,
    )
    h.fake.state.register_interaction(payload)
    reply = await h.run(payload)
    assert reply.ephemeral and "This command has changed" in reply.text, reply.text
