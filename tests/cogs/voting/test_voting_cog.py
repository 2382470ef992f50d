"""Every way to vote, through real interactions and raw gateway reaction events."""

from __future__ import annotations

from datetime import timedelta

import discord
import pytest

from bot.services.core.dto import PredictionInfo
from tests.cogs.conftest import Harness
from tests.cogs.helpers import guild, post_and_settle, prediction_message, uid
from tests.fakediscord import payloads as p
from tests.fakediscord.constants import OverwriteType
from tests.fakediscord.perms import MANAGE_MESSAGES

ONE, THREE, SEVEN, TEN = "1️⃣", "3️⃣", "7️⃣", "🔟"


def embed_of(h: Harness, info: PredictionInfo) -> str:
    return str(prediction_message(h, info)["embeds"][0])


async def current_vote(h: Harness, info: PredictionInfo, who: str) -> int | None:
    mine = await h.services.votes.my_vote(guild(h), info.id, uid(h, who))
    return mine.current


async def test_slash_vote_accepts_the_usual_spellings(harness: Harness) -> None:
    h = harness
    info = await post_and_settle(h)
    for text, expected in (("70", 700), ("72.5%", 725), ("0.3", 300)):
        reply = await h.run(
            h.fake.slash(
                "vote", p.option("prediction", 1), p.option("probability", text), user="bob"
            )
        )
        assert reply.ephemeral and "Your forecast on #1 is now" in reply.text
        assert await current_vote(h, info, "bob") == expected
    await h.settle()
    assert "1 forecaster" in embed_of(h, info) and "30%" in embed_of(h, info)


@pytest.mark.parametrize("text", ["150", "-5", "abc", "50.5.5", "nan", "∞", " ", "0.0001"])
async def test_bad_probabilities_are_explained_and_not_recorded(
    harness: Harness, text: str
) -> None:
    h = harness
    info = await post_and_settle(h)
    reply = await h.run(
        h.fake.slash("vote", p.option("prediction", 1), p.option("probability", text), user="bob")
    )
    assert reply.ephemeral and "between 1 and 99" in reply.text
    assert await current_vote(h, info, "bob") is None


async def test_unknown_closed_and_cancelled_predictions_refuse_votes(harness: Harness) -> None:
    h = harness
    info = await post_and_settle(h, p.option("closes", "2027-01-01"))
    unknown = await h.run(
        h.fake.slash("vote", p.option("prediction", 9), p.option("probability", "50"), user="bob")
    )
    assert "no prediction #9" in unknown.text
    h.clock.advance(timedelta(days=400))
    closed = await h.run(
        h.fake.slash("vote", p.option("prediction", 1), p.option("probability", "50"), user="bob")
    )
    assert "closed" in closed.text and await current_vote(h, info, "bob") is None
    h.clock.advance(timedelta(days=-400))
    await h.run(h.fake.slash("predictions", p.subcommand("cancel", p.option("prediction", 1))))
    cancelled = await h.run(
        h.fake.slash("vote", p.option("prediction", 1), p.option("probability", "50"), user="bob")
    )
    assert "cancelled" in cancelled.text


async def test_vote_button_opens_prefilled_modal_and_submit_records(harness: Harness) -> None:
    h = harness
    info = await post_and_settle(h, p.option("probability", "60"))
    opened = await h.run(h.fake.click(str(info.message_id), f"augury:vote:{info.id}"))
    assert opened.modal is not None and opened.modal["title"] == "Vote on #1"
    submitted = await h.run(h.fake.submit_modal({"probability": "85"}, user="bob"))
    assert submitted.ephemeral and "85%" in submitted.text
    assert await current_vote(h, info, "bob") == 850
    again = await h.run(h.fake.click(str(info.message_id), f"augury:vote:{info.id}"))
    assert again.modal is not None
    assert '"value": "60"' in str(again.modal).replace("'", '"')  # alice's own vote prefilled
    bad = await h.run(h.fake.submit_modal({"probability": "abc"}, user="bob"))
    assert bad.ephemeral and "between 1 and 99" in bad.text
    assert await current_vote(h, info, "bob") == 850


