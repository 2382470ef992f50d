"""A prediction comes due: the reminder pings the author in its thread, its Yes button resolves.

The bot reads real time: a prediction resolves in two hours, and once the test has set the
scene it moves the prediction's dates back so that moment is now (``flows.come_due``, what the
two hours passing would leave behind); the real scheduler, polling every
REMINDER_POLL_SECONDS=0.2, then finds the reminder due.
"""

from __future__ import annotations

import pytest

from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.e2e.member_texts import assert_member_texts_clean, assert_stands_on_its_own
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p

pytestmark = pytest.mark.e2e


def resolved_and_closed(body: flows.JSON) -> bool:
    embed = flows.embed_of(body)
    ids = flows.custom_ids(body) if body.get("components") else []
    # Resolved: Vote, Follow and Resolve are gone; My vote stays (it shows the score).
    return flows.field(embed, "Status") == "Resolved ✅ YES" and [i.split(":")[1] for i in ids] == [
        "myvote"
    ]


async def test_due_prediction_pings_its_author_and_resolves_by_the_reminder_button(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    await flows.launch(bot_process)
    alice = fake.user_id("alice")
    posted = await flows.predict(fake, "The lighthouse lamp is lit", "in 2 hours")
    thread = str(posted.thread_id)
    pid = posted.prediction_id
    # bob follows it and chose DMs: he is told by DM (from the paced queue), not pinged.
    chose = await flows.send(fake, fake.slash("notifications", p.option("where", "dm"), user="bob"))
    assert chose.ephemeral
    follow = p.subcommand("follow", p.option("prediction", 1))
    assert (await flows.send(fake, fake.slash("predictions", follow, user="bob"))).ephemeral
    flows.come_due(bot_process.db_path, pid)  # the two hours pass

    # The reminder, in the prediction's thread, pinging exactly the author.
    sent = await fake.wait_for_request(
        lambda r: r.status == 200 and "⏰" in str((r.json or {}).get("content")),
        timeout=15,  # due now, polled every 0.2 s
        method="POST",
        path=rf"^/channels/{thread}/messages$",
    )
    reminder = sent.json
    assert f"<@{alice}>" in reminder["content"]
    assert "has reached its resolution date" in reminder["content"]
    mentions = reminder["allowed_mentions"]
    assert [str(user) for user in mentions["users"]] == [alice]
    assert "everyone" not in mentions.get("parse", [])
    assert flows.embed_of(reminder)["title"] == "#1 · The lighthouse lamp is lit"
    bobs = fake.dm_channel_id("bob")
    dm = await fake.wait_for_request(
        lambda r: r.status == 200, method="POST", path=rf"^/channels/{bobs}/messages$"
    )
    assert "Prediction #1 has reached its resolution date" in dm.json["content"]
    assert_stands_on_its_own(fake, dm.json["content"], "The lighthouse lamp is lit", posted)
    assert flows.embed_of(dm.json)["title"] == "#1 · The lighthouse lamp is lit"
    message_id = str(sent.response["id"])
    assert flows.custom_ids(fake.message(message_id)) == [
        *(f"augury:resolve:{pid}:{outcome}" for outcome in ("yes", "no", "ambiguous")),
        f"augury:reminder:{pid}:due:1:0",  # the delivery's marker (a disabled button)
    ]

    # The author resolves it YES from the reminder.
    mark = fake.mark()
    click = fake.click(message_id, f"augury:resolve:{pid}:yes")
    asked = await flows.send(fake, click)
    assert asked.ephemeral and asked.text == "Resolve #1 as ✅ YES?"  # nothing changed yet
    assert flows.prediction_row(bot_process.db_path, pid)["status"] == "open"
    confirmation = str(fake.state.interactions[str(click["id"])].original_id)
    confirm = fake.click(confirmation, f"augury:resolve-confirm:{pid}:yes")
    reply = await flows.send(fake, confirm)
    assert reply.ephemeral and reply.text.startswith("Resolved #1 ✅ YES.")
    # The answered question loses its buttons (once the answer is out).
    await fake.wait_for(lambda: not fake.message(confirmation).get("components"))
    assert fake.message(confirmation)["content"] == "Resolve #1 as ✅ YES?"
    await flows.wait_for_render(fake, posted, resolved_and_closed, after=mark)
    assert resolved_and_closed(fake.message(posted.message_id))
    resolution = flows.field(flows.embed_of(fake.message(posted.message_id)), "Resolution")
    assert resolution.startswith("✅ YES by **alice**")
    await fake.wait_for_request(
        lambda r: "resolved ✅ YES" in str((r.json or {}).get("content")),
        method="POST",
        path=rf"^/channels/{thread}/messages$",
        after=mark,
    )

    row = flows.prediction_row(bot_process.db_path, pid)
    assert (row["status"], row["outcome"], str(row["resolver_id"])) == ("resolved", "yes", alice)
    reminders = fake.find_requests("POST", rf"^/channels/{thread}/messages$")
    assert sum("⏰" in str((r.json or {}).get("content")) for r in reminders) == 1
    assert fake.violations == []
    flows.assert_log_clean(bot_process)
    assert_member_texts_clean(bot_process.fake)  # the string sweep (issue 23)


async def test_an_undeliverable_reminder_does_not_hold_back_a_deliverable_one(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    """The first one due can go nowhere (its thread and channel refuse, the author's DMs are
    closed): it is tried once and backs off; the next one is delivered in its own thread."""
    fake = fake_discord
    await flows.launch(bot_process)
    lost = await flows.predict(fake, "Nobody will hear of this", "in 2 hours")
    heard = await flows.predict(fake, "Everyone will hear of this", "in 2 hours", user="bob")
    for channel in (lost.thread_id, lost.channel_id):
        fake.fail("POST", rf"^/channels/{channel}/messages$", 403, times=None)
    fake.close_dms("alice")
    flows.come_due(bot_process.db_path, lost.prediction_id, ago=1)  # due first
    flows.come_due(bot_process.db_path, heard.prediction_id)

    await fake.wait_for_request(
        lambda r: r.status == 200 and "⏰" in str((r.json or {}).get("content")),
        timeout=8,
        method="POST",
        path=rf"^/channels/{heard.thread_id}/messages$",
    )
    tries = fake.find_requests("POST", rf"^/channels/{lost.thread_id}/messages$")
    assert len(tries) == 1  # one attempt, then a 5-minute backoff: no retry every poll
    await fake.wait_for(
        lambda: (
            flows.prediction_row(bot_process.db_path, heard.prediction_id)["reminders_sent"] == 1
        )
    )


async def test_a_restart_mid_delivery_after_the_nonce_window_pings_once(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    """The reminder is posted but the bot is killed before it hears back (so before it records
    it), and comes back after Discord forgot the nonce: it finds its own message by the
    delivery marker, records it, and does not post it again."""
    fake = fake_discord
    fake.state.nonce_window = 0
    await flows.launch(bot_process, REMINDER_CLAIM_SECONDS="1")
    posted = await flows.predict(fake, "The ferry runs on time", "in 2 hours")
    thread = str(posted.thread_id)
    fake.delay("POST", rf"^/channels/{thread}/messages$", 5, late=True)
    flows.come_due(bot_process.db_path, posted.prediction_id)

    def reminders_in_thread() -> list[flows.JSON]:
        return [m for m in fake.messages_in(thread) if "⏰" in m["content"]]

    await fake.wait_for(lambda: len(reminders_in_thread()) == 1, timeout=8)
    await flows.relaunch(bot_process, kill=True)
    await fake.wait_for(
        lambda: (
            flows.prediction_row(bot_process.db_path, posted.prediction_id)["reminders_sent"] == 1
        ),
        timeout=10,
    )
    assert len(reminders_in_thread()) == 1
    assert fake.find_requests("GET", rf"^/channels/{thread}/messages$")  # it looked first
    assert fake.violations == []
