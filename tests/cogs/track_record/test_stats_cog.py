"""/stats member, /stats server and /leaderboard through real interactions.

Resolved history is built through the services (create, vote, advance the FakeClock, resolve),
then the commands are run as members would run them and read back from the fake's records.
The expected scores are worked out by hand in each scenario's docstring.
"""

from __future__ import annotations

import math
import struct
import zlib
from datetime import timedelta

import pytest

from bot.domain.actor import Actor
from bot.services.core.dto import PredictionInfo
from bot.services.predictions.service import NewPrediction
from tests.cogs.conftest import Harness, Reply
from tests.cogs.helpers import PNG_SIGNATURE, button, embed_fields, guild, uid
from tests.fakediscord import payloads as p
from tests.fakediscord.constants import MessageFlag, ResponseType
from tests.fakediscord.payloads import JSON
from tests.fakediscord.state import UploadedFile

DAY = timedelta(days=1)
#: A rounded 3-decimal figure is within half a unit of its last digit of the exact value.
SHOWN = 0.0005 + 1e-9
#: Forecasters who are not members of the fake guild: the leaderboard only needs user ids.
GHOSTS = [3_000_000_000_000_000 + i for i in range(11)]


# --- building history through the services -----------------------------------------------------


async def prediction(h: Harness, statement: str) -> PredictionInfo:
    """A prediction by ``mod`` (who never votes), resolving well after every scenario."""
    return await h.services.predictions.create(
        NewPrediction(guild(h), uid(h, "mod"), statement, "2027-06-30")
    )


async def vote(h: Harness, info: PredictionInfo, user_id: int, permille: int) -> None:
    await h.services.votes.vote(guild(h), info.id, user_id, permille, "slash")


async def resolve(h: Harness, info: PredictionInfo, outcome: str) -> None:
    await h.services.resolution.resolve(guild(h), info.number, Actor(uid(h, "mod")), outcome)


async def bob_and_carol(h: Harness) -> None:
    """Two scored predictions and one annulled; t0 is the harness clock's start.

    #1 (YES at t0+2d): bob 60 % at t0 then 90 % at t0+1d; carol 20 % at t0.
        community: median(60, 20) = 40 % for a day, median(90, 20) = 55 % for a day.
        bob:   Brier (1-.9)² = .01, log ln .9, time (.16 + .01)/2 = .085,
               community over his window (.36 + .2025)/2 = .28125 → relative -.19625
        carol: Brier .64, log ln .2, time .64 → relative .64 - .28125 = .35875
        community's own record at the close: 55 % → Brier .2025, log ln .55
    #2 (NO at t0+1d): bob 30 %, carol 10 %; community median 20 % → Brier .04, log ln .8.
        bob:   Brier .09, log ln .7, time .09 → relative .05
        carol: Brier .01, log ln .9, time .01 → relative -.03
    #3 (AMBIGUOUS): bob 50 %: never scored.
    """
    bob, carol = uid(h, "bob"), uid(h, "carol")
    first, second, third = [await prediction(h, f"Scenario {n}") for n in (1, 2, 3)]
    await vote(h, first, bob, 600)
    await vote(h, first, carol, 200)
    await vote(h, second, bob, 300)
    await vote(h, second, carol, 100)
    await vote(h, third, bob, 500)
    h.clock.advance(DAY)
    await vote(h, first, bob, 900)
    await resolve(h, second, "no")
    await resolve(h, third, "ambiguous")
    h.clock.advance(DAY)
    await resolve(h, first, "yes")


# --- reading replies ---------------------------------------------------------------------------


def only_embed(reply: Reply) -> JSON:
    assert len(reply.embeds) == 1, reply.messages
    return reply.embeds[0]


def shown(text: str) -> float:
    """A figure as the embed shows it (``+0.050``, ``-0.231``, ``0.087``)."""
    return float(text)


