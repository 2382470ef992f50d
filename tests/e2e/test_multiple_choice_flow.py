"""Issue #19, multiple choice, end to end through the real process: /predict with a kind and
options, /vote in both syntaxes, a vote from the message's form, sums that are off, the bars,
options frozen after another's vote, /resolve to an option, and the scores in "How did I do?"."""

from __future__ import annotations

import pytest

from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p

pytestmark = pytest.mark.e2e

OPTIONS = "Anthropic | OpenAI | Google | Other"


async def test_multiple_choice_from_creation_to_scores(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    await flows.launch(bot_process)
    posted = await flows.predict(
        fake,
        "Which lab releases its next model first?",
        "in 3 months",
        p.option("kind", "multiple_choice"),
        p.option("options", OPTIONS),
        p.option("probability", "40/30/20/10"),
        keycaps=0,
    )
    pid = posted.prediction_id
    message = fake.message(posted.message_id)
    assert flows.bot_reactions(message) == []  # keycaps are probabilities: none seeded here
    footer = flows.embed_of(message)["footer"]["text"]
    assert "Vote with the 🗳️ Vote button (a % per option) or `/vote forecast`" in footer

    def vote(user: str, text: str) -> dict[str, object]:
        return fake.slash("vote", p.option("prediction", 1), p.option("forecast", text), user=user)

    # Both syntaxes, read by the question's kind.
    named = await flows.send(fake, vote("bob", "Anthropic 50, OpenAI 30, Google 15, Other 5"))
    assert named.ephemeral and (
        "Your forecast on #1 is now **Anthropic 50%, OpenAI 30%, Google 15%, Other 5%**."
        in named.text
    ), named.text
    ordered = await flows.send(fake, vote("carol", "20/50/20/10"))
    assert "**Anthropic 20%, OpenAI 50%, Google 20%, Other 10%**" in ordered.text, ordered.text

    # A sum a little off is scaled and said; further off is refused, naming the sum.
    scaled = await flows.send(fake, vote("bob", "50/30/15/4"))
    assert "added up to 99 %, scaled to 100 %" in scaled.text, scaled.text
    refused = await flows.send(fake, vote("bob", "60/30/20/10"))
    assert refused.ephemeral and "Your numbers add up to 120 %" in refused.text, refused.text

    # From the message in two taps: Vote opens the form prefilled with carol's forecast.
    click = await flows.open_vote_modal(fake, posted.message_id, "carol")
    record = fake.state.interactions[str(click["id"])]
    assert record.modal is not None
    field = flows.modal_inputs(record.modal)["A % per option, adding up to 100"]
    assert field.get("value") == "Anthropic 20%, OpenAI 50%, Google 20%, Other 10%"
    tapped = await flows.send(
        fake, flows.vote_submit(fake, click, "carol", "OpenAI 70, Anthropic 30")
    )
    assert "Google and Other got 1 %" in tapped.text, tapped.text

    # The bars, with the pool named.
    await flows.wait_for_render(
        fake, posted, lambda m: "3 forecasters" in flows.forecast(m), after=0, timeout=20
    )
    bars = flows.forecast(fake.message(posted.message_id))
    assert "geometric mean of odds of 3 forecasters" in bars
    assert bars.count("█") > 0 and "** Anthropic" in bars and "** Other" in bars

    # The history chart: one line per option, with its text beside it.
    show = fake.slash("predictions", p.subcommand("show", p.option("prediction", 1)), user="bob")
    shown = await flows.send(fake, show, timeout=60.0)
    (embed,) = (shown.request.json or {})["embeds"]
    assert embed["image"]["url"] == "attachment://choices.png"
    assert "Community: Anthropic" in flows.field(embed, "History")

    # Options are frozen once someone else voted, like the statement.
    edit = fake.slash(
        "predictions", p.subcommand("edit", p.option("prediction", 1), p.option("options", "A | B"))
    )
    frozen = await flows.send(fake, edit)
    assert frozen.ephemeral and "can no longer change" in frozen.text, frozen.text

    # /resolve by an option's name, autocompleted with the question's options.
    typed = fake.autocomplete(
        "resolve", p.option("prediction", 1), p.option("outcome", "GOO", focused=True)
    )
    await fake.dispatch("INTERACTION_CREATE", typed)
    answer = await fake.wait_for_request(
        method="POST", path=rf"^/interactions/{typed['id']}/{typed['token']}/callback$"
    )
    offered = [c["value"] for c in answer.json["data"]["choices"]]
    assert offered == ["Google"]  # the options matching what was typed
    resolved = await flows.send(
        fake, fake.slash("resolve", p.option("prediction", 1), p.option("outcome", "openai"))
    )
    assert resolved.text.startswith("Resolved #1 🎯 OpenAI"), resolved.text

    post = await fake.wait_for_request(
        lambda r: r.status == 200 and "resolved 🎯 OpenAI" in str((r.json or {}).get("content")),
        method="POST",
        path=rf"^/channels/{posted.thread_id}/messages$",
    )
    post_id = str(post.response["id"])
    mine = await flows.send(fake, fake.click(post_id, f"augury:howdid:{pid}", user="carol"))
    assert mine.ephemeral and "You said **Anthropic 29.4%, OpenAI 68.6%" in mine.text, mine.text
    # carol: (.294)² + (.686−1)² + .01² + .01² = 0.18517
    assert "Your penalty here: **0.185**" in mine.text, mine.text

    # /stats of a member with multiple-choice forecasts only: no empty yes/no calibration.
    stats = await flows.send(fake, fake.slash("stats", p.subcommand("member"), user="carol"))
    (card,) = (stats.request.json or {})["embeds"]
    assert "Calibration is for yes/no forecasts: none among these yet." in card["description"]
    assert not any(f["name"].startswith("Calibration") for f in card.get("fields") or [])
    assert stats.request.files == []
    assert fake.violations == []
    flows.assert_log_clean(bot_process)