@pytest.mark.parametrize(("text", "keycap", "stored"), [("0", "0️⃣", 10), ("100", TEN, 990)])
async def test_vote_0_and_100_count_like_the_end_keycaps(
    harness: Harness, text: str, keycap: str, stored: int
) -> None:
    h = harness
    info = await post_and_settle(h)
    reply = await h.run(
        h.fake.slash("vote", p.option("prediction", 1), p.option("probability", text), user="bob")
    )
    assert reply.ephemeral and f"is now **{stored // 10}%**" in reply.text
    assert "count as 1 % and 99 %" in reply.text  # says how the ends are counted
    await h.fake.dispatch(
        "MESSAGE_REACTION_ADD", h.fake.reaction_add(str(info.message_id), keycap, user="carol")
    )
    await h.settle()
    assert await current_vote(h, info, "bob") == await current_vote(h, info, "carol") == stored
    footer = prediction_message(h, info)["embeds"][0]["footer"]["text"]
    assert "React to vote: 1️⃣ 10 % 3️⃣ 30 %" in footer  # the keycaps the bot added
    assert "0 and 100 % count as 1 and 99 %" in footer


async def test_my_vote_and_follow_buttons(harness: Harness) -> None:
    h = harness
    info = await post_and_settle(h)
    await h.run(
        h.fake.slash("vote", p.option("prediction", 1), p.option("probability", "40"), user="bob")
    )
    mine = await h.run(h.fake.click(str(info.message_id), f"augury:myvote:{info.id}", user="bob"))
    # Voting does not make bob a follower (the server did not turn that on).
    assert mine.ephemeral and "40%" in mine.text and "You don't follow it." in mine.text
    bell = await h.run(h.fake.click(str(info.message_id), f"augury:follow:{info.id}", user="bob"))
    # 🔔 answers privately with bob's own state and the one button that changes it.
    assert bell.ephemeral and "You don't follow #1" in bell.text
    switch = bell.messages[0]["components"][0]["components"][0]
    assert switch["label"] == "Follow" and switch["custom_id"] == f"augury:follow-set:{info.id}:on"
    assert not (await h.services.votes.my_vote(guild(h), info.id, uid(h, "bob"))).following
    flipped = await h.run(h.fake.click(bell.messages[0]["id"], switch["custom_id"], user="bob"))
    assert "You follow #1" in flipped.text
    assert (await h.services.votes.my_vote(guild(h), info.id, uid(h, "bob"))).following
    toggled = await h.run(
        h.fake.click(str(info.message_id), f"augury:follow:{info.id}", user="bob")
    )
    assert "You follow #1" in toggled.text  # pressing 🔔 again changes nothing
    slash = await h.run(
        h.fake.slash("predictions", p.subcommand("follow", p.option("prediction", 1)), user="bob")
    )
    assert "You follow #1" in slash.text


async def test_fresh_bot_instance_handles_a_button_on_an_old_message(harness: Harness) -> None:
    """Persistent buttons: the handler is found by custom_id, not by an in-memory view."""
    h = harness
    info = await post_and_settle(h)
    # Forget every in-memory view, as a restarted process would have none.
    h.bot._connection._view_store = type(h.bot._connection._view_store)(h.bot._connection)
    from cogs.voting.buttons import PREDICTION_BUTTONS

    h.bot.add_dynamic_items(*PREDICTION_BUTTONS)
    reply = await h.run(h.fake.click(str(info.message_id), f"augury:myvote:{info.id}"))
    assert reply.ephemeral and "Your forecast on #1" in reply.text


