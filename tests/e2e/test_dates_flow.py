"""Dates against the real process: a member in Berlin writes a zone, a period, and an
ambiguous abbreviation; the zone wins, the period means its end, the abbreviation is refused."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p

pytestmark = pytest.mark.e2e

BERLIN = ZoneInfo("Europe/Berlin")


def stamp(moment: datetime, style: str = "F") -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


def stored_resolution(bot: BotProcess, prediction_id: int) -> datetime:
    raw = str(flows.prediction_row(bot.db_path, prediction_id)["resolves_at"])
    stored = datetime.fromisoformat(raw)
    return stored if stored.tzinfo else stored.replace(tzinfo=UTC)


async def test_a_member_in_berlin_writes_utc_h1_and_an_ambiguous_ist(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    await flows.launch(bot_process)
    # The process runs on the real clock: next year's dates are always ahead (2027 in 2026).
    year = datetime.now(UTC).year + 1
    zone = await flows.send(fake, fake.slash("timezone", p.option("zone", "Europe/Berlin")))
    assert "Europe/Berlin" in zone.text

    # An explicit zone wins over the member's, and the echo names it and their own time.
    in_utc = await flows.predict(fake, "The bridge opens", f"{year}-06-30 17:00 UTC")
    due = datetime(year, 6, 30, 17, 0, tzinfo=UTC)
    assert stored_resolution(bot_process, in_utc.prediction_id) == due
    assert f"**30 June {year} 17:00 UTC** ({stamp(due)} your time" in in_utc.reply

    # A half year means its end, on the member's clock.
    half = await flows.predict(fake, "The tram runs", f"H1 {year}")
    end_of_june = datetime(year, 6, 30, 23, 59, tzinfo=BERLIN)
    assert stored_resolution(bot_process, half.prediction_id) == end_of_june
    assert f"I understood the resolution date as {stamp(end_of_june)}" in half.reply
    assert "reading what you typed in **Europe/Berlin**" in half.reply

    # An ambiguous abbreviation is refused with the choices, and nothing is stored.
    refused = await flows.send(
        fake,
        fake.slash(
            "predict",
            p.option("statement", "The ferry sails"),
            p.option("resolves", f"{year}-06-30 17:00 IST"),
        ),
    )
    assert "`IST` names more than one time zone" in refused.text
    assert "Asia/Kolkata" in refused.text and "Nothing was posted" in refused.text
    with flows.database(bot_process.db_path) as db:
        statements = [row[0] for row in db.execute("SELECT statement FROM predictions")]
    assert sorted(statements) == ["The bridge opens", "The tram runs"]

    assert fake.violations == []
    flows.assert_log_clean(bot_process)