def uploads(h: Harness, after: int) -> list[UploadedFile]:
    """Every file the bot uploaded (to a webhook follow-up or an edit) since ``after``."""
    return [
        upload
        for request in h.fake.find_requests(path=r"/webhooks/", after=after)
        for upload in request.files
    ]


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, checking the signature, the chunk and its CRC."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    body = data[16 : 16 + length]
    (crc,) = struct.unpack(">I", data[16 + length : 20 + length])
    assert zlib.crc32(kind + body) == crc
    assert data.endswith(b"IEND\xae\x42\x60\x82")
    width, height = struct.unpack(">II", body[:8])
    return width, height


def rows(embed: JSON) -> list[str]:
    """The ranked lines of a leaderboard page (after the metric's note)."""
    return [line for line in embed["description"].split("\n") if line.startswith("**")]


def ranked_ids(h: Harness, embed: JSON) -> list[int]:
    """The members of the rows: a mention's id, or the fake member a shown name belongs to."""
    names = {"alice", "bob", "carol", "admin", "mod"}
    found = []
    for line in rows(embed):
        who = line.split(".** ", 1)[1].split(" · ", 1)[0]
        if who in names:
            found.append(uid(h, who))
        else:
            found.append(int(who.removeprefix("<@").removesuffix(">")))
    return found


def embed_size(embed: JSON) -> int:
    """What Discord counts towards the 6000-character total of an embed."""
    parts = [embed.get("title", ""), embed.get("description", "")]
    parts += [embed.get("footer", {}).get("text", ""), embed.get("author", {}).get("name", "")]
    parts += [f["name"] + f["value"] for f in embed.get("fields", [])]
    return sum(len(part) for part in parts)


def within_limits(reply: Reply) -> None:
    """Checked here as well as by the fake (which fails the test at teardown)."""
    assert len(reply.text) <= 2000
    for embed in reply.embeds:
        assert len(embed.get("title", "")) <= 256
        assert len(embed.get("description", "")) <= 4096
        assert len(embed.get("fields", [])) <= 25
        assert all(len(f["value"]) <= 1024 for f in embed.get("fields", []))
        assert embed_size(embed) <= 6000


# --- /stats member -----------------------------------------------------------------------------


async def test_member_stats_show_hand_computed_scores_and_calibration(harness: Harness) -> None:
    h = harness
    await bob_and_carol(h)
    mark = h.fake.mark()
    reply = await h.run(h.fake.slash("stats", p.subcommand("member"), user="bob"))
    within_limits(reply)
    # Deferred first: charts take time.
    assert reply.record.response_type == ResponseType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    assert not reply.ephemeral
    embed = only_embed(reply)
    assert embed["title"] == "Track record · bob"
    assert embed["description"] == "2 resolved forecasts"  # #3 annulled; the name is the title
    values = embed_fields(embed)
    assert shown(values["Brier (final forecast)"]) == pytest.approx((0.01 + 0.09) / 2, abs=SHOWN)
    assert shown(values["Brier (time-averaged)"]) == pytest.approx((0.085 + 0.09) / 2, abs=SHOWN)
    assert values["Relative Brier"].startswith("-")  # beat the crowd: signed
    assert shown(values["Relative Brier"]) == pytest.approx((-0.19625 + 0.05) / 2, abs=SHOWN)
    log = (math.log(0.9) + math.log(0.7)) / 2
    assert shown(values["Log score"]) == pytest.approx(log, abs=SHOWN)
    # The same figures unrounded, straight from the service the cog reads.
    stats = await h.services.stats.member(guild(h), uid(h, "bob"))
    assert stats.resolved == 2
    assert stats.mean_brier == pytest.approx(0.05)
    assert stats.mean_time_brier == pytest.approx(0.0875)
    assert stats.mean_relative_brier == pytest.approx(-0.073125)
    assert stats.mean_log == pytest.approx(log)

    # The text alternative of the chart: one line per non-empty bucket.
    assert values["Calibration"] == (
        "Said 25–35%: happened 0 of 1 (0%)\nSaid 85–95%: happened 1 of 1 (100%)"
    )
    # The chart itself: attached, shown inside the embed, described for screen readers.
    files = uploads(h, mark)
    assert [(f.filename, f.field) for f in files] == [("calibration.png", "files[0]")]
    assert embed["image"]["url"] == "attachment://calibration.png"
    assert png_size(files[0].data) == (800, 560)
    attachments = reply.messages[0]["attachments"]
    assert [a["filename"] for a in attachments] == ["calibration.png"]
    request = h.fake.find_requests("POST", r"/webhooks/", after=mark)[-1]
    alt = request.json["attachments"][0]["description"]
    assert alt.startswith("Calibration · bob.") and "Said 85–95%: happened 1 of 1" in alt
    assert reply.messages[0]["_fake_allowed_mentions"] == {"parse": []}  # nobody pinged


