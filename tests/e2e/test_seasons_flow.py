"""A season through the real process: started by an admin, counting only what resolves inside
it, ending by its date while the bot is down, recapped at the next start (with its card) and
only once although the bot dies between posting the recap and recording it, its top
forecaster given the mapped role, and a role the bot may not manage reported to the
moderators instead of crashing anything.

The process runs on the real clock. The season is started to end in an hour; once the bot is
stopped, the test moves the season's end date to that moment in the database (what the hour
passing while the bot is down would leave behind), so the restart finds a season whose date
passed while it was down, without the test waiting for the clock.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.e2e.member_texts import assert_member_texts_clean
from tests.fakediscord import FakeDiscord, perms
from tests.fakediscord import payloads as p
from tests.fakediscord.routes_roles import add_role, member_role_ids, update_role
from tests.fakediscord.world import BOT_NAME

pytestmark = pytest.mark.e2e

o, sub = p.option, p.subcommand
SEASON_SECONDS = 3600


def season(*options: p.JSON) -> p.JSON:
    return p.subcommand_group("season", *options)


def role(name: str, fake: FakeDiscord) -> p.JSON:
    return o("role", fake.state.world.role_ids[name], type=p.ROLE)


async def admin(fake: FakeDiscord, *options: p.JSON) -> flows.Answer:
    answer = await flows.send(fake, fake.slash("augury", *options, user="admin"))
    assert answer.ephemeral, answer.text
    return answer


async def resolved_prediction(fake: FakeDiscord, statement: str, votes: dict[str, str]) -> int:
    posted = await flows.predict(fake, statement, "in 3 months", p.option("probability", "30"))
    for who, value in votes.items():
        voted = await flows.send(
            fake,
            fake.slash("vote", o("prediction", posted.number), o("probability", value), user=who),
        )
        assert voted.ephemeral and "⚠️" not in voted.text, voted.text
    done = await flows.send(
        fake, fake.slash("resolve", o("prediction", posted.number), o("outcome", "yes"))
    )
    assert "Resolved" in done.text, done.text
    return posted.number


def title(body: p.JSON | None) -> str:
    embeds = (body or {}).get("embeds") or []
    return str(embeds[0].get("title", "")) if embeds else ""


def season_row(bot: BotProcess) -> dict[str, object]:
    with flows.database(bot.db_path) as db:
        row = db.execute("SELECT * FROM seasons").fetchone()
    assert row is not None
    return dict(row)


async def test_a_season_ends_while_the_bot_is_down_and_is_recapped_once_at_restart(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    # The server before the bot connects: Augury may manage roles; Champion sits below its
    # role, Staff above it, Newcomer below it for now.
    await update_role(fake, BOT_NAME, permissions=perms.BOT | perms.MANAGE_ROLES, announce=False)
    champion = await add_role(fake, "Champion", position=2, announce=False)
    await add_role(fake, "Staff", position=5, announce=False)
    newcomer = await add_role(fake, "Newcomer", position=1, announce=False)
    await flows.launch(bot_process)
    predictions = fake.state.world.channel_ids["predictions"]
    await admin(fake, sub("channel", o("channel", predictions, type=p.CHANNEL)))
    await admin(fake, sub("reminders", o("leaderboard_min", 1)))

    # Earned roles: Staff is above Augury's own role (refused, saying what to do); Champion
    # goes to the season's best; Newcomer to first forecasts, but a moderator then drags it
    # above Augury's role, so Discord will refuse it.
    refused = await admin(fake, season(sub("roles", role("Staff", fake), o("achievement", "top"))))
    assert "at or above Augury's own highest role" in refused.text
    mapped = await admin(
        fake, season(sub("roles", role("Champion", fake), o("achievement", "top"), o("top", 1)))
    )
    assert "best forecaster of a season" in mapped.text
    await admin(
        fake, season(sub("roles", role("Newcomer", fake), o("achievement", "first_forecast")))
    )
    await update_role(fake, "Newcomer", position=6)

    # Resolved before the season: carol's good call does not count for it.
    await resolved_prediction(fake, "The ferry runs on time", {"carol": "95", "bob": "10"})
    started = await admin(
        fake,
        season(sub("start", o("name", "Sprint"), o("ends", f"in {SEASON_SECONDS} seconds"))),
    )
    assert "Season **Sprint** has started" in started.text
    ends_at = datetime.fromisoformat(str(season_row(bot_process)["ends_at"])).replace(tzinfo=UTC)
    # Inside it: bob is right, carol is wrong.
    await resolved_prediction(fake, "The bridge reopens", {"bob": "90", "carol": "20"})

    board = await flows.send(fake, fake.slash("leaderboard", o("season", "Sprint"), user="bob"))
    assert not board.ephemeral
    embed = flows.embed_of(board.request.json)
    assert "season Sprint" in embed["title"]
    ranked = [line for line in embed["description"].splitlines() if line.startswith("**")]
    # alice (the author, at 30 %) takes part too.
    assert len(ranked) == 3 and "bob" in ranked[0] and "carol" in ranked[2]
    assert all("1 forecast" in line for line in ranked)  # only the one inside the season

    # The bot goes down before the season's end, and stays down past it.
    assert ends_at > datetime.now(UTC)
    await bot_process.terminate()
    ends_at = datetime.now(UTC)  # the season's date passes while the bot is down
    with flows.database(bot_process.db_path) as db:
        db.execute(
            "UPDATE seasons SET ends_at = ?",
            (ends_at.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f"),),
        )
        db.commit()
    # The recap goes out, but the bot dies before it hears back (so before recording it), and
    # comes back after Discord forgot the nonce and the claim's lease ran out: it finds its
    # post by the footer naming the season, records it, and does not post it again.
    fake.state.nonce_window = 0
    fake.delay("POST", rf"^/channels/{predictions}/messages$", 5, late=True)
    await bot_process.start()
    await flows.until_ready(bot_process)

    def recaps_posted() -> list[p.JSON]:
        return [m for m in fake.messages_in(predictions) if "Season recap" in title(m)]

    await fake.wait_for(lambda: len(recaps_posted()) == 1, 30, message="the recap posted")
    await bot_process.kill()
    assert season_row(bot_process)["recapped_at"] is None  # it never heard back
    with flows.database(bot_process.db_path) as db:  # what the lease running out leaves
        db.execute("UPDATE seasons SET recap_due_at = ended_at")
        db.commit()
    looked = fake.mark()
    await bot_process.start()
    await flows.until_ready(bot_process)
    await fake.wait_for(lambda: season_row(bot_process)["recapped_at"] is not None, 20)
    [posted] = recaps_posted()
    assert season_row(bot_process)["recap_message_id"] == int(posted["id"])
    assert fake.find_requests("GET", rf"^/channels/{predictions}/messages$", after=looked)

    recap = await fake.wait_for_request(
        lambda r: "Season recap" in title(r.json),
        timeout=30,
        method="POST",
        path=rf"^/channels/{predictions}/messages$",
    )
    body = recap.json
    assert title(body) == "🏁 Season recap · Sprint"
    fields = {f["name"]: f["value"] for f in flows.embed_of(body)["fields"]}
    assert "bob" in fields["Top forecasters"].splitlines()[0]
    assert "3 forecasters took part" in flows.embed_of(body)["description"]
    assert body["allowed_mentions"]["parse"] == []
    assert {f.filename for f in recap.files} == {"season-recap.png", "calibration.png"}
    assert all(f.data[:4] == b"\x89PNG" for f in recap.files)
    row = season_row(bot_process)
    assert row["ended_at"] == row["ends_at"]  # ended at its date, not when the bot came back

    # The season's best gets Champion; Newcomer is refused by Discord and reported.
    await fake.wait_for(lambda: champion in member_role_ids(fake, "bob"), 20, message="Champion")
    await fake.wait_for(
        lambda: fake.find_requests("PUT", rf"/roles/{newcomer}$"), 20, message="Newcomer tried"
    )
    assert newcomer not in member_role_ids(fake, "bob") + member_role_ids(fake, "carol")
    listing = await admin(fake, season(sub("list")))
    shown = flows.embed_of(listing.request.json["data"])
    assert "Sprint" in shown["description"] and "[recap](" in shown["description"]
    roles_text = shown["fields"][0]["value"]
    assert "Discord refused to give" in roles_text and "Manage Roles" in roles_text

    # Once: the restarted bot's later cycles post no second recap and repeat no role change.
    puts = len(fake.find_requests("PUT", rf"/roles/{champion}$"))
    marker = time.monotonic()
    await fake.wait_for(lambda: time.monotonic() - marker > 1, 5, message="a few cycles")
    recaps = [
        r
        for r in fake.find_requests("POST", rf"^/channels/{predictions}/messages$")
        if "Season recap" in title(r.json)
    ]
    assert len(recaps) == 1 and len(recaps_posted()) == 1
    assert len(fake.find_requests("PUT", rf"/roles/{champion}$")) == puts
    assert fake.violations == []
    assert_member_texts_clean(fake)  # plurals, plain words, commands as mentions
    flows.assert_log_clean(bot_process)
