"""Issue 11 settings UX, read as the member sees it: /notifications, /help, /timezone and the
/augury settings that show their value when given no argument (and clear only explicitly)."""

from __future__ import annotations

from tests.cogs.conftest import Harness
from tests.cogs.helpers import guild, uid
from tests.fakediscord import payloads as p


async def test_notifications_show_then_change_then_mute(harness: Harness) -> None:
    h = harness
    shown = await h.run(h.fake.slash("notifications", user="bob"))
    assert shown.ephemeral and "You are pinged in the prediction's thread" in shown.text
    assert "✅ my predictions falling due" in shown.text
    changed = await h.run(
        h.fake.slash(
            "notifications",
            p.option("where", "dm"),
            p.option("close_warnings", False, type=p.BOOLEAN),
            user="bob",
        )
    )
    assert changed.ephemeral and "Saved." in changed.text and "sent a DM" in changed.text
    assert "❌ voting about to close" in changed.text
    prefs = await h.services.notifications.preferences(uid(h, "bob"))
    assert prefs.where == "dm" and not prefs.muted
    muted = await h.run(
        h.fake.slash("notifications", p.option("mute", True, type=p.BOOLEAN), user="bob")
    )
    assert "🔇 **Muted**" in muted.text
    assert (await h.services.notifications.preferences(uid(h, "bob"))).where == "dm"  # kept


async def test_help_is_one_private_page(harness: Harness) -> None:
    reply = await harness.run(harness.fake.slash("help", user="bob"))
    assert reply.ephemeral and len(reply.messages) == 1
    [embed] = reply.embeds
    names = [f["name"] for f in embed["fields"]]
    assert names == [
        "🔮 Predict",
        "🗳️ Vote",
        "📊 Multiple choice",
        "⚖️ Resolve",
        "🎯 Scores",
        "🔔 Notifications",
    ]
    choices = next(f["value"] for f in embed["fields"] if f["name"] == "📊 Multiple choice")
    assert "geometric mean of odds" in choices  # the pool is named (issue 19)
    assert "0 is perfect, 0.25 is a coin flip" in str(embed)
    scores = next(f["value"] for f in embed["fields"] if f["name"] == "🎯 Scores")
    assert "Withdrawing a forecast does not erase it" in scores  # issue 17
    assert "only a moderator reopens it, with a reason" in scores


async def test_timezone_without_argument_shows_and_clear_is_explicit(harness: Harness) -> None:
    h = harness
    first = await h.run(h.fake.slash("timezone", user="bob"))
    assert first.ephemeral and "read in **UTC**, the server's (you set none)" in first.text
    await h.run(h.fake.slash("timezone", p.option("zone", "Europe/Berlin"), user="bob"))
    shown = await h.run(h.fake.slash("timezone", user="bob"))
    assert "read in **Europe/Berlin**, your own" in shown.text
    assert await h.services.timezones.own_zone(uid(h, "bob")) == "Europe/Berlin"  # not reset
    cleared = await h.run(
        h.fake.slash("timezone", p.option("clear", True, type=p.BOOLEAN), user="bob")
    )
    assert "cleared" in cleared.text and "**UTC**" in cleared.text
    assert await h.services.timezones.own_zone(uid(h, "bob")) is None


async def test_augury_channel_and_role_show_without_argument_and_clear_explicitly(
    harness: Harness,
) -> None:
    h = harness
    channel = p.option("channel", h.fake.general_channel_id, type=p.CHANNEL)
    await h.run(h.fake.slash("augury", p.subcommand("channel", channel), user="admin"))
    role = p.option("role", h.fake.moderator_role_id, type=p.ROLE)
    await h.run(h.fake.slash("augury", p.subcommand("moderator-role", role), user="admin"))

    shown = await h.run(h.fake.slash("augury", p.subcommand("channel"), user="admin"))
    assert f"New predictions are posted in <#{h.fake.general_channel_id}>" in shown.text
    shown_role = await h.run(h.fake.slash("augury", p.subcommand("moderator-role"), user="admin"))
    assert f"Moderators are <@&{h.fake.moderator_role_id}>" in shown_role.text
    config = await h.services.server_config.guild(guild(h))
    assert config.prediction_channel_id == int(h.fake.general_channel_id)  # never reset
    assert config.moderator_role_id == int(h.fake.moderator_role_id)

    clear = p.option("clear", True, type=p.BOOLEAN)
    await h.run(h.fake.slash("augury", p.subcommand("channel", clear), user="admin"))
    await h.run(h.fake.slash("augury", p.subcommand("moderator-role", clear), user="admin"))
    config = await h.services.server_config.guild(guild(h))
    assert config.prediction_channel_id is None and config.moderator_role_id is None
    both = await h.run(
        h.fake.slash("augury", p.subcommand("channel", channel, clear), user="admin")
    )
    assert both.ephemeral and "not both" in both.text


async def test_settings_are_grouped_and_voters_follow_is_a_setting(harness: Harness) -> None:
    h = harness
    reply = await h.run(
        h.fake.slash(
            "augury",
            p.subcommand("reminders", p.option("voters_follow", True, type=p.BOOLEAN)),
            user="admin",
        )
    )
    [embed] = reply.embeds
    names = [f["name"] for f in embed["fields"]]
    assert names == [
        "Where and who",
        "Voting (`/augury voting`)",
        "Reminders and pings (`/augury reminders`)",
    ]
    assert "Voters follow what they vote on: on" in str(embed)
    assert (await h.services.server_config.guild(guild(h))).voters_follow