async def test_member_stats_for_someone_else(harness: Harness) -> None:
    h = harness
    await bob_and_carol(h)
    mark = h.fake.mark()
    carol = p.option("member", h.fake.user_id("carol"), type=p.USER)
    reply = await h.run(h.fake.slash("stats", p.subcommand("member", carol), user="bob"))
    within_limits(reply)
    embed = only_embed(reply)
    assert embed["title"] == "Track record · carol"
    values = embed_fields(embed)
    assert shown(values["Brier (final forecast)"]) == pytest.approx((0.64 + 0.01) / 2, abs=SHOWN)
    assert shown(values["Relative Brier"]) == pytest.approx((0.35875 - 0.03) / 2, abs=SHOWN)
    assert values["Relative Brier"].startswith("+")
    assert "Said 15–25%: happened 1 of 1 (100%)" in values["Calibration"]
    assert png_size(uploads(h, mark)[0].data) == (800, 560)


async def test_member_without_resolved_forecasts_gets_a_friendly_message(
    harness: Harness,
) -> None:
    h = harness
    # alice only ever voted on an annulled prediction, and on one still open: nothing scored.
    annulled, still_open = await prediction(h, "Annulled"), await prediction(h, "Open")
    await vote(h, annulled, uid(h, "alice"), 700)
    await vote(h, still_open, uid(h, "alice"), 700)
    h.clock.advance(DAY)
    await resolve(h, annulled, "ambiguous")
    mark = h.fake.mark()
    mine = await h.run(h.fake.slash("stats", p.subcommand("member"), user="alice"))
    assert mine.embeds == [] and "No resolved forecasts yet" in mine.text
    assert mine.ephemeral  # an empty record is answered privately (issue 23)
    assert "come back when they resolve" in mine.text
    theirs = await h.run(
        h.fake.slash(
            "stats",
            p.subcommand("member", p.option("member", h.fake.user_id("carol"), type=p.USER)),
            user="alice",
        )
    )
    assert theirs.text == "**carol** has no resolved forecasts yet."  # a name, not a raw id
    assert theirs.ephemeral
    assert theirs.messages[0]["mentions"] == []  # named, not pinged
    assert uploads(h, mark) == []  # no chart of nothing


# --- /stats server -----------------------------------------------------------------------------


