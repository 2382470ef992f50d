"""Exports: the JSON record, the spreadsheet CSV, one member's scope, the size cap."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.domain.errors import NotAllowed
from bot.domain.vocabulary import VoteSource
from bot.services.predictions.service import NewPrediction
from bot.services.records.encoding import CSV_COLUMNS
from bot.services.records.export import (
    CappedBuffer,
    ExportFormat,
    ExportScope,
    TooLarge,
)
from bot.services.registry import Services
from db.models import VoteEvent
from tests.conftest import AUTHOR, GUILD, MOD, OTHER_GUILD, VOTER
from tests.services.records.world import THIRD, build_world


async def export(services: Services, fmt: ExportFormat, user_id: int | None = None) -> bytes:
    sink = CappedBuffer(limit=10 * 1024 * 1024)
    await services.records_export.export(ExportScope(GUILD, user_id), fmt, sink)
    return sink.getvalue()


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


async def test_json_holds_the_whole_record(services: Services, clock: FakeClock) -> None:
    await build_world(services, clock)
    document: dict[str, Any] = json.loads(await export(services, ExportFormat.JSON))
    assert document["format"] == "augury" and document["version"] == 1
    assert document["settings"]["reminder_count"] == 2
    assert document["settings"]["timezone"] == "Europe/Paris"
    assert document["member_timezones"] == {str(VOTER): "America/New_York"}
    first, second, third = document["predictions"]
    assert first["tags"] == ["city", "infrastructure"]
    assert (first["status"], first["outcome"], first["resolution_note"]) == (
        "resolved",
        "yes",
        "Opened today",
    )
    assert [(v["forecaster"], v["permille"]) for v in first["vote_history"]] == [
        (str(AUTHOR), 700),
        (str(VOTER), 400),
        (str(VOTER), 800),
        (str(THIRD), 200),
    ]
    # Voting alone does not follow (issue 11): the author and who followed on purpose.
    assert {f["member"] for f in first["follows"]} == {str(AUTHOR), str(THIRD)}
    assert second["statement"] == 'Rain, "heavy" rain'
    assert [e["field"] for e in second["edits"]] == ["details"]
    assert second["vote_history"][-1]["permille"] is None  # the retraction is kept
    assert [(v["forecaster"], v["permille"]) for v in second["votes"]] == [(str(AUTHOR), 250)]
    assert third["status"] == "cancelled"


async def test_csv_is_one_row_per_forecast(services: Services, clock: FakeClock) -> None:
    await build_world(services, clock)
    data = await export(services, ExportFormat.CSV)
    assert data.startswith(b"\xef\xbb\xbf")  # spreadsheets read the BOM as UTF-8
    found = rows(data)
    assert tuple(found[0]) == CSV_COLUMNS
    assert len(found) == 6  # 4 on #1, 2 on #2, the retraction is not a forecast
    voter = [r for r in found if r["forecaster"] == str(VOTER) and r["number"] == "1"]
    assert [r["probability"] for r in voter] == ["40%", "80%"]
    assert voter[1]["brier score"] == "0.0400"
    assert voter[1]["outcome"] == "yes" and voter[1]["tags"] == "city; infrastructure"
    assert voter[1]["resolves"].count(":") == 2 and "T" not in voter[1]["resolves"]
    assert voter[1]["reason"] == ""
    open_rows = [r for r in found if r["number"] == "2"]
    assert {r["brier score"] for r in open_rows} == {""}
    assert open_rows[0]["statement"] == 'Rain, "heavy" rain'


async def test_my_scope_holds_only_my_forecasts(services: Services, clock: FakeClock) -> None:
    await build_world(services, clock)
    mine = rows(await export(services, ExportFormat.CSV, user_id=VOTER))
    assert {r["forecaster"] for r in mine} == {str(VOTER)}
    assert [r["number"] for r in mine] == ["1", "1"]
    document = json.loads(await export(services, ExportFormat.JSON, user_id=VOTER))
    assert document["settings"] is None and document["scope"] == "member"
    assert [p["number"] for p in document["predictions"]] == [1, 2]  # voted on 1, authored 2
    voters = {e["forecaster"] for p in document["predictions"] for e in p["vote_history"]}
    assert voters == {str(VOTER)}


async def test_another_server_exports_nothing_of_ours(services: Services, clock: FakeClock) -> None:
    await build_world(services, clock)
    sink = CappedBuffer(limit=1 << 20)
    count = await services.records_export.export(ExportScope(OTHER_GUILD), ExportFormat.JSON, sink)
    assert count == 0 and json.loads(sink.getvalue())["predictions"] == []


async def test_the_cap_stops_an_export_that_is_too_large(
    services: Services, clock: FakeClock
) -> None:
    await build_world(services, clock)
    with pytest.raises(TooLarge):
        await services.records_export.export(
            ExportScope(GUILD), ExportFormat.JSON, CappedBuffer(limit=2000)
        )


async def test_many_predictions_stream_in_chunks(services: Services, clock: FakeClock) -> None:
    from bot.services.predictions.service import NewPrediction

    for n in range(450):  # more than two chunks of 200
        await services.predictions.create(
            NewPrediction(GUILD, AUTHOR, f"Statement {n}", "in 10 days", tags="bulk")
        )
    document = json.loads(await export(services, ExportFormat.JSON))
    assert [p["number"] for p in document["predictions"]] == list(range(1, 451))


async def test_vote_reasons_are_exported_and_imported_back(
    services: Services, clock: FakeClock
) -> None:
    """A reason given with a vote (the vote form) is in the CSV's reason column and in the
    JSON's vote history, and an import of that JSON keeps it."""
    await build_world(services, clock)
    info = await services.predictions.get(GUILD, 2)
    await services.votes.vote(
        GUILD, info.id, THIRD, 650, VoteSource.MODAL, reason="Forecast, says the met office"
    )
    csv_rows = rows(await export(services, ExportFormat.CSV))
    assert [r["reason"] for r in csv_rows if r["forecaster"] == str(THIRD) and r["number"] == "2"][
        -1
    ] == "Forecast, says the met office"
    record = json.loads(await export(services, ExportFormat.JSON))
    second = next(p for p in record["predictions"] if p["number"] == 2)
    assert second["vote_history"][-1]["reason"] == "Forecast, says the met office"


