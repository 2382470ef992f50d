"""Every command, with good and bad input, from members and admins, against the real process:
each gets an answer, every error is private, and the bot logs no error (it found
``/augury voting visibility:`` answering "nothing was changed" after storing the change)."""

from __future__ import annotations

import pytest

from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.e2e.member_texts import assert_member_texts_clean, mentions_sent
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p
from tests.fakediscord.payloads import JSON

pytestmark = pytest.mark.e2e

o, sub = p.option, p.subcommand
IN_3_MONTHS = o("resolves", "in 3 months")


def tags(*options: JSON) -> JSON:
    return p.subcommand_group("tags", *options)


def season(*options: JSON) -> JSON:
    return p.subcommand_group("season", *options)


CASES: list[tuple[str, list[JSON], str]] = [
    ("predict", [o("statement", "Rain tomorrow"), o("resolves", "tomorrow")], "alice"),
    ("predict", [o("statement", "Past"), o("resolves", "yesterday")], "alice"),
    ("predict", [o("statement", "Bad"), o("resolves", "2027-02-30")], "alice"),
    ("predict", [o("statement", ""), IN_3_MONTHS], "alice"),
    ("predict", [o("statement", "P"), IN_3_MONTHS, o("probability", "abc")], "alice"),
    ("predict", [o("statement", "P"), IN_3_MONTHS, o("probability", "150")], "alice"),
    ("predict", [o("statement", "P"), IN_3_MONTHS, o("closes", "in 4 months")], "bob"),
    (
        "predict",
        [o("statement", "P2"), IN_3_MONTHS, o("probability", "55%"), o("tags", "Climate, x")],
        "bob",
    ),
    (
        "predict",
        [o("statement", "@everyone <@&1>"), IN_3_MONTHS, o("visibility", "hidden_until_vote")],
        "carol",
    ),
    ("vote", [o("prediction", 1), o("probability", "70")], "bob"),
    ("vote", [o("prediction", 99), o("probability", "70")], "bob"),
    ("vote", [o("prediction", 1), o("probability", "x")], "bob"),
    ("vote", [o("prediction", 1), o("probability", "100"), o("reason", "sure")], "carol"),
    ("vote", [o("prediction", 0), o("probability", "50")], "carol"),
    ("resolve", [o("prediction", 1), o("outcome", "yes")], "bob"),
    ("resolve", [o("prediction", 99), o("outcome", "yes")], "alice"),
    ("predictions", [sub("show", o("prediction", 1))], "bob"),
    ("predictions", [sub("show", o("prediction", 99))], "bob"),
    ("predictions", [sub("list")], "bob"),
    ("predictions", [sub("list", o("status", "resolved"))], "bob"),
    ("predictions", [sub("list", o("tag", "nope"))], "bob"),
    ("predictions", [sub("list", o("show", "needs_my_vote"))], "bob"),
    ("predictions", [sub("edit", o("prediction", 1))], "alice"),
    ("predictions", [sub("edit", o("prediction", 1), o("resolves", "yesterday"))], "alice"),
    ("predictions", [sub("edit", o("prediction", 1), o("statement", "New"))], "bob"),
    ("predictions", [sub("edit", o("prediction", 1), o("add_tags", "x" * 80))], "alice"),
    ("predictions", [sub("history", o("prediction", 1))], "bob"),
    ("predictions", [sub("history", o("prediction", 42))], "bob"),
    ("predictions", [sub("follow", o("prediction", 1))], "bob"),
    ("predictions", [sub("unfollow", o("prediction", 1))], "bob"),
    ("predictions", [sub("unfollow", o("prediction", 7))], "bob"),
    ("predictions", [sub("reopen", o("prediction", 1))], "alice"),
    ("predictions", [sub("cancel", o("prediction", 1))], "bob"),
    ("predictions", [sub("export")], "bob"),
    ("augury", [sub("export")], "bob"),
    ("augury", [sub("export", o("format", "json"))], "admin"),
    ("augury", [tags(sub("rename", o("old", "climate"), o("new", "weather")))], "bob"),
    ("augury", [tags(sub("rename", o("old", "climate"), o("new", "weather")))], "admin"),
    ("augury", [tags(sub("rename", o("old", "nope"), o("new", "x")))], "admin"),
    ("stats", [sub("member")], "bob"),
    ("stats", [sub("member", o("tag", "nope"))], "carol"),
    ("stats", [sub("server")], "mod"),
    ("leaderboard", [o("period", "30d"), o("metric", "log")], "alice"),
    ("timezone", [], "bob"),
    ("timezone", [o("zone", "Mars/Phobos")], "bob"),
    ("timezone", [o("zone", "")], "bob"),
    ("timezone", [o("zone", "europe/berlin")], "bob"),
    ("timezone", [o("clear", True)], "bob"),
    ("timezone", [o("zone", "UTC"), o("clear", True)], "bob"),
    ("notifications", [], "bob"),
    ("notifications", [o("where", "dm"), o("mute", True)], "bob"),
    ("help", [], "bob"),
    ("augury", [sub("settings")], "bob"),
    ("augury", [sub("settings")], "admin"),
    ("augury", [sub("channel")], "admin"),
    ("augury", [sub("moderator-role")], "admin"),
    ("augury", [sub("timezone", o("zone", "Nowhere/Land"))], "admin"),
    ("augury", [sub("timezone", o("zone", "Europe/Paris"))], "admin"),
    ("augury", [sub("voting", o("keycaps", "banana"))], "admin"),
    ("augury", [sub("voting", o("visibility", "hidden_until_close"))], "admin"),
    ("augury", [sub("reminders", o("interval_hours", 0))], "admin"),
    ("augury", [sub("reminders", o("count", 3), o("voters_follow", True))], "admin"),
    ("augury", [sub("reminders-failed")], "admin"),
    ("privacy", [sub("forget-me")], "carol"),
    ("augury", [season(sub("list"))], "admin"),
    ("augury", [season(sub("end"))], "admin"),
    ("augury", [season(sub("start", o("name", "Q1"), o("ends", "yesterday")))], "admin"),
    ("augury", [season(sub("start", o("name", "Q1"), o("tags", "a,b,c,d,e,f")))], "admin"),
    ("augury", [season(sub("start", o("name", "Q1"), o("ends", "in 3 months")))], "admin"),
    ("augury", [season(sub("start", o("name", "Q2")))], "admin"),
    ("augury", [season(sub("roles"))], "admin"),
    ("augury", [season(sub("list"))], "bob"),
    ("leaderboard", [o("season", "Q1")], "bob"),
    ("leaderboard", [o("season", "Nope")], "bob"),
    ("stats", [sub("server", o("season", "Q1"))], "bob"),
    ("stats", [sub("member", o("season", "nope"))], "carol"),
]


async def test_every_command_answers_and_errors_are_private(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    await flows.launch(bot_process)
    unanswered, public_errors = [], []
    for name, options, who in CASES:
        payload = fake.slash(name, *options, user=who)
        try:
            answer = await flows.send(fake, payload, timeout=10)
        except TimeoutError:
            unanswered.append((name, options, who))
            continue
        if answer.text.startswith("⚠️") and not answer.ephemeral:
            public_errors.append((name, options, answer.text))
    assert unanswered == []
    assert public_errors == []
    flows.assert_log_clean(bot_process)
    # The string sweep (issue 23): every text those answers and posts showed members.
    assert_member_texts_clean(fake)
    vote_id = next(c["id"] for c in fake.state.commands[fake.guild_id] if c["name"] == "vote")
    assert {f"</vote:{vote_id}>", "</predictions reopen:"} <= {  # /help's, at least
        m if m.startswith("</vote") else m.split(":")[0] + ":" for m in mentions_sent(fake)
    }