async def test_server_stats_include_the_community_forecasts_own_record(harness: Harness) -> None:
    h = harness
    mark = h.fake.mark()
    empty = await h.run(h.fake.slash("stats", p.subcommand("server"), user="carol"))
    assert empty.embeds == [] and "No resolved forecasts in this server yet" in empty.text
    assert empty.ephemeral
    assert uploads(h, mark) == []

    await bob_and_carol(h)
    mark = h.fake.mark()
    reply = await h.run(h.fake.slash("stats", p.subcommand("server"), user="carol"))
    within_limits(reply)
    embed = only_embed(reply)
    assert embed["title"] == "Track record · Augury Test Server"
    assert embed["description"].startswith(
        "4 scored forecasts by 2 members on 3 resolved predictions."  # #3 resolved, not scored
    )
    values = embed_fields(embed)
    assert shown(values["Brier (final forecast)"]) == pytest.approx(
        (0.01 + 0.09 + 0.64 + 0.01) / 4, abs=SHOWN
    )
    assert shown(values["Brier (time-averaged)"]) == pytest.approx(
        (0.085 + 0.09 + 0.64 + 0.01) / 4, abs=SHOWN
    )
    assert shown(values["Relative Brier"]) == pytest.approx(
        (-0.19625 + 0.05 + 0.35875 - 0.03) / 4, abs=SHOWN
    )
    log = (math.log(0.9) + math.log(0.7) + math.log(0.2) + math.log(0.9)) / 4
    assert shown(values["Log score"]) == pytest.approx(log, abs=SHOWN)
    # The crowd's median at each close: 55 % on a YES, 20 % on a NO.
    community = values["The community forecast's own record"]
    brier = (0.2025 + 0.04) / 2
    community_log = (math.log(0.55) + math.log(0.8)) / 2
    assert community == (
        f"Brier {brier:.3f} · log {community_log:.3f} over 2 predictions (its median at the close)"
    )
    assert values["Calibration"] == (
        "Said 5–15%: happened 0 of 1 (0%)\n"
        "Said 15–25%: happened 1 of 1 (100%)\n"
        "Said 25–35%: happened 0 of 1 (0%)\n"
        "Said 85–95%: happened 1 of 1 (100%)"
    )
    files = uploads(h, mark)
    assert [f.filename for f in files] == ["calibration.png"]
    assert png_size(files[0].data) == (800, 560)
    server = await h.services.stats.server(guild(h))
    assert server.community_scored == 2
    assert server.community_brier == pytest.approx(brier)
    assert server.community_log == pytest.approx(community_log)


# --- /leaderboard ------------------------------------------------------------------------------


async def three_forecasters(h: Harness) -> None:
    """alice, bob and carol on two predictions that both resolve YES at t0+4d.

    #1: alice 99 %, bob 30 %, carol 10 % at t0; carol switches to 95 % at t0+3d.
        community: median 30 % for 3 days (Brier .49), then 95 % (.0025): mean .368125
    #2: alice 5 %, bob 30 %, carol 10 % at t0; carol switches to 95 % at t0+3d.
        community: median 10 % for 3 days (.81), then 30 % (.49): mean .73
    time-averaged Brier: alice .0001 and .9025, bob .49 twice, carol (3·.81 + .0025)/4 twice
    mean relative: alice (-.368025 + .1725)/2 = -.0978, bob (.121875 - .24)/2 = -.0591,
                   carol (.24 - .121875)/2 = +.0591        → alice, bob, carol
    mean Brier (final): carol .0025, alice .4513, bob .49   → carol, alice, bob
    mean log: carol ln .95, bob ln .3, alice (ln .99 + ln .05)/2 → carol, bob, alice
    Plus admin, alone on #3 (YES), with a single resolved forecast.
    """
    alice, bob, carol = uid(h, "alice"), uid(h, "bob"), uid(h, "carol")
    first, second, third = [await prediction(h, f"Board {n}") for n in (1, 2, 3)]
    for info, votes in ((first, (990, 300, 100)), (second, (50, 300, 100))):
        for user_id, permille in zip((alice, bob, carol), votes, strict=True):
            await vote(h, info, user_id, permille)
    await vote(h, third, uid(h, "admin"), 800)
    h.clock.advance(3 * DAY)
    await vote(h, first, carol, 950)
    await vote(h, second, carol, 950)
    h.clock.advance(DAY)
    for info in (first, second, third):
        await resolve(h, info, "yes")


def private_lines(reply: Reply) -> list[str]:
    """The texts only the caller saw (their rank beside the public board)."""
    return [
        str(m.get("content"))
        for m in reply.messages
        if int(m.get("flags") or 0) & MessageFlag.EPHEMERAL and m.get("content")
    ]


def public(reply: Reply) -> list[JSON]:
    return [m for m in reply.messages if not int(m.get("flags") or 0) & MessageFlag.EPHEMERAL]


async def board(h: Harness, who: str, *options: JSON) -> Reply:
    """The public board and the caller's private line (settled: it follows the board)."""
    reply = await h.run(h.fake.slash("leaderboard", *options, user=who), settle=True)
    within_limits(reply)
    return reply


