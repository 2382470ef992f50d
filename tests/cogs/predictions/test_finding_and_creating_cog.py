"""Issue 11: /predictions list filters, purpose-aware autocomplete, /predict keeping what was
typed, the time zone named in the reply, and "Track as prediction" crediting the claimant."""

from __future__ import annotations

from datetime import timedelta

from tests.cogs.conftest import Harness
from tests.cogs.helpers import embed_fields, guild, predict, uid
from tests.fakediscord import payloads as p


async def _three(h: Harness) -> None:
    """#1 alice, due soon; #2 bob's; #3 alice, far off. bob votes on #1 and follows #3."""
    for n, (who, date) in enumerate(
        [("alice", "2027-01-01"), ("bob", "2027-06-30"), ("alice", "2028-01-01")], start=1
    ):
        reply = await predict(
            h, p.option("statement", f"Claim {n}"), p.option("resolves", date), user=who
        )
        assert f"**#{n}**" in reply.text
    ids = {n: (await h.services.predictions.get(guild(h), n)).id for n in (1, 2, 3)}
    await h.services.votes.vote(guild(h), ids[1], uid(h, "bob"), 600, "slash")
    await h.services.votes.set_following(guild(h), ids[3], uid(h, "bob"), True)


async def _listed(h: Harness, show: str, who: str = "bob") -> str:
    reply = await h.run(
        h.fake.slash("predictions", p.subcommand("list", p.option("show", show)), user=who)
    )
    assert reply.ephemeral
    return str(reply.embeds[0]["description"])


async def test_list_filters_needs_my_vote_due_mine_followed(harness: Harness) -> None:
    h = harness
    await _three(h)
    needs = await _listed(h, "needs_my_vote")
    assert "Claim 3" in needs and "Claim 1" not in needs  # bob voted on #1
    assert "Claim 2" in needs  # his own, but he gave no forecast on it yet
    mine = await _listed(h, "mine")
    assert "Claim 2" in mine and "Claim 1" not in mine
    followed = await _listed(h, "followed")
    assert "Claim 3" in followed and "Claim 2" in followed and "Claim 1" not in followed
    assert "No predictions match." in await _listed(h, "due")
    h.clock.advance(days=300)  # #1 and #2 are past their dates, unresolved
    due = await _listed(h, "due")
    assert "Claim 1" in due and "Claim 2" in due and "Claim 3" not in due


async def test_autocomplete_offers_what_the_command_can_act_on(harness: Harness) -> None:
    h = harness
    await _three(h)
    await h.run(h.fake.slash("predictions", p.subcommand("cancel", p.option("prediction", 3))))
    h.clock.advance(days=200)  # #1 is due now; #2 is still open
    vote = await h.run(h.fake.autocomplete("vote", p.option("prediction", "", focused=True)))
    assert [c["name"] for c in vote.choices or []] == ["#2 [open] · Claim 2"]
    resolve = await h.run(h.fake.autocomplete("resolve", p.option("prediction", "", focused=True)))
    assert [c["name"] for c in resolve.choices or []] == [
        "#1 [due] · Claim 1",  # due first
        "#2 [open] · Claim 2",
    ]


async def test_bad_date_keeps_the_text_and_gives_the_form_back(harness: Harness) -> None:
    h = harness
    await h.run(h.fake.slash("timezone", p.option("zone", "Europe/Berlin")))
    reply = await predict(
        h,
        p.option("statement", "The tram reaches the harbour"),
        p.option("resolves", "the 31st of Smarch"),
        p.option("probability", "65"),
        p.option("details", "Per the city's own timetable."),
    )
    assert reply.ephemeral and "Nothing was posted" in reply.text
    assert "Dates are read in **Europe/Berlin**" in reply.text
    assert "> The tram reaches the harbour" in reply.text
    assert (await h.services.predictions.list_page(guild(h))).total == 0
    [message] = reply.messages
    fix = message["components"][0]["components"][0]
    assert fix["label"] == "Fix it in a form"
    form = await h.run(h.fake.click(message["id"], fix["custom_id"]))
    assert form.modal is not None
    values = [
        c.get("value")
        for row in form.modal["components"]
        for c in ([row["component"]] if "component" in row else row["components"])
    ]
    assert values == [
        "The tram reaches the harbour",
        "the 31st of Smarch",
        "65",
        "Per the city's own timetable.",
    ]
    inputs = [
        c["custom_id"]
        for row in form.modal["components"]
        for c in ([row["component"]] if "component" in row else row["components"])
    ]
    posted = await h.run(h.fake.submit_modal({inputs[1]: "2027-03-31"}))
    assert "Posted prediction **#1**" in posted.text
    assert "reading what you typed in **Europe/Berlin**" in posted.text
    info = await h.services.predictions.get(guild(h), 1)
    assert info.details == "Per the city's own timetable."
    assert (await h.services.votes.community(info.id)).count == 1  # the 65 % survived


async def test_track_as_prediction_credits_the_messages_author(harness: Harness) -> None:
    h = harness
    message = h.fake.user_message("The stadium opens by June 30, 2027", user="carol")
    reply = await h.run(h.fake.message_command("Track as prediction", message["id"]))
    assert reply.modal is not None
    inputs = [
        c["custom_id"]
        for row in reply.modal["components"]
        for c in ([row["component"]] if "component" in row else row["components"])
    ]
    done = await h.run(h.fake.submit_modal({inputs[0]: "The stadium opens"}))
    assert "Posted prediction **#1**" in done.text
    info = await h.services.predictions.get(guild(h), 1)
    assert info.author_id == uid(h, "alice") and info.claimant_id == uid(h, "carol")
    await h.settle()
    public = h.fake.message(str(info.message_id))
    assert embed_fields(public["embeds"][0])["Claimed by"] == "**carol**"
    h.clock.advance(timedelta(days=1))
    await h.run(h.fake.slash("resolve", p.option("prediction", 1), p.option("outcome", "yes")))
    await h.settle()
    [post] = [
        m
        for m in h.fake.messages_in(str(info.thread_id))
        if (m.get("content") or "").startswith("**#1 resolved")
    ]
    assert {int(u["id"]) for u in post["mentions"]} == {uid(h, "carol")}  # told, as she allows
