"""Records against the real process: tags, ``/predictions export`` and ``/augury export``,
``/privacy forget-me``, and ``python -m bot backup`` / ``export`` run beside the live bot."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.e2e import flows
from tests.e2e.admin import cli, uploaded
from tests.e2e.conftest import BotProcess
from tests.e2e.member_texts import assert_member_texts_clean
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p

pytestmark = pytest.mark.e2e


async def test_export_and_forget_me_against_the_real_process(
    fake_discord: FakeDiscord, bot_process: BotProcess, tmp_path: Path
) -> None:
    fake = fake_discord
    await flows.launch(bot_process)
    posted = await flows.predict(
        fake, "The river freezes this winter", "in 3 months", p.option("tags", "Weather, river")
    )
    assert "Tagged `river`, `weather`" in posted.reply
    db = bot_process.db_path
    bob = int(fake.user_id("bob"))
    mark = fake.mark()
    await flows.vote_by_modal(fake, posted.message_id, "alice", "60")
    await flows.react(fake, posted.message_id, flows.keycap(7), "bob")
    await flows.wait_for_render(fake, posted, flows.shows(2, "65%"), after=mark)

    # bob downloads his own forecasts as CSV.
    mine = await flows.send(
        fake, fake.slash("predictions", p.subcommand("export"), user="bob"), timeout=15
    )
    assert mine.ephemeral and "1 prediction, as CSV" in mine.text
    rows = list(csv.DictReader(io.StringIO(uploaded(fake, mine).decode("utf-8-sig"))))
    assert [(r["forecaster"], r["probability"], r["tags"]) for r in rows] == [
        (str(bob), "70%", "river; weather")
    ]

    # A moderator exports the whole server as JSON.
    server = await flows.send(
        fake,
        fake.slash("augury", p.subcommand("export", p.option("format", "json")), user="admin"),
        timeout=15,
    )
    document = json.loads(uploaded(fake, server))
    assert [e["permille"] for e in document["predictions"][0]["vote_history"]] == [600, 700]

    # The command line can back up and export while the bot runs.
    backup = await cli(bot_process, "backup", str(tmp_path / "copy.db"))
    assert backup.returncode == 0, backup.stderr
    assert flows.integrity(tmp_path / "copy.db") == "ok"
    with flows.database(tmp_path / "copy.db") as copy:
        assert copy.execute("SELECT count(*) FROM vote_events").fetchone()[0] == 2

    # bob asks to be forgotten and confirms.
    ask = await flows.send(fake, fake.slash("privacy", p.subcommand("forget-me"), user="bob"))
    assert ask.ephemeral and "have a forecast on 1 prediction" in ask.text
    message_id = str(ask.request.response["id"])
    confirm = next(
        c["custom_id"]
        for row in fake.message(message_id)["components"]
        for c in row["components"]
        if c.get("label") == "Forget me"
    )
    await fake.dispatch("INTERACTION_CREATE", fake.click(message_id, confirm, user="bob"))
    await fake.wait_for(
        lambda: "identity is gone" in str(fake.message(message_id).get("content")),
        timeout=10,
        message="for the forget-me confirmation",
    )
    with flows.database(db) as connection:
        for table, column in (
            ("votes", "user_id"),
            ("vote_events", "user_id"),
            ("followers", "user_id"),
            ("scores", "user_id"),
            ("user_settings", "user_id"),
        ):
            found = connection.execute(
                f"SELECT count(*) FROM {table} WHERE {column} = ?", (bob,)
            ).fetchone()[0]
            assert found == 0, table
    # Voting is still open: bob's forecast is withdrawn (kept, anonymous, in the history).
    assert sorted(flows.votes(db, posted.prediction_id).values()) == [600]
    after = await cli(bot_process, "export", "--guild", fake.guild_id, "--format", "csv",
                "--out", str(tmp_path / "after.csv"))  # fmt: skip
    assert after.returncode == 0, after.stderr
    text = (tmp_path / "after.csv").read_text(encoding="utf-8-sig")
    assert str(bob) not in text and "former member" in text
    flows.assert_log_clean(bot_process)
    assert_member_texts_clean(bot_process.fake)  # the string sweep (issue 23)
