"""/predictions show|list|edit|cancel, /timezone and /augury through real interactions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.domain.vocabulary import ReminderKind
from bot.services.predictions.service import NewPrediction
from bot.services.reminders.attempts import MAX_FAILURES
from db.models import ReminderAttempt
from tests.cogs.conftest import Harness
from tests.cogs.helpers import (
    PNG_SIGNATURE,
    button,
    custom_ids,
    guild,
    post_with_votes,
    predict,
    uid,
)
from tests.fakediscord import payloads as p
from tests.fakediscord.constants import ResponseType


async def seed(h: Harness, count: int = 1, author: str = "alice") -> None:
    for i in range(count):
        await predict(
            h,
            p.option("statement", f"Statement number {i + 1}"),
            p.option("resolves", "2027-06-30"),
            user=author,
        )


def sub(name: str, **options: Any) -> dict[str, Any]:
    return p.subcommand(name, *(p.option(k, v) for k, v in options.items()))


async def test_show_renders_the_prediction(harness: Harness) -> None:
    h = harness
    await seed(h)
    reply = await h.run(h.fake.slash("predictions", sub("show", prediction=1)))
    assert not reply.ephemeral
    assert reply.embeds[0]["title"] == "#1 · Statement number 1"
    missing = await h.run(h.fake.slash("predictions", sub("show", prediction=7)))
    assert missing.ephemeral and "no prediction #7" in missing.text


async def test_list_pages_with_buttons_newest_first(harness: Harness) -> None:
    h = harness
    for i in range(12):
        await h.services.predictions.create(
            NewPrediction(
                guild_id=guild(h),
                author_id=uid(h, "bob"),
                statement=f"S{i + 1}",
                resolves="2027-06-30",
            )
        )
    reply = await h.run(h.fake.slash("predictions", sub("list")))
    assert reply.ephemeral
    description = reply.embeds[0]["description"]
    assert description.index("#12") < description.index("#3")
    assert "#2 " not in description and "Page 1 of 2" in reply.embeds[0]["footer"]["text"]
    message_id = reply.record.original_id
    assert message_id is not None
    next_id = button(h, message_id, "Next")["custom_id"]
    page_two = await h.run(h.fake.click(message_id, next_id))
    assert page_two.record.response_type == ResponseType.UPDATE_MESSAGE
    edited = h.fake.message(message_id)["embeds"][0]
    assert "**#2**" in edited["description"] and "Page 2 of 2" in edited["footer"]["text"]
    filtered = await h.run(
        h.fake.slash(
            "predictions",
            p.subcommand(
                "list",
                p.option("status", "open"),
                p.option("author", h.fake.user_id("alice"), type=p.USER),
            ),
        )
    )
    assert "No predictions match" in filtered.embeds[0]["description"]


async def test_autocomplete_by_number_and_text(harness: Harness) -> None:
    h = harness
    await seed(h, 3)
    payload = h.fake.autocomplete(
        "predictions",
        p.subcommand("show", p.option("prediction", "number 2", focused=True, type=p.STRING)),
    )
    reply = await h.run(payload)
    assert reply.choices is not None
    assert [c["value"] for c in reply.choices] == [2]
    assert reply.choices[0]["name"] == "#2 [open] · Statement number 2"  # with its state


async def test_edit_by_author_updates_message_and_log(harness: Harness) -> None:
    h = harness
    await seed(h)
    reply = await h.run(
        h.fake.slash(
            "predictions",
            sub("edit", prediction=1, statement="Sharper statement", resolves="2027-07-31"),
        )
    )
    assert reply.ephemeral and "statement" in reply.text and "resolution date" in reply.text
    info = await h.services.predictions.get(guild(h), 1)
    assert info.message_id is not None
    embed = h.fake.message(str(info.message_id))["embeds"][0]
    assert embed["title"] == "#1 · Sharper statement" and "edited" in embed["footer"]["text"]
    assert [f for _, f, _ in await h.services.predictions.edits(guild(h), 1)] == [
        "statement",
        "resolves_at",
    ]


@pytest.mark.parametrize("command", ["edit", "cancel"])
async def test_someone_elses_prediction_is_refused(harness: Harness, command: str) -> None:
    h = harness
    await seed(h, author="alice")
    options = {"prediction": 1, **({"details": "hijack"} if command == "edit" else {})}
    reply = await h.run(h.fake.slash("predictions", sub(command, **options), user="bob"))
    assert reply.ephemeral and "Only the author of #1 or a moderator" in reply.text
    assert (await h.services.predictions.get(guild(h), 1)).status == "open"


async def test_moderator_role_may_cancel_and_cancelled_cannot_be_edited(harness: Harness) -> None:
    h = harness
    await seed(h, author="alice")
    await h.services.server_config.update_guild(
        guild(h), moderator_role_id=int(h.fake.moderator_role_id)
    )
    reply = await h.run(h.fake.slash("predictions", sub("cancel", prediction=1), user="mod"))
    assert "Cancelled #1" in reply.text
    info = await h.services.predictions.get(guild(h), 1)
    assert info.status == "cancelled"
    message = h.fake.message(str(info.message_id))
    assert "Cancelled" in str(message["embeds"][0]["fields"]) and message["components"] == []
    again = await h.run(h.fake.slash("predictions", sub("edit", prediction=1, details="x")))
    assert "cancelled" in again.text


async def test_timezone_sets_and_rejects(harness: Harness) -> None:
    h = harness
    reply = await h.run(h.fake.slash("timezone", p.option("zone", "europe/berlin")))
    assert reply.ephemeral and "Europe/Berlin" in reply.text
    bad = await h.run(h.fake.slash("timezone", p.option("zone", "Mars/Olympus")))
    assert bad.ephemeral and "Europe/Berlin" in bad.text  # the example of a valid zone
    choices = await h.run(h.fake.autocomplete("timezone", p.option("zone", "berl", focused=True)))
    assert choices.choices and choices.choices[0]["value"] == "Europe/Berlin"


async def test_admin_settings_need_manage_server(harness: Harness) -> None:
    h = harness
    channel = p.option("channel", h.fake.general_channel_id, type=p.CHANNEL)
    refused = await h.run(h.fake.slash("augury", p.subcommand("channel", channel), user="bob"))
    assert refused.ephemeral and "Manage Server" in refused.text
    done = await h.run(h.fake.slash("augury", p.subcommand("channel", channel), user="admin"))
    assert f"<#{h.fake.general_channel_id}>" in done.text
    role = p.option("role", h.fake.moderator_role_id, type=p.ROLE)
    await h.run(h.fake.slash("augury", p.subcommand("moderator-role", role), user="admin"))
    zone = await h.run(
        h.fake.slash(
            "augury", p.subcommand("timezone", p.option("zone", "America/New_York")), user="admin"
        )
    )
    assert "America/New_York" in zone.text
    config = await h.services.server_config.guild(guild(h))
    assert config.prediction_channel_id == int(h.fake.general_channel_id)
    assert config.moderator_role_id == int(h.fake.moderator_role_id)
    assert config.timezone == "America/New_York"
    bad = await h.run(
        h.fake.slash("augury", p.subcommand("voting", p.option("keycaps", "1,12")), user="admin")
    )
    assert "Keycaps" in bad.text


@pytest.mark.parametrize("visibility", ["visible", "hidden_until_vote", "hidden_until_close"])
async def test_setting_the_vote_visibility_answers_with_the_settings(
    harness: Harness, visibility: str
) -> None:
    h = harness
    option = p.option("visibility", visibility)
    reply = await h.run(h.fake.slash("augury", p.subcommand("voting", option), user="admin"))
    assert reply.ephemeral
    assert f"Vote visibility: {visibility.replace('_', ' ')}" in str(reply.embeds)
    assert (await h.services.server_config.guild(guild(h))).default_visibility == visibility


async def test_show_attaches_the_history_chart_once_there_are_two_votes(
    harness: Harness,
) -> None:
    h = harness
    await seed(h)
    info = await h.services.predictions.get(guild(h), 1)
    await h.services.votes.vote(guild(h), info.id, uid(h, "bob"), 300, "slash")
    one = await h.run(h.fake.slash("predictions", sub("show", prediction=1)))
    assert "image" not in one.embeds[0]
    h.clock.advance(hours=2)
    await h.services.votes.vote(guild(h), info.id, uid(h, "carol"), 800, "slash")
    mark = h.fake.mark()
    two = await h.run(h.fake.slash("predictions", sub("show", prediction=1)))
    assert two.embeds[0]["image"]["url"] == "attachment://history.png"
    assert "History" in str(two.embeds[0]["fields"])
    upload = next(r for r in h.fake.requests[mark:] if r.files)
    png = upload.files[0].data
    assert png[:8] == PNG_SIGNATURE
    assert int.from_bytes(png[16:20], "big") == 800 and int.from_bytes(png[20:24], "big") == 560


async def test_unexpected_errors_get_an_apology_and_a_logged_traceback(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    h = harness
    await seed(h)

    async def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("database exploded: token=should-not-leak")

    monkeypatch.setattr(h.services.predictions, "get", broken)
    reply = await h.run(h.fake.slash("predictions", sub("show", prediction=1)))
    assert reply.ephemeral and "Sorry, something went wrong" in reply.text
    assert "exploded" not in reply.text and "should-not-leak" not in reply.text
    assert any(r.exc_info and "exploded" in str(r.exc_info[1]) for r in caplog.records)
    # The bot keeps running: the next command works.
    monkeypatch.undo()
    again = await h.run(h.fake.slash("predictions", sub("show", prediction=1)))
    assert again.embeds[0]["title"] == "#1 · Statement number 1"


async def test_admins_see_the_reminders_given_up(harness: Harness) -> None:
    h = harness
    none = await h.run(h.fake.slash("augury", p.subcommand("reminders-failed"), user="admin"))
    assert none.ephemeral and "none was given up" in none.embeds[0]["description"]
    await seed(h)
    info = await h.services.predictions.get(guild(h), 1)
    due = datetime(2027, 6, 30, tzinfo=UTC)
    async with h.services.ctx.sessions.begin() as session:  # as the scheduler leaves it
        session.add(
            ReminderAttempt(
                prediction_id=info.id,
                guild_id=guild(h),
                kind=ReminderKind.DUE,
                sequence=1,
                due_at=due,
                failures=MAX_FAILURES,
                parts_sent=0,
                last_error="403 Forbidden (error code: 50001): Missing Access",
                gave_up_at=due + timedelta(hours=16),
            )
        )
    listed = await h.run(h.fake.slash("augury", p.subcommand("reminders-failed"), user="admin"))
    text = listed.embeds[0]["description"]
    assert listed.ephemeral and text.startswith("**#1** reminder due <t:")
    assert f"after {MAX_FAILURES} attempts" in text and "50001" in text
    refused = await h.run(h.fake.slash("augury", p.subcommand("reminders-failed"), user="bob"))
    assert refused.ephemeral and "Manage Server" in refused.text


async def test_history_shows_who_did_what_privately_and_by_pages(harness: Harness) -> None:
    h = harness
    await post_with_votes(h)
    for index in range(11):
        await h.run(
            h.fake.slash(
                "predictions",
                p.subcommand(
                    "edit", p.option("prediction", 1), p.option("details", f"Update {index}")
                ),
            )
        )
    await h.run(h.fake.slash("resolve", p.option("prediction", 1), p.option("outcome", "no")))
    reply = await h.run(
        h.fake.slash("predictions", p.subcommand("history", p.option("prediction", 1)))
    )
    assert reply.ephemeral
    [embed] = reply.embeds
    assert embed["title"] == "History of #1"
    alice = h.fake.user_id("alice")
    assert (
        embed["description"].splitlines()[0].endswith(f"<@{alice}> created it: “The bridge opens”")
    )
    assert "Page 1 of 2 · 13 entries" in embed["footer"]["text"]
    assert reply.messages[0]["_fake_allowed_mentions"] == {"parse": []}
    page = await h.run(h.fake.click(reply.messages[0]["id"], custom_ids(reply.messages[0])[1]))
    assert page.record.responded
    shown = h.fake.message(reply.messages[0]["id"])["embeds"][0]["description"]
    assert shown.splitlines()[-1].endswith(f"<@{alice}> resolved it ❌ NO")