async def test_leaderboard_orders_by_each_metric(harness: Harness) -> None:
    h = harness
    await three_forecasters(h)
    await h.services.server_config.update_guild(guild(h), leaderboard_min_resolved=2)
    alice, bob, carol = uid(h, "alice"), uid(h, "bob"), uid(h, "carol")

    default_reply = await board(h, "bob")
    default = only_embed(default_reply)
    assert default["title"] == "Leaderboard · relative Brier · all time"
    assert ranked_ids(h, default) == [alice, bob, carol]
    assert rows(default) == [
        f"**1.** <@{alice}> · -0.098 · 2 forecasts",
        "**2.** bob · -0.059 · 2 forecasts",  # a name the bot has seen, not a raw <@id>
        f"**3.** <@{carol}> · +0.059 · 2 forecasts",
    ]
    assert "below 0 beats the crowd" in default["description"]
    # Where bob stands is his alone: not on the public board, said to him privately.
    assert "Your rank" not in embed_fields(default) and "← you" not in default["description"]
    assert private_lines(default_reply) == [
        "You are **#2** of 3 on this leaderboard: -0.059 over 2 forecasts."
    ]
    assert default["footer"]["text"].startswith("Page 1 of 1 · 3 ranked")

    brier = only_embed(await board(h, "bob", p.option("metric", "brier")))
    assert brier["title"] == "Leaderboard · Brier score · all time"
    assert ranked_ids(h, brier) == [carol, alice, bob]
    assert shown(rows(brier)[1].split(" · ")[1]) == pytest.approx(0.4513, abs=SHOWN)

    log = only_embed(await board(h, "bob", p.option("metric", "log")))
    assert log["title"] == "Leaderboard · log score · all time"
    assert ranked_ids(h, log) == [carol, bob, alice]  # higher is better
    assert shown(rows(log)[0].split(" · ")[1]) == pytest.approx(math.log(0.95), abs=SHOWN)
    assert "Higher is better" in log["description"]


async def test_leaderboard_minimum_excludes_and_says_how_many_more(harness: Harness) -> None:
    h = harness
    await three_forecasters(h)
    # The default minimum is 5: nobody qualifies yet, and the message says so.
    empty = await board(h, "bob")
    assert empty.embeds == [] and empty.ephemeral  # "you have 2" is the caller's alone
    assert empty.text == (
        "Nobody has 5 resolved forecasts (all time) yet, so there is no leaderboard. "
        "Members are ranked once they have at least 5; you have 2."
    )
    await h.services.server_config.update_guild(guild(h), leaderboard_min_resolved=2)
    reply = await board(h, "admin")
    embed = only_embed(reply)
    admin = uid(h, "admin")
    assert admin not in ranked_ids(h, embed) and len(ranked_ids(h, embed)) == 3
    assert private_lines(reply) == [
        "You are not ranked yet: you need 1 more resolved forecast in this period "
        "(you have 1 of 2)."
    ]
    assert "at least 2 resolved forecasts each" in embed["footer"]["text"]
    await h.services.server_config.update_guild(guild(h), leaderboard_min_resolved=1)
    everyone = only_embed(await board(h, "admin"))
    assert admin in ranked_ids(h, everyone) and len(ranked_ids(h, everyone)) == 4
    assert "at least 1 resolved forecast each" in everyone["footer"]["text"]


