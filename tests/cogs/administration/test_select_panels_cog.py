"""Select menus instead of typed lists and six switches (issue 23): the /notifications panel
and the keycaps of /augury voting save on change and say what they stored."""

from __future__ import annotations

import pytest

from bot.services.core.notifications import Topic, Where
from tests.cogs.conftest import Harness, Reply
from tests.cogs.helpers import guild, uid
from tests.fakediscord import payloads as p
from tests.fakediscord.constants import ComponentType, ResponseType

JSON = dict[str, object]


def components(h: Harness, message_id: str) -> dict[str, JSON]:
    return {
        str(c["custom_id"]): c
        for row in h.fake.message(message_id)["components"]
        for c in row["components"]
        if "custom_id" in c
    }


def preselected(select: JSON) -> list[str]:
    return [str(o["value"]) for o in select["options"] if o.get("default")]  # type: ignore[attr-defined]


def panel_id(reply: Reply) -> str:
    assert reply.ephemeral and reply.record.original_id is not None
    return reply.record.original_id


async def test_notifications_panel_saves_each_change_and_says_what_it_stored(
    harness: Harness,
) -> None:
    h = harness
    panel = panel_id(await h.run(h.fake.slash("notifications", user="bob")))
    shown = components(h, panel)
    topics, where = shown["augury:notify:topics"], shown["augury:notify:where"]
    assert topics["type"] == ComponentType.STRING_SELECT and topics["max_values"] == len(Topic)
    assert preselected(topics) == [t.value for t in Topic]  # the defaults: everything
    assert preselected(where) == ["thread"]

    chosen = [Topic.MY_DUE.value, Topic.RESOLUTIONS.value]
    saved = await h.run(h.fake.click(panel, "augury:notify:topics", user="bob", values=chosen))
    assert saved.record.response_type == ResponseType.UPDATE_MESSAGE
    prefs = await h.services.notifications.preferences(uid(h, "bob"))
    assert prefs.topics == {Topic.MY_DUE, Topic.RESOLUTIONS}
    said = h.fake.message(panel)["content"]
    assert said.startswith("✅ Saved: told about my predictions falling due, resolutions")
    assert preselected(components(h, panel)["augury:notify:topics"]) == chosen

    await h.run(h.fake.click(panel, "augury:notify:where", user="bob", values=["dm"]))
    assert (await h.services.notifications.preferences(uid(h, "bob"))).where == Where.DM
    assert "Saved: sent a DM" in h.fake.message(panel)["content"]

    await h.run(h.fake.click(panel, "augury:notify:mute:on", user="bob"))
    muted = await h.services.notifications.preferences(uid(h, "bob"))
    assert muted.muted and muted.topics == prefs.topics  # the choices are kept
    assert "augury:notify:mute:off" in components(h, panel)  # now it offers Unmute

    await h.run(h.fake.click(panel, "augury:notify:topics", user="bob", values=[]))
    assert (await h.services.notifications.preferences(uid(h, "bob"))).topics == frozenset()
    assert "Saved: nothing to be told about" in h.fake.message(panel)["content"]
    with pytest.raises(ValueError, match="offers no"):
        h.fake.click(panel, "augury:notify:where", user="bob", values=["carrier pigeon"])


async def test_voting_keycaps_are_a_multi_select_for_manage_server(harness: Harness) -> None:
    h = harness
    reply = await h.run(h.fake.slash("augury", p.subcommand("voting"), user="admin"))
    panel = panel_id(reply)
    keycaps = components(h, panel)["augury:settings:keycaps"]
    assert [o["value"] for o in keycaps["options"]] == [str(t) for t in range(11)]  # type: ignore[attr-defined]
    assert preselected(keycaps) == ["1", "3", "5", "7", "9"]  # the default

    refused = await h.run(h.fake.click(panel, "augury:settings:keycaps", user="bob", values=["2"]))
    assert refused.ephemeral and "Manage Server" in refused.text
    assert (await h.services.server_config.guild(guild(h))).reaction_keycaps == (1, 3, 5, 7, 9)

    await h.run(h.fake.click(panel, "augury:settings:keycaps", user="admin", values=["10", "0"]))
    assert (await h.services.server_config.guild(guild(h))).reaction_keycaps == (0, 10)
    assert h.fake.message(panel)["content"] == (
        "✅ Saved: new predictions get the keycap reactions 0️⃣ 🔟."
    )
    assert preselected(components(h, panel)["augury:settings:keycaps"]) == ["0", "10"]

    await h.run(h.fake.click(panel, "augury:settings:keycaps", user="admin", values=[]))
    assert (await h.services.server_config.guild(guild(h))).reaction_keycaps == ()
    assert "no keycap reactions" in h.fake.message(panel)["content"]
