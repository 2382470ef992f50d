"""Issue 23, commands: moderator actions hidden under ``/augury``, select menus that save on
change, and autocomplete that fits the command — against the real ``python -m bot`` process."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p
from tests.fakediscord.constants import ResponseType

pytestmark = pytest.mark.e2e

JSON = dict[str, Any]
MODERATOR_ACTIONS = {"tags", "export", "link-forecaster"}


async def callback(fake: FakeDiscord, payload: JSON, kind: int) -> JSON:
    """Dispatch ``payload`` and wait for the bot's callback of type ``kind``; its data."""
    await fake.dispatch("INTERACTION_CREATE", payload)
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    found: JSON = await fake.wait_for(
        lambda: next(
            (
                r.json["data"]
                for r in fake.requests
                if r.path == path and r.json and r.json.get("type") == kind
            ),
            None,
        ),
        10.0,
        message=f"for a callback of type {kind} to {payload.get('data')}",
    )
    return found


def private_message_id(fake: FakeDiscord, payload: JSON) -> str:
    return str(fake.state.interactions[str(payload["id"])].original_id)


async def test_moderator_commands_hidden_selects_save_and_autocomplete_fits(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    await flows.launch(bot_process)

    # Synced: /augury is listed for Manage Server only, and holds the moderator actions.
    augury = fake.state.find_command("augury")
    assert augury["default_member_permissions"] == str(1 << 5)
    assert {o["name"] for o in augury["options"]} >= MODERATOR_ACTIONS
    predictions = fake.state.find_command("predictions")
    assert predictions["default_member_permissions"] is None
    assert not {o["name"] for o in predictions["options"]} & (MODERATOR_ACTIONS - {"export"})
    for name in ("predict", "predictions", "augury"):
        command = fake.state.find_command(name)
        assert command["contexts"] == [0] and command["integration_types"] == [0], name
    member, admin = fake.commands_listed_for("bob"), fake.commands_listed_for("admin")
    assert "augury" not in member and {"predict", "predictions", "vote"} <= set(member)
    assert "augury" in admin

    # A moderator renames a tag under /augury.
    first = await flows.predict(fake, "The river freezes", "in 3 months", p.option("tags", "ice"))
    rename = p.subcommand_group(
        "tags", p.subcommand("rename", p.option("old", "ice"), p.option("new", "winter"))
    )
    renamed = await flows.send(fake, fake.slash("augury", rename, user="admin"), timeout=15)
    assert renamed.ephemeral and "Renamed `ice` into `winter`" in renamed.text
    with flows.database(bot_process.db_path) as db:
        assert [r[0] for r in db.execute("SELECT name FROM tags")] == ["winter"]

    # The notifications panel: the topics select saves on change and says what it stored.
    opened = fake.slash("notifications", user="bob")
    panel = await flows.send(fake, opened)
    assert panel.ephemeral
    panel_id = private_message_id(fake, opened)
    chosen = fake.click(panel_id, "augury:notify:topics", user="bob", values=["notify_resolutions"])
    saved = await callback(fake, chosen, ResponseType.UPDATE_MESSAGE)
    assert saved["content"].startswith(
        "✅ Saved: told about resolutions of predictions I voted on or follow."
    )
    with flows.database(bot_process.db_path) as db:
        row = db.execute(
            "SELECT notify_my_due, notify_resolutions FROM user_settings WHERE user_id = ?",
            (int(fake.user_id("bob")),),
        ).fetchone()
    assert tuple(row) == (0, 1)

    # The keycap multi-select saves, and the next prediction is seeded with those keycaps.
    asked = fake.slash("augury", p.subcommand("voting"), user="admin")
    await flows.send(fake, asked)
    keycaps = fake.click(
        private_message_id(fake, asked),
        "augury:settings:keycaps",
        user="admin",
        values=["2", "4", "6", "8"],
    )
    stored = await callback(fake, keycaps, ResponseType.UPDATE_MESSAGE)
    assert stored["content"] == "✅ Saved: new predictions get the keycap reactions 2️⃣ 4️⃣ 6️⃣ 8️⃣."
    second = await flows.predict(fake, "The ferry runs all winter", "in 4 months", keycaps=4)
    assert flows.bot_reactions(fake.message(second.message_id)) == [
        flows.keycap(tens) for tens in (2, 4, 6, 8)
    ]

    # Autocomplete of reopen offers only resolved predictions.
    resolved = await flows.send(
        fake,
        fake.slash(
            "resolve",
            p.option("prediction", first.number),
            p.option("outcome", "yes"),
            user="alice",
        ),
        timeout=15,
    )
    assert resolved.text.startswith(f"Resolved #{first.number} ✅ YES")
    typing = p.option("prediction", "", focused=True, type=p.STRING)
    offered = await callback(
        fake,
        fake.autocomplete("predictions", p.subcommand("reopen", typing), user="alice"),
        ResponseType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT,
    )
    assert [c["value"] for c in offered["choices"]] == [first.number]
    assert second.number != first.number
    flows.assert_log_clean(bot_process)