async def test_leaderboard_period_leaves_out_older_resolutions(harness: Harness) -> None:
    h = harness
    await h.services.server_config.update_guild(guild(h), leaderboard_min_resolved=1)
    alice, bob, carol = uid(h, "alice"), uid(h, "bob"), uid(h, "carol")
    old = await prediction(h, "Resolved long ago")
    await vote(h, old, bob, 800)
    await vote(h, old, carol, 300)
    h.clock.advance(DAY)
    await resolve(h, old, "yes")
    h.clock.advance(40 * DAY)
    recent = await prediction(h, "Resolved this month")
    await vote(h, recent, bob, 200)
    await vote(h, recent, alice, 900)
    h.clock.advance(DAY)
    await resolve(h, recent, "yes")

    month_reply = await board(h, "carol", p.option("period", "30d"))
    month = only_embed(month_reply)
    assert month["title"] == "Leaderboard · relative Brier · last 30 days"
    assert ranked_ids(h, month) == [alice, bob]
    assert rows(month)[1].endswith("· 1 forecast")  # bob's older forecast is left out
    assert private_lines(month_reply) == [
        "You are not ranked yet: you need 1 more resolved forecast in this period "
        "(you have 0 of 1)."
    ]
    every = only_embed(await board(h, "carol", p.option("period", "all")))
    assert set(ranked_ids(h, every)) == {alice, bob, carol}
    assert f"<@{bob}> · " in rows(every)[ranked_ids(h, every).index(bob)]
    assert rows(every)[ranked_ids(h, every).index(bob)].endswith("· 2 forecasts")
    # Nothing resolved in the last 30 days at all: an empty board that names the period.
    h.clock.advance(31 * DAY)
    none = await board(h, "carol", p.option("period", "30d"))
    assert none.embeds == []
    assert none.text.startswith("Nobody has 1 resolved forecast (last 30 days) yet")


async def test_leaderboard_pages_with_buttons_and_shows_the_callers_rank(
    harness: Harness,
) -> None:
    """Eleven forecasters plus carol on one YES: everyone voted at the same moment, so the
    relative Brier orders them by their forecast, and carol (10 %) comes twelfth."""
    h = harness
    await h.services.server_config.update_guild(guild(h), leaderboard_min_resolved=1)
    carol = uid(h, "carol")
    info = await prediction(h, "A crowded question")
    for index, user_id in enumerate(GHOSTS):
        await vote(h, info, user_id, 950 - 10 * index)
    await vote(h, info, carol, 100)
    h.clock.advance(DAY)
    await resolve(h, info, "yes")

    reply = await board(h, "carol")
    first = only_embed(reply)
    assert not public(reply)[0].get("flags")  # the board is public
    assert ranked_ids(h, first) == GHOSTS[:10]
    assert [line.split(".**")[0] for line in rows(first)] == [f"**{n}" for n in range(1, 11)]
    assert "carol" not in first["description"]  # carol is not on this page...
    # ...but told privately where they stand
    assert private_lines(reply)[0].startswith("You are **#12** of 12 on this leaderboard: +")
    assert first["footer"]["text"].startswith("Page 1 of 2 · 12 ranked")
    message_id = reply.record.original_id
    assert message_id is not None
    assert button(h, message_id, "Previous").get("disabled") is True
    assert not button(h, message_id, "Next").get("disabled")

    # Only the caller turns the pages.
    other = await h.run(h.fake.click(message_id, button(h, message_id, "Next")["custom_id"]))
    assert other.ephemeral and "someone else's" in other.text
    assert h.fake.message(message_id)["embeds"][0]["footer"]["text"].startswith("Page 1 of 2")

    turned = await h.run(
        h.fake.click(message_id, button(h, message_id, "Next")["custom_id"], user="carol")
    )
    assert turned.record.response_type == ResponseType.UPDATE_MESSAGE  # the same message, edited
    second = h.fake.message(message_id)["embeds"][0]
    assert ranked_ids(h, second) == [GHOSTS[10], carol]
    assert rows(second)[1].startswith("**12.** carol · ")
    assert second["footer"]["text"].startswith("Page 2 of 2 · 12 ranked")
    assert button(h, message_id, "Next").get("disabled") is True

    back = await h.run(
        h.fake.click(message_id, button(h, message_id, "Previous")["custom_id"], user="carol")
    )
    assert back.record.response_type == ResponseType.UPDATE_MESSAGE
    assert ranked_ids(h, h.fake.message(message_id)["embeds"][0]) == GHOSTS[:10]
    assert h.fake.violations == []


async def test_empty_server_leaderboard_names_the_minimum(harness: Harness) -> None:
    h = harness
    reply = await board(h, "alice", p.option("metric", "log"), p.option("period", "90d"))
    assert reply.embeds == [] and reply.ephemeral
    assert reply.text == (
        "Nobody has 5 resolved forecasts (last 90 days) yet, so there is no leaderboard. "
        "Members are ranked once they have at least 5; you have 0."
    )
