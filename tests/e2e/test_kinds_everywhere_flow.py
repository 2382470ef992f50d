"""Issue 19, "everywhere else", end to end through the real process: a member tracks a post as
a multiple-choice question ("Track as prediction"), and that question reads right in every
place a forecast or an outcome is said — /predictions list, show and history, the reminder and
its Resolve menu, the resolution post, "How did I do?", the leaderboard's kind filter, and the
records command line's export and import round trip (with a post tracked as a date question)
— while a yes/no vote is given as odds.

The bot reads real time: the question resolves in two hours, and once the forecasts are in the
test moves its dates back so that moment is now (``flows.come_due``, what the two hours passing
would leave behind); the real scheduler, polling every REMINDER_POLL_SECONDS=0.2, then finds
the reminder due. The command line runs in-process (``tests.e2e.admin.cli``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.e2e import flows
from tests.e2e.admin import cli
from tests.e2e.conftest import BotProcess
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p

pytestmark = pytest.mark.e2e

POST = "Whoever ships the next big model first: OpenAI, Anthropic or Google? I'll come back"
LATER = "They'll discuss it publicly sometime in 2027, I'll come back and edit this"
BOB = "OpenAI 20, Anthropic 70, Google 10"  # bob's forecast, in option names
BOB_SAID = "OpenAI 20%, Anthropic 70%, Google 10%"


def sub(name: str, **options: object) -> flows.JSON:
    return p.subcommand(name, *(p.option(k, v) for k, v in options.items()))


async def run(bot: BotProcess, database: Path | None, *args: str) -> str:
    """``python -m bot ARGS`` against the bot's database, or another one."""
    extra = {} if database is None else {"DATABASE_URL": f"sqlite+aiosqlite:///{database}"}
    done = await cli(bot, *args, **extra)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


async def export_from(bot: BotProcess, database: Path | None, out: Path, guild: str) -> Any:
    await run(bot, database, "export", "--guild", guild, "--format", "json", "--out", str(out))
    return exported(out)


def exported(out: Path) -> Any:
    """The export's document, without the moment it was taken."""
    document = json.loads(out.read_text(encoding="utf-8"))
    document.pop("exported_at")
    return document


def embed_in(answer: flows.Answer) -> flows.JSON:
    """The embed of an answer (the interaction's callback, or the follow-up after a defer)."""
    body = answer.request.json or {}
    return dict((body.get("data") or body)["embeds"][0])