async def test_keycap_reactions_vote_replace_and_retract(harness: Harness) -> None:
    h = harness
    info = await post_and_settle(h)
    message = str(info.message_id)
    await h.fake.dispatch("MESSAGE_REACTION_ADD", h.fake.reaction_add(message, SEVEN, user="bob"))
    await h.settle()
    assert await current_vote(h, info, "bob") == 700
    await h.fake.dispatch("MESSAGE_REACTION_ADD", h.fake.reaction_add(message, THREE, user="bob"))
    await h.settle()
    assert await current_vote(h, info, "bob") == 300
    # Switching keycaps: the bot (with Manage Messages) removes the previous one for you.
    await h.fake.wait_for_request(
        method="DELETE", path=rf"messages/{message}/reactions/7️⃣/{h.fake.user_id('bob')}"
    )
    await h.fake.dispatch(
        "MESSAGE_REACTION_REMOVE", h.fake.reaction_remove(message, SEVEN, user="bob")
    )
    await h.settle()
    assert await current_vote(h, info, "bob") == 300  # not the current vote: no retraction
    await h.fake.dispatch(
        "MESSAGE_REACTION_REMOVE", h.fake.reaction_remove(message, THREE, user="bob")
    )
    await h.settle()
    assert await current_vote(h, info, "bob") is None
    await h.fake.dispatch("MESSAGE_REACTION_ADD", h.fake.reaction_add(message, TEN, user="carol"))
    await h.fake.dispatch("MESSAGE_REACTION_ADD", h.fake.reaction_add(message, "👍", user="bob"))
    await h.settle()
    assert await current_vote(h, info, "carol") == 990  # 100 % clamps to 99 %
    assert await current_vote(h, info, "bob") is None
    assert "1 forecaster" in embed_of(h, info)


async def test_bot_reactions_and_closed_predictions_do_not_vote(harness: Harness) -> None:
    h = harness
    info = await post_and_settle(h, p.option("closes", "2027-01-01"))
    message = str(info.message_id)
    await h.fake.dispatch("MESSAGE_REACTION_ADD", h.fake.reaction_add(message, ONE, user="bot"))
    h.clock.advance(timedelta(days=400))
    mark = h.fake.mark()
    await h.fake.dispatch("MESSAGE_REACTION_ADD", h.fake.reaction_add(message, ONE, user="bob"))
    # On a closed prediction the bot takes the reaction away (it has Manage Messages here).
    await h.fake.wait_for_request(
        method="DELETE",
        path=rf"messages/{message}/reactions/1️⃣/{h.fake.user_id('bob')}",
        after=mark,
    )
    await h.settle()
    community = await h.services.votes.community(info.id)
    assert community.count == 0


async def test_hidden_until_vote_counts_reactions_and_removes_them(harness: Harness) -> None:
    h = harness
    info = await post_and_settle(h, p.option("visibility", "hidden_until_vote"))
    message = str(info.message_id)
    mark = h.fake.mark()
    await h.fake.dispatch("MESSAGE_REACTION_ADD", h.fake.reaction_add(message, SEVEN, user="bob"))
    removed = await h.fake.wait_for_request(
        method="DELETE",
        path=rf"messages/{message}/reactions/7️⃣/{h.fake.user_id('bob')}",
        after=mark,
    )
    assert removed.status == 204
    assert await current_vote(h, info, "bob") == 700  # the removal is not a retraction
    reply = await h.run(
        h.fake.slash("vote", p.option("prediction", 1), p.option("probability", "80"), user="carol")
    )
    assert "Community:" in reply.text and "75%" in reply.text
    await h.settle()
    embed = embed_of(h, info)
    assert "2 forecasters (hidden)" in embed and "75%" not in embed


async def test_hidden_votes_without_manage_messages_ignore_reactions(harness: Harness) -> None:
    h = harness
    channel = h.fake.channel(h.fake.text_channel_id)
    channel["permission_overwrites"] = [
        {
            "id": h.fake.bot_id,
            "type": OverwriteType.MEMBER,
            "allow": "0",
            "deny": str(MANAGE_MESSAGES),
        }
    ]
    await h.fake.dispatch("CHANNEL_UPDATE", channel)
    await h.settle()  # the bot has read the update
    text_channel = h.bot.get_channel(int(h.fake.text_channel_id))
    server = h.bot.get_guild(guild(h))
    assert isinstance(text_channel, discord.TextChannel) and server is not None
    assert not text_channel.permissions_for(server.me).manage_messages
    info = await post_and_settle(h, p.option("visibility", "hidden_until_close"))
    assert not h.fake.find_requests("PUT", rf"messages/{info.message_id}/reactions")
    await h.fake.dispatch(
        "MESSAGE_REACTION_ADD", h.fake.reaction_add(str(info.message_id), SEVEN, user="bob")
    )
    await h.settle()
    assert await current_vote(h, info, "bob") is None
    assert "vote with the buttons" in embed_of(h, info)
