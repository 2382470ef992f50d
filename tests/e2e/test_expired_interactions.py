"""Every interaction gets an answer across a restart (issue 10): the "Track as prediction"
form opened before it still creates the prediction; an old paginator button or an unknown
custom_id is told it expired, privately."""

from __future__ import annotations

import pytest

from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.e2e.member_texts import assert_member_texts_clean
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p

pytestmark = pytest.mark.e2e


async def test_forms_and_buttons_from_before_a_restart_get_answers(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    await flows.launch(bot_process)
    for index in range(12):  # more than one page of /predictions list, by three members
        # (one member alone would meet /predict's cooldown)
        author = ("alice", "bob", "carol")[index % 3]
        await flows.predict(fake, f"Forecast number {index}", "in 6 months", user=author)
    list_payload = fake.slash("predictions", p.subcommand("list"))
    listing = await flows.send(fake, list_payload)
    assert listing.ephemeral
    source = fake.user_message("The harbour bridge reopens by 2027-09-01, I promise")
    menu = fake.message_command("Track as prediction", source["id"])
    opened = await flows.send(fake, menu)
    assert opened.modal is not None
    form = fake.state.interactions[str(menu["id"])]

    await flows.relaunch(bot_process)

    submit = fake.submit_modal(
        {"statement": "The harbour bridge reopens", "resolves": "2027-09-01"}, record=form
    )
    created = await flows.send(fake, submit)
    assert "Posted prediction **#13**" in created.text, created.text
    row = flows.prediction_row(bot_process.db_path, 13)
    assert str(row["source_message_url"]).endswith(f"/{source['channel_id']}/{source['id']}")

    # The list's Next button lived in the old process's memory: it answers, privately.
    listed = fake.message(str(fake.state.interactions[str(list_payload["id"])].original_id))
    next_id = flows.custom_ids(listed)[-1]
    old = await flows.send(fake, fake.click(listed["id"], next_id))
    assert old.ephemeral and "This has expired" in old.text

    assert fake.violations == []
    flows.assert_log_clean(bot_process)
    assert_member_texts_clean(bot_process.fake)  # the string sweep (issue 23)
