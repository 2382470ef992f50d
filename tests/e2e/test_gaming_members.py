"""Members trying to game the record, against the real ``python -m bot``: vote, forget and vote
again; post or argue where they may not write; 100 % by two paths; and a JSON log after an
error that must not hand anyone the bot's or an interaction's token."""

from __future__ import annotations

import json

import pytest

from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p
from tests.fakediscord.constants import MessageFlag
from tests.fakediscord.perms import SEND_MESSAGES, SEND_MESSAGES_IN_THREADS

pytestmark = pytest.mark.e2e

ENDS = "0 % and 100 % count as 1 % and 99 %"


async def forget_me(fake: FakeDiscord, who: str) -> str:
    """``/privacy forget-me`` and Forget me; the confirmation's final text."""
    ask = await flows.send(fake, fake.slash("privacy", p.subcommand("forget-me"), user=who))
    assert ask.ephemeral and "Forget me?" in ask.text, ask.text
    message_id = str(ask.request.response["id"])
    confirm = next(
        c["custom_id"]
        for row in fake.message(message_id)["components"]
        for c in row["components"]
        if c.get("label") == "Forget me"
    )
    await fake.dispatch("INTERACTION_CREATE", fake.click(message_id, confirm, user=who))
    await fake.wait_for(
        lambda: "identity is gone" in str(fake.message(message_id).get("content")),
        timeout=10,
        message="for the forget-me confirmation",
    )
    return str(fake.message(message_id)["content"])


async def slash_vote(
    fake: FakeDiscord, who: str, number: int, value: str, reason: str | None = None
) -> flows.Answer:
    options = [p.option("prediction", number), p.option("probability", value)]
    if reason is not None:
        options.append(p.option("reason", reason))
    return await flows.send(fake, fake.slash("vote", *options, user=who))


async def test_members_cannot_count_twice_post_where_they_may_not_or_bend_the_ends(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    # carol may not write in the text channel; bob may not write in its threads.
    fake.deny(fake.text_channel_id, "carol", SEND_MESSAGES)
    fake.deny(fake.text_channel_id, "bob", SEND_MESSAGES_IN_THREADS)
    await flows.launch(bot_process, LOG_FORMAT="json")
    db = bot_process.db_path
    posted = await flows.predict(
        fake, "The river freezes this winter", "in 3 months", p.option("probability", "60")
    )
    alice, bob = (int(fake.user_id(who)) for who in ("alice", "bob"))

    # Vote, forget, vote again, three times: bob is one forecaster throughout.
    for round_, value in enumerate(("90", "80", "70"), start=1):
        mark = fake.mark()
        voted = await slash_vote(fake, "bob", posted.number, value)
        assert f"is now **{value}%**" in voted.text
        await flows.wait_for_render(fake, posted, flows.shows(2), after=mark)
        assert flows.votes(db, posted.prediction_id) == {alice: 600, bob: int(value) * 10}
        mark = fake.mark()
        done = await forget_me(fake, "bob")
        assert "still open for voting is withdrawn" in done, (round_, done)
        await flows.wait_for_render(fake, posted, flows.shows(1, "60%"), after=mark)
        assert flows.votes(db, posted.prediction_id) == {alice: 600}
    mark = fake.mark()
    await slash_vote(fake, "bob", posted.number, "20")
    await flows.wait_for_render(fake, posted, flows.shows(2, "40%"), after=mark)
    with flows.database(db) as connection:
        withdrawn = connection.execute(
            "SELECT count(*) FROM vote_events WHERE prediction_id = ? AND source = 'forgotten'"
            " AND permille IS NULL AND user_id < 0",
            (posted.prediction_id,),
        ).fetchone()[0]
    assert withdrawn == 3

    # /predict where carol may not send messages: refused, nothing posted or stored.
    def public() -> list[flows.JSON]:
        shown = fake.messages_in(fake.text_channel_id)
        return [m for m in shown if not m.get("flags", 0) & MessageFlag.EPHEMERAL]

    before = len(public())
    refused = await flows.send(
        fake,
        fake.slash(
            "predict",
            p.option("statement", "It snows in May"),
            p.option("resolves", "in 6 months"),
            user="carol",
        ),
    )
    assert refused.ephemeral and "You can't send messages in" in refused.text
    assert len(public()) == before
    with flows.database(db) as connection:
        assert connection.execute("SELECT count(*) FROM predictions").fetchone()[0] == 1

    # A reason into a thread bob may not write in: refused whole, nothing stored or posted.
    thread_before = len(fake.messages_in(str(posted.thread_id)))
    argued = await slash_vote(fake, "bob", posted.number, "30", reason="Trust me on this")
    assert argued.ephemeral and "can't write in the thread of #1" in argued.text
    assert "nothing was recorded" in argued.text
    assert flows.votes(db, posted.prediction_id)[bob] == 200
    assert len(fake.messages_in(str(posted.thread_id))) == thread_before

    # 100 by /vote and by /predict: both kept as 99 %, both answers say so.
    certain_vote = await slash_vote(fake, "alice", posted.number, "100")
    assert "is now **99%**" in certain_vote.text and ENDS in certain_vote.text
    certain_predict = await flows.send(
        fake,
        fake.slash(
            "predict",
            p.option("statement", "The sun rises tomorrow"),
            p.option("resolves", "in 3 months"),
            p.option("probability", "100"),
        ),
    )
    assert "Posted prediction **#2**" in certain_predict.text, certain_predict.text
    assert ENDS in certain_predict.text
    second = await flows.posted_from(fake, certain_predict.text)
    assert flows.votes(db, second.prediction_id) == {alice: 990}
    assert flows.votes(db, posted.prediction_id)[alice] == 990

    # The JSON log has no error in it, and every line is JSON.
    lines = [line for line in bot_process.log_text().splitlines() if line.startswith("{")]
    assert lines and all(json.loads(line)["level"] != "ERROR" for line in lines)


async def test_a_json_log_after_an_error_names_no_secret(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    """Discord refuses an interaction's answer with a message that repeats the bot token, the
    interaction's token and a database URL; the traceback the bot logs must show none of them."""
    fake = fake_discord
    await flows.launch(bot_process, LOG_FORMAT="json")
    password = "hunter2-database-password"
    payload = fake.slash("help", user="bob")
    leaked = (
        f"token {fake.token} for /interactions/{payload['id']}/{payload['token']}/callback "
        f"via postgresql+asyncpg://augury:{password}@postgres:5432/augury"
    )
    fake.fail("POST", rf"^/interactions/{payload['id']}/", 400, code=50035, message=leaked)
    await fake.dispatch("INTERACTION_CREATE", payload)
    await bot_process.wait_for_log(r'"level": "ERROR"', timeout=10)
    text = bot_process.log_text()
    for secret in (fake.token, payload["token"], password):
        assert secret not in text
    errors = [
        json.loads(line)
        for line in text.splitlines()
        if line.startswith("{") and json.loads(line)["level"] == "ERROR"
    ]
    assert errors and "HTTPException" in errors[0]["exc_info"]
    assert (
        "/interactions/" in errors[0]["exc_info"]
        and "augury:***@postgres" in (errors[0]["exc_info"])
    )