async def test_csv_cells_never_start_a_formula(services: Services, clock: FakeClock) -> None:
    """OWASP's CSV injection advice: text starting with = + - @ tab or CR gets a leading quote,
    so a spreadsheet shows it instead of running it; numbers stay numbers."""
    info = await services.predictions.create(
        NewPrediction(GUILD, AUTHOR, '=HYPERLINK("http://evil.example","click")', "in 10 days")
    )
    await services.votes.vote(GUILD, info.id, VOTER, 300, VoteSource.MODAL, reason="+1 agreed")
    await services.votes.vote(GUILD, info.id, THIRD, 400, VoteSource.MODAL, reason="@here\tsee")
    await services.votes.vote(GUILD, info.id, MOD, 500, VoteSource.MODAL, reason="-5 points")
    found = rows(await export(services, ExportFormat.CSV))
    assert {r["statement"] for r in found} == {'\'=HYPERLINK("http://evil.example","click")'}
    assert sorted(r["reason"] for r in found if r["reason"]) == [
        "'+1 agreed",
        "'-5 points",
        "'@here\tsee",
    ]
    assert {r["number"] for r in found} == {"1"}
    assert sorted(r["probability"] for r in found) == ["30%", "40%", "50%"]


async def test_whole_server_export_is_checked_in_the_service(
    services: Services, clock: FakeClock
) -> None:
    """Whatever asks for it (a command, a button, a future path), only moderators get it."""
    await build_world(services, clock)
    sink = CappedBuffer(limit=1 << 20)
    with pytest.raises(NotAllowed, match="Only moderators"):
        await services.records_export.export_as(Actor(VOTER), GUILD, True, ExportFormat.JSON, sink)
    assert sink.size == 0
    mine = await services.records_export.export_as(
        Actor(VOTER), GUILD, False, ExportFormat.JSON, sink
    )
    assert mine == 2
    everything = await services.records_export.export_as(
        Actor(MOD, manages_guild=True), GUILD, True, ExportFormat.JSON, CappedBuffer(1 << 20)
    )
    assert everything == 3


@pytest.mark.parametrize(
    "query",
    [
        # A member's export: the predictions they forecast on.
        select(VoteEvent.prediction_id).where(VoteEvent.user_id == VOTER),
        # Forget-me's footprint count (engineer C) and linking: a plain count by member.
        select(func.count()).select_from(VoteEvent).where(VoteEvent.user_id == VOTER),
    ],
    ids=["export", "count"],
)
async def test_a_members_vote_events_are_found_by_index(engine: AsyncEngine, query: Any) -> None:
    """Not a scan of every event (5.5 s for 2,000 forecasts among 1,000,000 events before)."""
    sql = str(query.compile(engine.sync_engine, compile_kwargs={"literal_binds": True}))
    async with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            plan = " ".join(
                str(r[-1]) for r in await connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"))
            )
        else:  # an empty table is cheapest to scan: ask whether the index CAN serve it
            await connection.execute(text("SET enable_seqscan = off"))
            plan = " ".join(str(r[0]) for r in await connection.execute(text(f"EXPLAIN {sql}")))
    assert "ix_vote_events_user" in plan, plan
    assert "SCAN vote_events" not in plan and "Seq Scan" not in plan, plan
