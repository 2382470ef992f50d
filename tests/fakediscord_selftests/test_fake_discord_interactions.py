"""Interaction flows through the fake: modals, deferrals, subcommands, context menus, misuse."""

from __future__ import annotations

import discord
import pytest

from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p
from tests.fakediscord.constants import (
    CommandType,
    ComponentType,
    MessageFlag,
    OptionType,
    ResponseType,
)
from tests.fakediscord_selftests.minibot import MiniBot

pytestmark = pytest.mark.fakediscord_selftest

CALLBACK = r"^/interactions/\d+/[^/]+/callback$"


async def test_modal_submit_reaches_on_submit(fake_discord: FakeDiscord, minibot: MiniBot) -> None:
    await fake_discord.dispatch("INTERACTION_CREATE", fake_discord.slash("ask"))
    opened = await fake_discord.wait_for_request(method="POST", path=CALLBACK)
    assert opened.json["type"] == ResponseType.MODAL
    assert opened.json["data"]["title"] == "Ask the oracle"
    kinds = [c["type"] for c in opened.json["data"]["components"]]
    assert kinds == [ComponentType.LABEL, ComponentType.ACTION_ROW]  # the row: legacy layout

    mark = fake_discord.mark()
    submit = fake_discord.submit_modal(
        {"ask:question": "Will it rain?", "ask:detail": "in Paris"}, user="carol"
    )
    await fake_discord.dispatch("INTERACTION_CREATE", submit)

    answer = await fake_discord.wait_for_request(method="POST", path=CALLBACK, after=mark)
    assert answer.json["data"]["content"] == "asked Will it rain? / in Paris"
    assert answer.response["interaction"]["response_message_ephemeral"] is True
    assert fake_discord.violations == []


async def test_defer_then_followup_fills_the_thinking_message(
    fake_discord: FakeDiscord, minibot: MiniBot
) -> None:
    await fake_discord.dispatch("INTERACTION_CREATE", fake_discord.slash("slow"))

    deferred = await fake_discord.wait_for_request(method="POST", path=CALLBACK)
    assert deferred.json["type"] == ResponseType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    assert deferred.response["interaction"]["response_message_loading"] is True
    await fake_discord.wait_for_request(method="POST", path=r"^/webhooks/")
    (message,) = fake_discord.messages_in(fake_discord.text_channel_id)
    assert message["id"] == deferred.response["interaction"]["response_message_id"]
    assert message["content"] == "done thinking"
    assert message["flags"] & MessageFlag.LOADING == 0


async def test_subcommand_and_its_autocomplete(fake_discord: FakeDiscord, minibot: MiniBot) -> None:
    typing = p.subcommand("vote", p.option("number", "4", type=p.INTEGER, focused=True))
    await fake_discord.dispatch(
        "INTERACTION_CREATE", fake_discord.autocomplete("prediction", typing)
    )
    suggested = await fake_discord.wait_for_request(method="POST", path=CALLBACK)
    assert suggested.json["type"] == ResponseType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    assert [c["value"] for c in suggested.json["data"]["choices"]] == [1, 2, 3]

    vote = p.subcommand("vote", p.option("number", 2), p.option("probability", 70))
    await fake_discord.dispatch(
        "INTERACTION_CREATE", fake_discord.slash("prediction", vote, user="bob")
    )

    await fake_discord.wait_for(lambda: minibot.votes)
    assert minibot.votes == [("bob", 2, 70)]


async def test_message_context_menu_gets_the_resolved_message(
    fake_discord: FakeDiscord, minibot: MiniBot
) -> None:
    target = fake_discord.user_message("Rain in Paris by Friday", user="bob")

    await fake_discord.dispatch(
        "INTERACTION_CREATE", fake_discord.message_command("Track as prediction", target["id"])
    )

    await fake_discord.wait_for(lambda: minibot.tracked)
    assert minibot.tracked == ["Rain in Paris by Friday"]


async def test_answering_twice_is_refused_and_recorded(
    fake_discord: FakeDiscord, minibot: MiniBot
) -> None:
    payload = fake_discord.slash("ping", p.option("text", "once"))
    await fake_discord.dispatch("INTERACTION_CREATE", payload)
    await fake_discord.wait_for_request(method="POST", path=r"^/webhooks/")

    # A second Interaction object for the same payload does not know it was answered.
    again = discord.Interaction(data=payload, state=minibot._connection)  # type: ignore[arg-type]
    with pytest.raises(discord.HTTPException) as raised:
        await again.response.send_message("twice")

    assert raised.value.code == 40060
    assert [v.code for v in fake_discord.violations] == ["40060"]


async def test_invalid_commands_are_refused(fake_discord: FakeDiscord, minibot: MiniBot) -> None:
    bad = [
        {"name": "Bad Name", "description": "x", "type": CommandType.CHAT_INPUT},
        {"name": "ok", "description": "", "type": CommandType.CHAT_INPUT},
        {"name": "Menu", "description": "no", "type": CommandType.MESSAGE},
        {
            "name": "opts",
            "description": "d",
            "type": CommandType.CHAT_INPUT,
            "options": [
                {"name": "late", "description": "d", "type": OptionType.STRING, "required": False},
                {"name": "early", "description": "d", "type": OptionType.STRING, "required": True},
            ],
        },
    ]
    with pytest.raises(discord.HTTPException) as raised:
        await minibot.http.bulk_upsert_guild_commands(
            fake_discord.application_id, fake_discord.guild_id, payload=bad
        )

    assert raised.value.status == 400
    assert sorted(v.field for v in fake_discord.violations) == [
        "0.name",
        "1.description",
        "2.description",
        "3.options.1.required",
    ]


async def test_unsynced_commands_and_missing_buttons_cannot_be_used(
    fake_discord: FakeDiscord, minibot: MiniBot
) -> None:
    with pytest.raises(LookupError, match="never synced"):
        fake_discord.slash("nope")
    message = fake_discord.user_message("no buttons here")
    with pytest.raises(LookupError, match="no component"):
        fake_discord.click(message["id"], "vote:1")


@pytest.mark.fake_discord(interaction_deadline=0)
async def test_a_late_answer_is_an_unknown_interaction(
    fake_discord: FakeDiscord, minibot: MiniBot
) -> None:
    record = await fake_discord.interact(fake_discord.slash("ping", p.option("text", "late")))

    late = await fake_discord.wait_for_request(method="POST", path=CALLBACK)
    assert late.status == 404 and late.response["code"] == 10062
    assert not record.responded
    assert [v.code for v in fake_discord.violations] == ["10062"]
