"""/stats and /leaderboard with a multiple-choice question beside yes/no ones: the relative
score mixes kinds, the raw figures say whose scale they are, and ``kind`` keeps one kind."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.actor import Actor
from bot.services.predictions.service import NewPrediction
from tests.cogs.conftest import Harness
from tests.cogs.helpers import embed_fields, guild, uid
from tests.fakediscord import payloads as p

DAY = timedelta(days=1)


async def two_kinds(h: Harness) -> None:
    """#1 multiple choice (A | B), bob 30/70 and carol 80/20, resolved B; #2 yes/no, bob 80 %,
    resolved YES."""
    mod = uid(h, "mod")
    choice = await h.services.predictions.create(
        NewPrediction(
            guild(h), mod, "A or B?", "2027-06-30", kind="multiple_choice",
            kind_fields={"options": "A | B"},
        )
    )  # fmt: skip
    rain = await h.services.predictions.create(NewPrediction(guild(h), mod, "Rain", "2027-06-30"))
    await h.services.votes.vote(guild(h), choice.id, uid(h, "bob"), (300, 700), "slash")
    await h.services.votes.vote(guild(h), choice.id, uid(h, "carol"), (800, 200), "slash")
    await h.services.votes.vote(guild(h), rain.id, uid(h, "bob"), 800, "slash")
    h.clock.advance(DAY)
    await h.services.resolution.resolve(guild(h), choice.number, Actor(mod), "B")
    await h.services.resolution.resolve(guild(h), rain.number, Actor(mod), "yes")
    await h.services.server_config.update_guild(guild(h), leaderboard_min_resolved=1)


async def test_stats_say_which_kind_their_figures_are_of(harness: Harness) -> None:
    h = harness
    await two_kinds(h)
    every = (await h.run(h.fake.slash("stats", p.subcommand("member"), user="bob"))).embeds[0]
    assert every["description"].startswith("2 resolved forecasts\n-# Relative Brier: every kind")
    assert "Brier (final forecast)" in embed_fields(every)

    command = p.subcommand("member", p.option("kind", "multiple_choice"))
    one = (await h.run(h.fake.slash("stats", command, user="bob"))).embeds[0]
    assert one["title"] == "Track record · bob · multiple choice"
    assert one["description"].startswith("1 resolved forecast\n-# Multiple choice questions only")
    assert set(embed_fields(one)) >= {"Penalty (final forecast)", "Relative Brier"}

    none = await h.run(h.fake.slash("stats", command, user="alice"))
    assert "**alice** has no resolved forecasts on multiple choice questions yet." in none.text


async def test_the_leaderboard_ranks_every_kind_or_one(harness: Harness) -> None:
    h = harness
    await two_kinds(h)
    every = (await h.run(h.fake.slash("leaderboard", user="bob"))).embeds[0]
    assert every["title"] == "Leaderboard · relative Brier · all time"
    assert "Every kind of question counts" in every["description"]
    assert "2 ranked" in every["footer"]["text"]
    yes_no = (await h.run(h.fake.slash("leaderboard", p.option("kind", "yes_no")))).embeds[0]
    assert yes_no["title"].endswith("· yes/no") and "1 ranked" in yes_no["footer"]["text"]
    brier = await h.run(h.fake.slash("leaderboard", p.option("metric", "brier")))
    assert brier.embeds[0]["title"].endswith("· yes/no")  # a raw metric: one kind's scale


async def test_calibration_is_named_yes_no_and_left_out_when_there_is_none(
    harness: Harness,
) -> None:
    """carol resolved only a multiple-choice forecast: no "Calibration: no resolved forecasts
    yet" beside her scores (a contradiction), but a note saying calibration is yes/no's, and
    no empty chart. bob has both kinds: his calibration says it counts yes/no only."""
    h = harness
    await two_kinds(h)
    carol = await h.run(h.fake.slash("stats", p.subcommand("member"), user="carol"))
    embed = carol.embeds[0]
    assert embed["description"].startswith("1 resolved forecast\n")
    assert embed["description"].endswith(
        "\n-# Calibration is for yes/no forecasts: none among these yet."
    )
    assert not any(name.startswith("Calibration") for name in embed_fields(embed))
    assert "image" not in embed and carol.messages[0]["attachments"] == []

    bob = (await h.run(h.fake.slash("stats", p.subcommand("member"), user="bob"))).embeds[0]
    assert embed_fields(bob)["Calibration (yes/no)"] == "Said 75–85%: happened 1 of 1 (100%)"
    assert bob["image"]["url"] == "attachment://calibration.png"
    assert "Calibration is for yes/no forecasts" not in bob["description"]

    command = p.subcommand("server", p.option("kind", "multiple_choice"))
    server = (await h.run(h.fake.slash("stats", command))).embeds[0]
    assert server["description"].endswith("-# Multiple choice questions only. Calibration is "
                                          "for yes/no.")  # fmt: skip
    assert not any(name.startswith("Calibration") for name in embed_fields(server))
    assert "image" not in server