async def test_a_multiple_choice_question_reads_right_everywhere_and_odds_vote_yes_no(
    fake_discord: FakeDiscord, bot_process: BotProcess, tmp_path: Path
) -> None:
    fake = fake_discord
    await flows.launch(bot_process)
    guild = fake.guild_id

    def vote(number: int, who: str, **given: str) -> flows.JSON:
        options = (p.option(name, text) for name, text in given.items())
        return fake.slash("vote", p.option("prediction", number), *options, user=who)

    assert (await flows.send(fake, fake.slash(
        "augury", sub("reminders", leaderboard_min=1), user="admin"
    ))).ephemeral  # fmt: skip

    # The seed use case: bob's post, tracked by alice as a multiple-choice question.
    source = fake.user_message(POST, user="bob")
    menu, opened = await flows.track_as(fake, source["id"], user="alice", kind="Multiple choice")
    assert opened.modal is not None
    inputs = flows.modal_inputs(opened.modal)
    assert inputs["Statement"].get("value") == POST
    values = {c["custom_id"]: c.get("value") or "" for c in inputs.values()}
    values[inputs["Resolution date"]["custom_id"]] = "in 2 hours"
    values[inputs["Options, separated by |"]["custom_id"]] = "OpenAI | Anthropic | Google"
    values[inputs["Your forecast (optional)"]["custom_id"]] = "50/30/20"
    record = fake.state.interactions[str(menu["id"])]
    created = await flows.send(fake, fake.submit_modal(values, user="alice", record=record))
    posted = await flows.posted_from(fake, created.text, keycaps=0)  # no keycaps on these
    pid, thread = posted.prediction_id, str(posted.thread_id)

    voted = await flows.send(fake, vote(1, "bob", forecast=BOB))
    assert voted.ephemeral and BOB_SAID in voted.text
    carol = await flows.send(fake, vote(1, "carol", forecast="20/30/50"))
    assert carol.ephemeral and "Google 50%" in carol.text

    # A yes/no question beside it, voted as odds: 3 to 1 for YES is 75 %.
    rain = await flows.predict(fake, "It rains on the parade", "in 3 months", user="carol")
    odds = await flows.send(fake, vote(2, "bob", probability="3:1"))
    assert odds.ephemeral and "75%" in odds.text
    assert flows.votes(bot_process.db_path, rain.prediction_id)[int(fake.user_id("bob"))] == 750

    # The two hours pass (the dates move back: the test does not wait for them).
    flows.come_due(bot_process.db_path, pid)
    # The reminder asks for the answer and carries the question's own Resolve menu.
    sent = await fake.wait_for_request(
        lambda r: r.status == 200 and "⏰" in str((r.json or {}).get("content")),
        timeout=25,
        method="POST",
        path=rf"^/channels/{thread}/messages$",
    )
    assert "What was the answer?" in sent.json["content"]
    reminder_id = str(sent.response["id"])
    assert flows.custom_ids(fake.message(reminder_id)) == [
        f"augury:resolvemenu:{pid}",
        f"augury:reminder:{pid}:due:1:0",
    ]
    click = fake.click(reminder_id, f"augury:resolvemenu:{pid}")
    asked = await flows.send(fake, click)
    assert asked.ephemeral and "Choosing one resolves it" in asked.text
    choice_id = str(fake.state.interactions[str(click["id"])].original_id)
    [pick] = flows.custom_ids(fake.message(choice_id))
    done = await flows.send(
        fake, fake.click(choice_id, pick, values=["Anthropic"])
    )  # the resolver's confirmation: the answer in words, never ANSWERED
    assert done.text.startswith("Resolved #1 🎯 Anthropic.")

    post = await fake.wait_for_request(
        lambda r: r.status == 200 and "resolved 🎯" in str((r.json or {}).get("content")),
        method="POST",
        path=rf"^/channels/{thread}/messages$",
    )
    content = post.json["content"]
    assert content.startswith("**#1 resolved 🎯 Anthropic** by **alice**.")
    assert f"🥇 **bob** {BOB_SAID}" in content
    mine = await flows.send(
        fake, fake.click(str(post.response["id"]), f"augury:howdid:{pid}", user="bob")
    )
    assert mine.ephemeral and f"You said **{BOB_SAID}**" in mine.text
    assert "Your penalty here" in mine.text and "%" in mine.text

    # Lists, the prediction and its history say the answer in words.
    listed = await flows.send(fake, fake.slash("predictions", sub("list")))
    assert "🎯 Anthropic" in embed_in(listed)["description"]
    shown = await flows.send(fake, fake.slash("predictions", sub("show", number=1)))
    assert flows.field(embed_in(shown), "Status") == "Resolved 🎯 Anthropic"
    history = await flows.send(fake, fake.slash("predictions", sub("history", number=1)))
    assert "resolved it 🎯 “Anthropic”" in embed_in(history)["description"]

    # One leaderboard across kinds, and one kind.
    board = await flows.send(fake, fake.slash("leaderboard", p.option("kind", "multiple_choice")))
    embed = embed_in(board)
    assert embed["title"].endswith("· multiple choice")
    assert "3 ranked" in embed["footer"]["text"]

    # The seed use case again, as a date question: "when will they discuss it publicly?"
    later = fake.user_message(LATER, user="bob")
    menu, opened = await flows.track_as(fake, later["id"], user="carol", kind="Date")
    assert opened.modal is not None
    inputs = flows.modal_inputs(opened.modal)
    values = {c["custom_id"]: c.get("value") or "" for c in inputs.values()}
    values[inputs["Resolution date"]["custom_id"]] = "2028-01-01"
    values[inputs["Lowest value (a date: the earliest)"]["custom_id"]] = "2027-01-01"
    values[inputs["Highest value (a date: the latest)"]["custom_id"]] = "2027-12-31"
    record = fake.state.interactions[str(menu["id"])]
    dated = await flows.send(fake, fake.submit_modal(values, user="carol", record=record))
    when = await flows.posted_from(fake, dated.text, keycaps=0)
    assert flows.prediction_row(bot_process.db_path, when.prediction_id)["kind"] == "date"

    # The records command line: export, import into a fresh database, export again: the same.
    before = await export_from(bot_process, None, tmp_path / "before.json", guild)
    question = next(q for q in before["predictions"] if q["number"] == 1)
    assert question["kind"] == "multiple_choice"
    assert question["kind_spec"] == {"options": ["OpenAI", "Anthropic", "Google"]}
    assert question["outcome_value"] == {"option": 1, "text": "Anthropic"}
    fresh = tmp_path / "fresh.db"
    await run(bot_process, fresh, "migrate")
    said = await run(bot_process, fresh, "import", str(tmp_path / "before.json"), "--guild", guild)
    assert "3 prediction" in said, said
    after = await export_from(bot_process, fresh, tmp_path / "after.json", guild)
    for document in (before, after):
        document.pop("member_timezones", None)  # never imported: a member's zone is theirs
        for item in document["predictions"]:
            item["discord"] = None  # message ids are kept only in the prediction channel
    assert after == before
    assert fake.violations == []
    flows.assert_log_clean(bot_process)
