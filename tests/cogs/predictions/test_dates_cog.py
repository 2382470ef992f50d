"""Dates through real interactions: an explicit zone wins and the echo says so; a refused phrase
is neither stored nor pre-filled ("Track as prediction")."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.errors import NotFound
from tests.cogs.conftest import Harness
from tests.cogs.helpers import guild, predict
from tests.fakediscord import payloads as p

BERLIN_EXAMPLE = "reading what you typed in **Europe/Berlin**"


@pytest.fixture
def h(harness: Harness) -> Harness:
    return harness


async def in_berlin(h: Harness) -> None:
    await h.run(h.fake.slash("timezone", p.option("zone", "Europe/Berlin")))


def modal_inputs(modal: dict[str, object]) -> list[dict[str, object]]:
    rows = modal["components"]
    assert isinstance(rows, list)
    return [
        c for row in rows for c in ([row["component"]] if "component" in row else row["components"])
    ]


async def test_track_as_prediction_reads_the_zone_written_in_the_message(h: Harness) -> None:
    await in_berlin(h)
    message = h.fake.user_message("The launch happens before 2027-06-30 17:00 UTC, surely")
    reply = await h.run(h.fake.message_command("Track as prediction", message["id"]))
    assert reply.modal is not None
    statement, resolves = modal_inputs(reply.modal)[:2]
    assert resolves.get("value") == "2027-06-30 17:00 UTC"

    done = await h.run(h.fake.submit_modal({str(statement["custom_id"]): "The launch happens"}))
    assert "Posted prediction **#1**" in done.text
    info = await h.services.predictions.get(guild(h), 1)
    assert info.resolves_at == datetime(2027, 6, 30, 17, 0, tzinfo=UTC)  # not 17:00 in Berlin
    assert "**30 June 2027 17:00 UTC** (<t:1814374800:F> your time" in done.text
    assert BERLIN_EXAMPLE not in done.text


async def test_track_as_prediction_prefills_no_part_of_an_ambiguous_zone(h: Harness) -> None:
    await in_berlin(h)
    message = h.fake.user_message("They ship 2027-06-30 17:00 IST, or so they say")
    reply = await h.run(h.fake.message_command("Track as prediction", message["id"]))
    assert reply.modal is not None
    resolves = modal_inputs(reply.modal)[1]
    assert not resolves.get("value")  # never "2027-06-30 17:00" read in Berlin
    assert "No date found" in str(resolves["placeholder"])


async def test_predict_with_an_ambiguous_zone_is_refused_and_stores_nothing(h: Harness) -> None:
    await in_berlin(h)
    reply = await predict(
        h, p.option("statement", "The tram runs"), p.option("resolves", "2027-06-30 17:00 IST")
    )
    assert reply.ephemeral and "Nothing was posted" in reply.text
    assert "`IST` names more than one time zone" in reply.text and "Asia/Kolkata" in reply.text
    try:
        await h.services.predictions.get(guild(h), 1)
    except NotFound:
        pass
    else:
        raise AssertionError("a refused date created a prediction")


async def test_predict_without_a_zone_still_reads_the_members_own(h: Harness) -> None:
    await in_berlin(h)
    reply = await predict(
        h, p.option("statement", "The tram runs"), p.option("resolves", "H1 2027")
    )
    info = await h.services.predictions.get(guild(h), 1)
    assert info.resolves_at == datetime(2027, 6, 30, 21, 59, tzinfo=UTC)  # 23:59 in Berlin
    assert (
        f"<t:{int(info.resolves_at.timestamp())}:F>" in reply.text and BERLIN_EXAMPLE in reply.text
    )


async def test_edit_echoes_the_new_date_and_the_zone_it_was_read_in(h: Harness) -> None:
    await in_berlin(h)
    await predict(h, p.option("statement", "The tram runs"), p.option("resolves", "2027-06-30"))
    edit = p.subcommand(
        "edit", p.option("prediction", 1), p.option("resolves", "2027-07-31 9am PT")
    )
    reply = await h.run(h.fake.slash("predictions", edit))
    info = await h.services.predictions.get(guild(h), 1)
    assert info.resolves_at == datetime(2027, 7, 31, 16, 0, tzinfo=UTC)
    assert "It now resolves **31 July 2027 09:00 PDT**" in reply.text
