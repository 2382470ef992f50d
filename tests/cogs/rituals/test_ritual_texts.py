"""What the rituals post and whom they ping: the dispute post, the event body, the digest's
fitting of long lists (Discord's limits)."""

from __future__ import annotations

from datetime import UTC, datetime

import discord

from bot.domain.vocabulary import Outcome
from bot.services.disputes import Opened
from bot.services.events import EventWork
from bot.services.events.service import Action
from cogs.digest.embed import fit, plural
from cogs.disputes.posts import dispute_mentions, dispute_post
from cogs.events.sync import event_body
from cogs.track_record.embeds import mark_disputed

WHEN = datetime(2027, 1, 1, 12, tzinfo=UTC)


def opened(role: int | None) -> Opened:
    return Opened(
        dispute_id=1,
        prediction_id=2,
        number=7,
        statement="The dam holds",
        outcome=Outcome.YES,
        reason="@everyone <@123> it **broke** on Tuesday\nsee the news",
        channel_id=10,
        message_id=11,
        thread_id=12,
        moderator_role_id=role,
        window_closes=WHEN,
    )


def test_a_dispute_pings_only_the_moderator_role_when_one_is_set() -> None:
    with_role = dispute_mentions(opened(555)).to_dict()
    assert with_role == {"parse": [], "roles": [555]}
    assert dispute_mentions(opened(None)).to_dict() == {"parse": []}
    text = dispute_post(opened(555), "bob*")
    assert text.startswith("⚖️ <@&555> **bob\\***")
    assert "> @everyone <@123> it \\*\\*broke\\*\\* on Tuesday\n> see the news" in text
    assert "(YES)" in text and "/augury dispute reopen number:7" in text


def test_an_event_fits_discords_fields() -> None:
    work = EventWork(Action.CREATE, 1, 2**60, 7, "word " * 60, WHEN, 2**60 + 1, 2**60 + 2, None)
    body = event_body(work)
    assert len(str(body["name"])) == 100 and str(body["name"]).endswith("…")
    assert len(body["entity_metadata"]["location"]) <= 100
    assert body["entity_metadata"]["location"].startswith("https://discord.com/channels/")
    assert body["scheduled_start_time"] == WHEN.isoformat()
    assert body["scheduled_end_time"] == "2027-01-01T13:00:00+00:00"
    assert (body["entity_type"], body["privacy_level"]) == (3, 2)


def test_long_lists_are_cut_to_whole_lines_and_counted() -> None:
    lines = [f"line {n} " + "x" * 300 for n in range(10)]
    value = fit(lines, 2000, "nothing")
    assert len(value) <= 1024
    assert value.endswith("…and 1997 more") and value.count("\n") == 3
    assert fit([], 0, "nothing") == "nothing"
    assert fit(["one"], 1, "nothing") == "one"
    assert plural(1, "forecaster") == "1 forecaster" and plural(2, "forecaster") == "2 forecasters"


def test_the_leaderboard_names_disputed_predictions() -> None:
    embed = mark_disputed(discord.Embed(title="Leaderboard"), [3, 9])
    assert embed.fields[0].name == "⚖️ Disputed"
    assert str(embed.fields[0].value).startswith("#3, #9: the scores count")
    assert not mark_disputed(discord.Embed(), []).fields
    many = mark_disputed(discord.Embed(), list(range(1, 31)))
    assert "and 10 more" in str(many.fields[0].value)
