"""Issue 21's rituals through the real process: scheduled events, the weekly digest, disputes.

Events on: a new prediction's resolution date becomes a server event once the bot may manage
events (until then the moderators are told, once); a member marking it Interested follows the
prediction; resolving deletes the event. The digest, set for an hour already past today in the
server's time zone, is posted at once (the catch-up rule) with the running season's standings,
and a restart does not post it again.
A member disputes the resolution; the leaderboard marks it disputed; a moderator reopens it for
the dispute. The process runs on the real clock, so the digest's zone is chosen to make it
midday there now, and its hour the one before.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p
from tests.fakediscord.constants import OptionType
from tests.fakediscord.routes_events import MANAGE_EVENTS, events_of, grant_bot, interest

pytestmark = pytest.mark.e2e

REASON = "The bell rang at noon, not at dawn: the harbour log says so"


def midday_zone(now: datetime) -> str:
    """A fixed-offset zone where it is 12:xx now (Etc/GMT-N is UTC+N)."""
    offset = 12 - now.hour
    return "UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"


def augury(fake: FakeDiscord, sub: str, *options: flows.JSON, who: str = "admin") -> flows.JSON:
    return fake.slash("augury", p.subcommand(sub, *options), user=who)


def followers(bot: BotProcess, prediction_id: int) -> dict[int, int]:
    with flows.database(bot.db_path) as db:
        rows = db.execute(
            "SELECT user_id, following FROM followers WHERE prediction_id = ?", (prediction_id,)
        ).fetchall()
    return {int(row["user_id"]): int(row["following"]) for row in rows}


def event_ids(bot: BotProcess) -> list[int]:
    with flows.database(bot.db_path) as db:
        rows = db.execute("SELECT event_id FROM prediction_events WHERE event_id IS NOT NULL")
        return [int(row["event_id"]) for row in rows.fetchall()]


def digests(fake: FakeDiscord, channel_id: str) -> list[flows.JSON]:
    return [
        r.json
        for r in fake.find_requests("POST", rf"^/channels/{channel_id}/messages$")
        if r.status == 200
        and str(((r.json or {}).get("embeds") or [{}])[0].get("title", "")).startswith("📅")
    ]


async def test_events_digest_and_a_dispute_that_reopens(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    guild = fake.world.guild_id
    bob = fake.user_id("bob")
    general = fake.world.channel_ids["general"]
    await flows.launch(bot_process)

    # Events on, but the bot may not manage events yet: the moderators are told, once.
    on = await flows.send(fake, augury(fake, "events", p.option("enabled", "on")))
    assert on.ephemeral and "Scheduled events are on" in on.text
    posted = await flows.predict(fake, "The harbour bell rings at dawn", "in 3 days")
    pid, thread = posted.prediction_id, str(posted.thread_id)
    notice = await fake.wait_for_request(
        lambda r: r.status == 200 and "Manage Events" in str((r.json or {}).get("content")),
        timeout=10,
        method="POST",
        path=rf"^/channels/{posted.channel_id}/messages$",
    )
    assert notice.json["allowed_mentions"]["parse"] == []

    # Given the permission, turning events on again makes the event at once.
    grant_bot(fake.state, MANAGE_EVENTS)
    assert (await flows.send(fake, augury(fake, "events", p.option("enabled", "on")))).ephemeral
    created = await fake.wait_for_request(
        lambda r: r.status == 200,
        timeout=10,
        method="POST",
        path=rf"^/guilds/{guild}/scheduled-events$",
    )
    event = created.response
    assert event["name"] == "The harbour bell rings at dawn"
    link = f"https://discord.com/channels/{guild}/{posted.channel_id}/{posted.message_id}"
    assert event["entity_metadata"]["location"] == link
    resolves = datetime.fromisoformat(flows.prediction_row(bot_process.db_path, pid)["resolves_at"])
    start = datetime.fromisoformat(event["scheduled_start_time"])
    assert start == resolves.replace(tzinfo=start.tzinfo or UTC)
    assert datetime.fromisoformat(event["scheduled_end_time"]) - start == timedelta(hours=1)

    # bob marks it Interested: he follows the prediction.
    await fake.wait_for(lambda: event_ids(bot_process) == [int(event["id"])])
    await fake.dispatch(*interest(event, bob))
    await fake.wait_for(lambda: followers(bot_process, pid).get(int(bob)) == 1)
    voted = await flows.send(
        fake,
        fake.slash("vote", p.option("prediction", 1), p.option("probability", "80"), user="bob"),
    )
    assert voted.ephemeral

    # A season runs: the digest's standings are its standings, named.
    season = p.subcommand_group("season", p.subcommand("start", p.option("name", "Harbour")))
    started = await flows.send(fake, fake.slash("augury", season, user="admin"))
    assert started.ephemeral and "Season **Harbour** has started" in started.text

    # The digest, for an hour already past today in the server's zone: posted once, at once.
    zone = midday_zone(datetime.now(UTC))
    assert (await flows.send(fake, augury(fake, "timezone", p.option("zone", zone)))).ephemeral
    local = datetime.now(ZoneInfo(zone))
    setup = await flows.send(
        fake,
        augury(
            fake,
            "digest",
            p.option("channel", general, type=OptionType.CHANNEL),
            p.option("day", local.weekday()),
            p.option("hour", local.hour - 1),
        ),
    )
    assert setup.ephemeral and "the weekly digest goes to" in setup.text
    await fake.wait_for(lambda: len(digests(fake, general)) == 1, timeout=10)
    digest = digests(fake, general)[0]
    assert digest["allowed_mentions"]["parse"] == []
    votes = flows.field(flows.embed_of(digest), "🗳️ Needs your forecast")
    assert "#1" in votes and "The harbour bell rings at dawn" in votes and "1 forecaster" in votes
    standings = flows.field(
        flows.embed_of(digest), "🏆 Standings · season Harbour (relative Brier)"
    )
    assert standings.startswith("Nobody is ranked in this season yet"), standings

    # A restart does not post this week's digest again.
    await flows.relaunch(bot_process)
    levels = augury(fake, "reminders", p.option("leaderboard_min", 1))
    assert (await flows.send(fake, levels)).ephemeral

    # Resolving ends the event.
    mark = fake.mark()
    resolved = await flows.send(
        fake, fake.slash("resolve", p.option("prediction", 1), p.option("outcome", "no"))
    )
    assert resolved.text.startswith("Resolved #1")
    await fake.wait_for_request(
        lambda r: r.status == 204,
        timeout=10,
        method="DELETE",
        path=rf"^/guilds/{guild}/scheduled-events/{event['id']}$",
        after=mark,
    )
    assert event["id"] not in events_of(fake.state)

    # bob disputes it: posted in the thread, pinging nobody; a second dispute is refused.
    mark = fake.mark()
    dispute = fake.slash(
        "dispute",
        p.option("prediction", 1),
        p.option("reason", f"{REASON} <@{fake.user_id('carol')}>"),
        user="bob",
    )
    opened = await flows.send(fake, dispute)
    assert opened.ephemeral and "dispute of #1's resolution is recorded" in opened.text
    post = await fake.wait_for_request(
        lambda r: r.status == 200 and "⚖️" in str((r.json or {}).get("content")),
        timeout=10,
        method="POST",
        path=rf"^/channels/{thread}/messages$",
        after=mark,
    )
    assert "disputes the resolution of **#1** (NO)" in post.json["content"]
    assert post.json["allowed_mentions"] == {"parse": []}  # no role set: nobody is pinged
    again = fake.slash("dispute", p.option("prediction", 1), p.option("reason", REASON), user="bob")
    refused = await flows.send(fake, again)
    assert refused.ephemeral and "already disputed" in refused.text
    # carol disputes through the Dispute button on the resolution post, and its form.
    announced = next(
        r.response
        for r in fake.find_requests("POST", rf"^/channels/{thread}/messages$")
        if r.status == 200 and "augury:dispute:" in str((r.json or {}).get("components"))
    )
    click = fake.click(announced["id"], f"augury:dispute:{pid}", user="carol")
    form = await flows.send(fake, click)
    assert form.modal is not None and form.modal["title"] == "Dispute #1's resolution"
    record = fake.state.interactions[str(click["id"])]
    submit = fake.submit_modal(
        {"reason": "Nobody in town heard it ring"}, user="carol", record=record
    )
    by_form = await flows.send(fake, submit)
    assert by_form.ephemeral and "dispute of #1's resolution is recorded" in by_form.text

    # The leaderboard marks #1 disputed while bob's score stands.
    board = await flows.send(fake, fake.slash("leaderboard", user="bob"))
    assert "#1" in flows.field(flows.embed_of(board.request.json), "⚖️ Disputed")

    # A moderator reopens it for the dispute: the reason is the dispute, the mark is gone.
    mark = fake.mark()
    settle = fake.slash(
        "augury",
        p.subcommand_group("dispute", p.subcommand("reopen", p.option("prediction", 1))),
        user="admin",
    )
    reopened = await flows.send(fake, settle)
    assert reopened.ephemeral and reopened.text.startswith("↩️ Reopened #1 for its 2 disputes")
    assert flows.prediction_row(bot_process.db_path, pid)["status"] == "open"
    await fake.wait_for_request(
        lambda r: (
            "was reopened" in str((r.json or {}).get("content"))
            and "Disputed: " in str((r.json or {}).get("content"))
        ),
        timeout=10,
        method="POST",
        path=rf"^/channels/{thread}/messages$",
        after=mark,
    )
    # Open again with its date ahead: it has an event again.
    await fake.wait_for_request(
        lambda r: r.status == 200,
        timeout=10,
        method="POST",
        path=rf"^/guilds/{guild}/scheduled-events$",
        after=mark,
    )

    assert len(digests(fake, general)) == 1
    assert fake.violations == []
    flows.assert_log_clean(bot_process)
