"""SIGKILL in the middle of a burst of votes: nothing the bot confirmed is lost.

A modal vote is *answered* when its confirming follow-up reached Discord: the deferral comes
before the write, so only the follow-up promises durability. A reaction has no answer; what
the bot promised for reactions is what it showed, so the database must hold at least as many
votes as the last edit of the message before the kill counted.
"""

from __future__ import annotations

import asyncio
import re

import pytest

from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.fakediscord import FakeDiscord

pytestmark = pytest.mark.e2e

MODAL_VOTERS = tuple(f"modal{i}" for i in range(12))
REACTORS = tuple(f"react{i}" for i in range(12))
CONFIRMED = re.compile(r"^🗳️ Your forecast on #\d+ is now \*\*(?P<percent>\d+)%\*\*\.$")
COUNTED = re.compile(r"(?P<count>\d+) forecasters?\b")


def last_shown_count(fake: FakeDiscord, posted: flows.Posted) -> int:
    """How many forecasters the last successful edit of the message showed (0: none yet)."""
    edits = [
        r
        for r in fake.find_requests("PATCH", flows.edit_path(posted.channel_id, posted.message_id))
        if r.status == 200
    ]
    if not edits:
        return 0
    match = COUNTED.search(flows.forecast(edits[-1].json))
    return int(match["count"]) if match else 0


@pytest.mark.fake_discord(extra_members=[*MODAL_VOTERS, *REACTORS])
async def test_sigkill_during_a_vote_burst_keeps_every_answered_vote(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    await flows.launch(bot_process)
    posted = await flows.predict(fake, "The ferry runs all winter", "in 2 months")
    pid, db = posted.prediction_id, bot_process.db_path

    # Everyone opens the vote modal first; then submits and reactions arrive in two waves.
    clicks = [await flows.open_vote_modal(fake, posted.message_id, who) for who in MODAL_VOTERS]
    submits = {
        who: flows.vote_submit(fake, click, who, str(11 + index))
        for index, (who, click) in enumerate(zip(MODAL_VOTERS, clicks, strict=True))
    }
    burst: list[tuple[str, flows.JSON]] = []
    for index, (voter, reactor) in enumerate(zip(MODAL_VOTERS, REACTORS, strict=True)):
        burst.append(("INTERACTION_CREATE", submits[voter]))
        reaction = fake.reaction_add(posted.message_id, flows.keycap(index % 9 + 1), user=reactor)
        burst.append(("MESSAGE_REACTION_ADD", reaction))
    first_wave, second_wave = burst[: len(burst) // 2], burst[len(burst) // 2 :]

    def answered() -> dict[str, flows.Answer]:
        found = {who: flows.find_answer(fake, submit) for who, submit in submits.items()}
        return {who: answer for who, answer in found.items() if answer is not None}

    def deferred(payload: flows.JSON) -> bool:
        callback = f"/interactions/{payload['id']}/{payload['token']}/callback"
        return bool(fake.find_requests("POST", re.escape(callback)))

    await asyncio.gather(*(fake.dispatch(event, payload) for event, payload in first_wave))
    await fake.wait_for(lambda: len(answered()) >= 3, message="for the first confirmations")
    # From now on confirmations reach Discord only after a while, so the kill surely lands
    # while votes are in flight: deferred (being written, or written and being confirmed).
    fake.delay("POST", r"^/webhooks/\d+/[^/]+$", 30.0, times=None)
    await asyncio.gather(*(fake.dispatch(event, payload) for event, payload in second_wave))
    second_submits = [payload for event, payload in second_wave if event == "INTERACTION_CREATE"]
    await fake.wait_for(lambda: any(deferred(payload) for payload in second_submits))
    await bot_process.kill()
    confirmed = answered()  # what members saw confirmed when the process died

    in_flight = [
        who for who, submit in submits.items() if deferred(submit) and who not in confirmed
    ]
    assert in_flight, "no vote was in flight when the process was killed"
    assert len(confirmed) < len(submits)
    fake.clear_faults()

    # Every confirmed vote is in the database, with the confirmed value.
    stored = flows.votes(db, pid)
    shown = last_shown_count(fake, posted)
    print(f"killed after {len(confirmed)}/{len(submits)} confirmations,", end=" ")
    print(f"{len(in_flight)} in flight,", end=" ")
    print(f"{len(stored)} votes kept, {shown} shown on the message")
    for who, reply in confirmed.items():
        match = CONFIRMED.match(reply.text)
        assert match, f"{who} got {reply.text!r}"
        assert stored.get(int(fake.user_id(who))) == int(match["percent"]) * 10, who
    assert len(stored) >= shown
    assert flows.integrity(db) == "ok"
    with flows.database(db) as connection:
        latest = dict(
            connection.execute(
                "SELECT user_id, permille FROM vote_events WHERE id IN ("
                " SELECT max(id) FROM vote_events WHERE prediction_id = ? GROUP BY user_id)",
                (pid,),
            ).fetchall()
        )
    assert {int(user): permille for user, permille in latest.items()} == stored

    # The restarted bot redraws what the crash left stale, then takes votes again.
    restart = fake.mark()
    await bot_process.start()
    await flows.until_ready(bot_process)
    if len(stored) > shown:
        await flows.wait_for_render(fake, posted, flows.shows(len(stored)), after=restart)
    mark = fake.mark()
    again = await flows.vote_by_modal(fake, posted.message_id, "alice", "50")
    assert again.text == "🗳️ Your forecast on #1 is now **50%**."
    await flows.react(fake, posted.message_id, flows.keycap(5), "bob")
    await fake.wait_for(lambda: len(flows.votes(db, pid)) == len(stored) + 2)
    await flows.wait_for_render(fake, posted, flows.shows(len(stored) + 2), after=mark)
    assert fake.violations == []
    assert flows.log_problems(bot_process) == []
