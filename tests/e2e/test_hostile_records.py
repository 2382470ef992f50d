"""Hostile import files against the real command line, and linking an outside forecaster through
the real bot: every bad file is one line, exit 1, nothing written; a linked name's record moves
to the member and is scored as theirs."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.e2e import flows
from tests.e2e.admin import cli, uploaded
from tests.e2e.conftest import BotProcess
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p
from tests.services.records.files import FATEBOOK, augury, fatebook_csv, fatebook_row, prediction

pytestmark = pytest.mark.e2e

HOSTILE = {
    "infinity.json": b'{"format": "augury", "version": 1, "guild_id": Infinity}',
    "overflow.json": augury(prediction(resolves_at="9999-12-31T23:30-05:00")),
    "huge-id.json": augury(prediction(author=str(2**64))),
    "deep.json": b"[" * 200_000 + b"]" * 200_000,
    "details.json": augury(prediction(details="x" * 100_000)),
    "everyone.json": augury(settings={"moderator_role_id": "GUILD"}),
    "field.csv": fatebook_csv([fatebook_row("Q" * 140_000, "Ada", "0.5", "2024-01-02 10:00:00")]),
    "name.csv": fatebook_csv([fatebook_row("Q", "N" * 500, "0.5", "2024-01-02 10:00:00")]),
}
TABLES = ("predictions", "vote_events", "votes", "outside_forecasters", "scores", "import_keys")


def footprint(bot: BotProcess) -> list[int]:
    with flows.database(bot.db_path) as db:
        return [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES]


async def test_hostile_files_are_refused_and_a_linked_name_becomes_the_members(
    fake_discord: FakeDiscord, bot_process: BotProcess, tmp_path: Path
) -> None:
    fake = fake_discord
    await flows.launch(bot_process)
    guild = fake.guild_id
    bob = int(fake.user_id("bob"))
    before = footprint(bot_process)

    for name, data in HOSTILE.items():
        path = tmp_path / name
        path.write_bytes(data.replace(b'"GUILD"', f'"{guild}"'.encode()))
        done = await cli(bot_process, "import", str(path), "--guild", guild)
        assert done.returncode == 1, (name, done.stdout)
        assert "Traceback" not in done.stderr, name
        assert len(done.stderr.strip().splitlines()) == 1, (name, done.stderr)
        assert footprint(bot_process) == before, name

    # A good Fatebook file: Ada and Grace are outside forecasters (nobody mapped them).
    good = tmp_path / "fatebook.csv"
    good.write_bytes(FATEBOOK)
    done = await cli(bot_process, "import", str(good), "--guild", guild)
    assert done.returncode == 0, done.stderr
    assert "Imported 2 predictions from fatebook" in done.stdout

    # A moderator links Grace to bob through /augury link-forecaster, with the name autocompleted.
    asked = fake.autocomplete(
        "augury", p.subcommand("link-forecaster", p.option("name", "grac", focused=True))
    )
    await fake.dispatch("INTERACTION_CREATE", asked)
    callback = f"/interactions/{asked['id']}/{asked['token']}/callback"
    choices = await fake.wait_for(
        lambda: next(
            (r.json["data"]["choices"] for r in fake.requests if r.path == callback and r.json),
            None,
        ),
        8.0,
        message="for the name autocomplete",
    )
    assert [c["value"] for c in choices] == ["Grace Hopper"]
    command = p.subcommand(
        "link-forecaster",
        p.option("name", "Grace Hopper"),
        p.option("member", str(bob), type=p.USER),
    )
    refused = await flows.send(fake, fake.slash("augury", command, user="bob"))
    assert refused.ephemeral and "Only moderators" in refused.text
    linked = await flows.send(fake, fake.slash("augury", command, user="admin"), timeout=15)
    assert linked.ephemeral
    assert f"“Grace Hopper” is now <@{bob}>: 2 forecasts on 2 predictions" in linked.text
    with flows.database(bot_process.db_path) as db:
        for table, expected in (("scores", 1), ("vote_events", 2), ("votes", 2)):
            found = db.execute(f"SELECT count(*) FROM {table} WHERE user_id = ?", (bob,))
            assert found.fetchone()[0] == expected, table
    again = await flows.send(fake, fake.slash("augury", command, user="admin"))
    assert again.ephemeral and f"already linked to <@{bob}>" in again.text

    # bob sees the record as his own in his export.
    mine = await flows.send(
        fake, fake.slash("predictions", p.subcommand("export"), user="bob"), timeout=15
    )
    rows = list(csv.DictReader(io.StringIO(uploaded(fake, mine).decode("utf-8-sig"))))
    assert sorted((r["statement"], r["forecaster"], r["probability"]) for r in rows) == [
        ("Open question", str(bob), "99%"),
        ("Will it snow in March?", str(bob), "20%"),
    ]
    flows.assert_log_clean(bot_process)
