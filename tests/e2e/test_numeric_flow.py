"""Issue 19, numeric and date questions, end to end through the real process: create with a
range, forecast by /vote and by the Forecast form (prefilled, repeated back in words), the
message's community line, the charts in /predictions show, resolve with a value and a date
question "not by the latest date", and the scores with the interval calibration in /stats."""

from __future__ import annotations

import pytest

from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p

pytestmark = pytest.mark.e2e
o = p.option


def embed_fields(answer: flows.Answer) -> dict[str, str]:
    embeds = (answer.request.json or {}).get("embeds") or (
        ((answer.request.json or {}).get("data") or {}).get("embeds") or []
    )
    return {f["name"]: f["value"] for embed in embeds for f in embed.get("fields") or []}


async def test_numeric_and_date_questions_from_creation_to_interval_calibration(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    await flows.launch(bot_process)
    seats = (o("kind", "numeric"), o("low", "0"), o("high", "650"), o("unit", "seats"))

    refused = await flows.send(
        fake,
        fake.slash("predict", o("statement", "Seats?"), o("resolves", "in 3 months"),
                   o("kind", "numeric"), o("low", "650"), o("high", "0")),
    )  # fmt: skip
    assert refused.ephemeral and "`low` must be below `high`" in refused.text
    posted = await flows.predict(
        fake,
        "How many seats will the party win?",
        "in 3 months",
        *seats,
        o("open_ends", "high"),
        o("probability", "42, 30 to 60"),
        keycaps=0,
    )
    pid = posted.prediction_id
    message = fake.message(posted.message_id)
    assert f"augury:range:{pid}" in flows.custom_ids(message)  # 📏 Forecast, not keycaps
    assert flows.bot_reactions(message) == []

    # bob forecasts by /vote and hears it repeated back; a median outside the interval is
    # refused, saying why, and stores nothing.
    voted = await flows.send(
        fake, fake.slash("vote", o("prediction", 1), o("forecast", "median 80, 80% 50-120"),
                         user="bob"),
    )  # fmt: skip
    assert voted.ephemeral
    assert "median 80 seats, 80 % between 50 and 120" in voted.text
    bad = await flows.send(
        fake, fake.slash("vote", o("prediction", 1), o("forecast", "42, 50 to 60"), user="carol")
    )
    assert bad.ephemeral and "below your median" in bad.text

    # carol uses the Forecast form: three fields; then bob's form comes prefilled.
    click = fake.click(posted.message_id, f"augury:range:{pid}", user="carol")
    opened = await flows.send(fake, click)
    assert opened.modal is not None
    assert set(flows.modal_inputs(opened.modal)) == {
        "Median (as likely below as above)",
        "10th percentile (10 % chance below)",
        "90th percentile (10 % chance above)",
    }
    record = fake.state.interactions[str(click["id"])]
    typo = await flows.send(
        fake, fake.submit_modal({"median": "45", "p10": "forty", "p90": "50"}, user="carol",
                                record=record),
    )  # fmt: skip
    assert typo.ephemeral and "The 10th percentile must be a number" in typo.text
    formed = await flows.send(
        fake, fake.submit_modal({"median": "45", "p10": "40", "p90": "50"}, user="carol",
                                record=record),
    )  # fmt: skip
    assert formed.ephemeral
    assert "median 45 seats, 80 % between 40 and 50" in formed.text
    again = await flows.send(fake, fake.click(posted.message_id, f"augury:range:{pid}", user="bob"))
    assert again.modal is not None
    prefilled = {k: v.get("value") for k, v in flows.modal_inputs(again.modal).items()}
    assert sorted(prefilled.values()) == ["120", "50", "80"]

    # The message says the community forecast: the linear pool of three.
    await flows.wait_for_render(
        fake,
        posted,
        lambda body: (
            "(3 forecasters)" in flows.forecast(body)
            and flows.forecast(body).startswith("**median")
        ),
        after=0,
    )
    shown = await flows.send(fake, fake.slash("predictions", p.subcommand("show", o("number", 1))))
    assert embed_fields(shown)["History"].startswith("Community: median")
    assert [f.filename for f in shown.request.files] == ["density.png", "fan.png"]

    # Resolved with a value; a date question resolved "not by the latest date".
    done = await flows.send(fake, fake.slash("resolve", o("prediction", 1), o("outcome", "45")))
    assert "45 seats" in done.text, done.text
    post = await fake.wait_for_request(
        lambda r: r.status == 200 and "resolved" in str((r.json or {}).get("content")),
        method="POST",
        path=rf"^/channels/{posted.thread_id}/messages$",
    )
    assert "density.png" in [f.filename for f in post.files]  # the outcome marked on it
    await flows.predict(
        fake,
        "When will the bridge open?",
        "in 3 months",
        o("kind", "date"),
        o("low", "2027-01-01"),
        o("high", "2027-12-31"),
        o("open_ends", "high"),
        o("probability", "2027-03-01, 2027-01-15 to 2027-06-30"),
        keycaps=0,
    )
    later = await flows.send(
        fake, fake.slash("resolve", o("prediction", 2), o("outcome", "not by the latest date"))
    )
    assert "after 2027-12-31" in later.text, later.text

    with flows.database(bot_process.db_path) as db:
        scored = db.execute(
            "SELECT prediction_id, COUNT(*) AS n FROM scores GROUP BY prediction_id"
        ).fetchall()
    assert {(row["prediction_id"], row["n"]) for row in scored} == {(pid, 3), (pid + 1, 1)}

    # /stats: carol's interval held 45; alice's held 45 and missed the bridge.
    carol = await flows.send(fake, fake.slash("stats", p.subcommand("member"), user="carol"))
    assert (
        "Your 80 % intervals held the answer 100 % of the time (1 of 1)"
        in (embed_fields(carol)["Intervals (numeric and date)"])
    )
    # No yes/no forecast resolved: no empty calibration beside the interval line, a note.
    assert not any(name.startswith("Calibration") for name in embed_fields(carol))
    (card,) = (carol.request.json or {})["embeds"]
    assert "Calibration is for yes/no forecasts: none among these yet." in card["description"]
    assert carol.request.files == []  # no empty calibration chart
    alice = await flows.send(fake, fake.slash("stats", p.subcommand("member")))
    assert (
        "held the answer 50 % of the time (1 of 2)"
        in (embed_fields(alice)["Intervals (numeric and date)"])
    )
    assert fake.violations == []
    flows.assert_log_clean(bot_process)
