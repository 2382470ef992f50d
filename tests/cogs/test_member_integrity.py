"""Members gaming the record through the cogs: the ends of the scale, where they may write,
and names or tags that try to format the bot's own text."""

from __future__ import annotations

from tests.cogs.conftest import Harness
from tests.cogs.helpers import guild, post_and_settle, predict, prediction_message, uid
from tests.fakediscord import payloads as p
from tests.fakediscord.perms import SEND_MESSAGES, SEND_MESSAGES_IN_THREADS

ENDS = "0 % and 100 % count as 1 % and 99 %"


async def current_vote(h: Harness, prediction_id: int, who: str) -> int | None:
    return (await h.services.votes.my_vote(guild(h), prediction_id, uid(h, who))).current


# --- one rule for 0 and 100 --------------------------------------------------------------------


async def test_100_means_99_on_predict_vote_and_the_vote_form_alike(harness: Harness) -> None:
    h = harness
    created = await predict(
        h,
        p.option("statement", "The bridge opens"),
        p.option("resolves", "2027-06-30"),
        p.option("probability", "100"),
    )
    assert "Posted prediction **#1**" in created.text and ENDS in created.text
    info = await h.services.predictions.get(guild(h), 1)
    assert await current_vote(h, info.id, "alice") == 990
    voted = await h.run(
        h.fake.slash("vote", p.option("prediction", 1), p.option("probability", "100"), user="bob")
    )
    assert "is now **99%**" in voted.text and ENDS in voted.text
    await h.settle()
    await h.run(h.fake.click(str(info.message_id), f"augury:vote:{info.id}", user="carol"))
    formed = await h.run(h.fake.submit_modal({"probability": "0"}, user="carol"))
    assert "is now **1%**" in formed.text and ENDS in formed.text
    assert await current_vote(h, info.id, "bob") == 990
    assert await current_vote(h, info.id, "carol") == 10


# --- a member's own permissions ----------------------------------------------------------------


async def test_predict_is_refused_where_the_member_may_not_write(harness: Harness) -> None:
    h = harness
    h.fake.deny(h.fake.text_channel_id, "alice", SEND_MESSAGES)
    reply = await predict(h, p.option("statement", "It rains"), p.option("resolves", "tomorrow"))
    assert reply.ephemeral and "You can't send messages in" in reply.text
    assert "Nothing was posted" in reply.text
    assert not [m for m in h.fake.messages_in(h.fake.text_channel_id) if m.get("embeds")]
    assert not (await h.services.predictions.list_page(guild(h))).items
    # bob may still write there, so his /predict is posted as before.
    posted = await predict(
        h, p.option("statement", "It rains"), p.option("resolves", "tomorrow"), user="bob"
    )
    assert "Posted prediction **#1**" in posted.text


async def test_track_as_prediction_is_refused_where_the_member_may_not_write(
    harness: Harness,
) -> None:
    h = harness
    message = h.fake.user_message("The bridge opens by 2027-06-30", user="bob")
    h.fake.deny(h.fake.text_channel_id, "alice", SEND_MESSAGES)
    reply = await h.run(h.fake.message_command("Track as prediction", message["id"]))
    assert reply.ephemeral and reply.modal is None and "You can't send messages in" in reply.text


async def test_a_prediction_channel_still_takes_predict_from_a_read_only_channel(
    harness: Harness,
) -> None:
    h = harness
    await h.services.server_config.update_guild(
        guild(h), prediction_channel_id=int(h.fake.general_channel_id)
    )
    h.fake.deny(h.fake.text_channel_id, "alice", SEND_MESSAGES)
    reply = await predict(h, p.option("statement", "It rains"), p.option("resolves", "tomorrow"))
    assert "Posted prediction **#1**" in reply.text


async def test_a_reason_is_refused_where_the_member_may_not_write_in_the_thread(
    harness: Harness,
) -> None:
    h = harness
    info = await post_and_settle(h)
    await h.fake.dispatch(
        "CHANNEL_UPDATE", h.fake.deny(h.fake.text_channel_id, "bob", SEND_MESSAGES_IN_THREADS)
    )
    await h.settle()
    before = len(h.fake.messages_in(str(info.thread_id)))
    refused = await h.run(
        h.fake.slash(
            "vote",
            p.option("prediction", 1),
            p.option("probability", "60"),
            p.option("reason", "Because I said so"),
            user="bob",
        )
    )
    assert refused.ephemeral and "can't write in the thread of #1" in refused.text
    assert "nothing was recorded" in refused.text
    assert await current_vote(h, info.id, "bob") is None
    assert len(h.fake.messages_in(str(info.thread_id))) == before
    plain = await h.run(
        h.fake.slash("vote", p.option("prediction", 1), p.option("probability", "60"), user="bob")
    )
    assert "is now **60%**" in plain.text and await current_vote(h, info.id, "bob") == 600
    # carol may write there: her reason is posted as before.
    carol = await h.run(
        h.fake.slash(
            "vote",
            p.option("prediction", 1),
            p.option("probability", "40"),
            p.option("reason", "Rain is likely"),
            user="carol",
        )
    )
    assert "Your reason is posted in the thread." in carol.text


# --- names and tags cannot format the bot's text -----------------------------------------------


async def test_a_reason_names_its_member_without_their_markdown(harness: Harness) -> None:
    h = harness
    info = await post_and_settle(h)
    h.fake.state.member(h.fake.user_id("bob"))["nick"] = "**Loud** __bob__ `x"
    await h.run(
        h.fake.slash(
            "vote",
            p.option("prediction", 1),
            p.option("probability", "60"),
            p.option("reason", "Rain is likely"),
            user="bob",
        )
    )
    [post] = [
        m for m in h.fake.messages_in(str(info.thread_id)) if "Rain is likely" in m["content"]
    ]
    assert post["content"].startswith(r"💬 **\*\*Loud\*\* \_\_bob\_\_ \`x** (60%) on #1")


async def test_a_tag_with_a_backtick_stays_inside_its_code_span(harness: Harness) -> None:
    h = harness
    reply = await predict(
        h,
        p.option("statement", "It rains"),
        p.option("resolves", "tomorrow"),
        p.option("tags", "a`**b**"),
    )
    assert "Tagged `aˋ**b**`." in reply.text
    await h.settle()
    info = await h.services.predictions.get(guild(h), 1)
    fields = {f["name"]: f["value"] for f in prediction_message(h, info)["embeds"][0]["fields"]}
    assert fields["Tags"] == "`aˋ**b**`"
