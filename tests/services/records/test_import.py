"""Imports: Augury's own JSON (round trip), Fatebook CSV and PredictionBook JSON, generated
here; dry runs, idempotency, malformed files reported by line and writing nothing."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from bot.clock import FakeClock
from bot.domain.vocabulary import VoteSource
from bot.services.core.context import ServiceContext
from bot.services.records.export import CappedBuffer, ExportFormat, ExportScope
from bot.services.records.formats import MalformedFile
from bot.services.records.readers import detect_and_parse
from bot.services.registry import Services
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import OutsideForecaster, Prediction, Score, Vote, VoteEvent
from tests.conftest import GUILD, START, VOTER
from tests.services.records.files import (
    FATEBOOK,
    fatebook_csv,
    fatebook_row,
)
from tests.services.records.world import THIRD, build_world


async def count(services: Services, model: Any) -> int:
    async with services.ctx.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
async def empty(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Services]:
    """A second, empty database (SQLite), to import into."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/empty.db")
    await upgrade(engine)
    yield Services.build(ServiceContext(create_session_factory(engine), clock))
    await engine.dispose()


async def export_json(services: Services) -> dict[str, Any]:
    sink = CappedBuffer(limit=1 << 24)
    await services.records_export.export(ExportScope(GUILD), ExportFormat.JSON, sink)
    document: dict[str, Any] = json.loads(sink.getvalue())
    document.pop("exported_at")
    return document


async def test_round_trip_gives_the_same_record(
    services: Services, empty: Services, clock: FakeClock
) -> None:
    await build_world(services, clock)
    await services.server_config.update_guild(GUILD, voters_follow=True)  # the newest setting
    rain = await services.predictions.get(GUILD, 2)
    await services.votes.vote(GUILD, rain.id, VOTER, 650, VoteSource.MODAL, reason="Radar says so")
    async with services.ctx.sessions.begin() as session:  # tracked from a member's message
        await session.execute(
            update(Prediction).where(Prediction.number == 1).values(claimant_id=THIRD)
        )
    # An outside forecaster in the source too, so their keys must survive the trip.
    await services.records_import.apply(GUILD, detect_and_parse(FATEBOOK, "f.csv"))
    before = await export_json(services)
    data = json.dumps({**before, "exported_at": START.isoformat()}).encode()
    report = await empty.records_import.apply(GUILD, detect_and_parse(data, "augury.json"))
    assert report.predictions == 5 and report.settings_applied
    after = await export_json(empty)
    # A member's time zone is theirs across servers: a file never sets it (said in the report).
    assert before.pop("member_timezones") == {str(VOTER): "America/New_York"}
    assert after.pop("member_timezones") == {}
    assert any("time zone in the file was not imported" in line for line in report.lines())
    assert after == before
    assert after["settings"]["voters_follow"] is True  # every setting travels, the newest too
    assert (await empty.server_config.guild(GUILD)).voters_follow
    assert after["predictions"][0]["claimant"] == str(THIRD)
    assert [v["reason"] for v in after["predictions"][1]["votes"]] == [None, "Radar says so"]
    # Scores are rebuilt, not copied: the same as in the source.
    async with services.ctx.sessions() as a, empty.ctx.sessions() as b:
        query = select(Score.user_id, Score.brier, Score.relative_brier).order_by(
            Score.prediction_id, Score.user_id
        )
        source = [tuple(r) for r in await a.execute(query)]
        rebuilt = [tuple(r) for r in await b.execute(query)]
    assert rebuilt == source and len(source) == 3


async def test_fatebook_csv_import(services: Services) -> None:
    record = detect_and_parse(FATEBOOK, "fatebook.csv", {"Grace Hopper": VOTER})
    report = await services.records_import.apply(GUILD, record)
    assert (report.predictions, report.votes, report.scored) == (2, 3, 1)
    assert any("multiple-choice" in note for note in report.notes)
    snow = await services.predictions.get(GUILD, 1)
    assert snow.statement == "Will it snow in March?"
    assert snow.tags == ("europe", "weather")
    assert snow.outcome == "yes" and snow.resolved_at is not None
    assert snow.resolved_at.isoformat() == "2024-03-02T09:05:07+00:00"
    assert snow.author_id < 0  # Ada has no Discord account here
    async with services.ctx.sessions() as session:
        names = list(await session.scalars(select(OutsideForecaster.name)))
        scores = {u: b for u, b in await session.execute(select(Score.user_id, Score.brier))}
        probability = await session.scalar(
            select(Vote.permille).where(Vote.prediction_id == 2, Vote.user_id == VOTER)
        )
    assert names == ["Ada Lovelace"]
    assert scores == {VOTER: pytest.approx(0.64)}  # Grace is the member VOTER; Ada has no row
    assert probability == 990  # 1.0 is clamped into Augury's 1–99 %
    community = (await services.predictions.get(GUILD, 1)).community
    assert community.count == 2  # the outsider's vote counts in the community forecast


async def test_importing_twice_adds_nothing_twice(services: Services) -> None:
    await services.records_import.apply(GUILD, detect_and_parse(FATEBOOK, "f.csv"))
    events = await count(services, VoteEvent)
    again = await services.records_import.apply(GUILD, detect_and_parse(FATEBOOK, "f.csv"))
    assert (again.predictions, again.already) == (0, 2)
    assert await count(services, VoteEvent) == events
    assert await count(services, OutsideForecaster) == 2


async def test_dry_run_reports_and_writes_nothing(services: Services) -> None:
    report = await services.records_import.apply(
        GUILD, detect_and_parse(FATEBOOK, "f.csv"), dry_run=True
    )
    assert report.dry_run and report.predictions == 2
    assert report.lines()[0].startswith("Would import 2 predictions from fatebook")
    for model in (Prediction, VoteEvent, OutsideForecaster):
        assert await count(services, model) == 0


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        (
            fatebook_csv(
                [
                    fatebook_row("Fine", "Ada", "0.5", "2024-01-02 10:00:00"),
                    fatebook_row("Bad p", "Ada", "1.5", "2024-01-02 10:00:00"),
                    fatebook_row("Bad date", "Ada", "0.5", "yesterday"),
                    fatebook_row("", "Ada", "0.5", "2024-01-02 10:00:00"),
                    fatebook_row("Bad", "Ada", "0.5", "2024-01-02 10:00:00", Resolution="MAYBE"),
                ]
            ),
            [
                "line 3: forecast 1.5 is outside 0–1",
                "line 4: Forecast created at `yesterday` is not a date",
                "line 5: the question title is empty",
                "line 6: resolution `MAYBE` is not YES, NO or AMBIGUOUS",
            ],
        ),
        (b"title,probability\nx,0.5\n", ["line 1: not a Fatebook CSV export; missing column"]),
        (
            b'{"format": "augury", "version": 1, "guild_id": "1", "predictions": [',
            ["line 1: not valid JSON"],
        ),
        (
            json.dumps(
                [{"id": 1, "description": "x", "created_at": "2024-01-01", "deadline": "nope"}]
            ).encode(),
            ["prediction 1: deadline `nope` is not a date"],
        ),
        (
            json.dumps(
                {
                    "format": "augury",
                    "version": 1,
                    "guild_id": "5",
                    "predictions": [{"number": 1, "statement": "x", "author": "not-an-id"}],
                }
            ).encode(),
            ["prediction 1: author `not-an-id` is neither a Discord id nor a listed outsider"],
        ),
        (
            json.dumps(
                {
                    "format": "augury",
                    "version": 1,
                    "guild_id": "5",
                    "predictions": [{"number": 1, "statement": 7, "author": "1"}],
                }
            ).encode(),
            ["prediction 1: the statement is not text"],
        ),
    ],
)
async def test_malformed_files_are_reported_by_line_and_write_nothing(
    services: Services, data: bytes, problems: list[str]
) -> None:
    with pytest.raises(MalformedFile) as caught:
        record = detect_and_parse(data, "file")
        await services.records_import.apply(GUILD, record)
    assert len(caught.value.problems) == len(problems)
    for found, expected in zip(caught.value.problems, problems, strict=True):
        assert found.startswith(expected), found
    assert "Nothing was imported" in str(caught.value)
    assert await count(services, Prediction) == 0


def predictionbook(items: list[dict[str, Any]]) -> bytes:
    return json.dumps(items).encode()


PREDICTIONBOOK = predictionbook(
    [
        {
            "id": 11,
            "uuid": "a1",
            "description": "The launch happens",
            "created_at": "2015-01-01T00:00:00Z",
            "deadline": "2015-06-01T00:00:00Z",
            "creator_id": 7,
            "withdrawn": False,
            "outcome": False,
            "responses": [
                {
                    "confidence": 80,
                    "created_at": "2015-01-01T00:00:00Z",
                    "user_id": 7,
                    "user_label": "gwern",
                },
                {
                    "confidence": None,
                    "comment": "hm",
                    "created_at": "2015-01-02T00:00:00Z",
                    "user_id": 8,
                    "user_label": "bob",
                },
                {
                    "confidence": 30,
                    "created_at": "2015-01-03T00:00:00Z",
                    "user_id": 8,
                    "user_label": "bob",
                },
            ],
        },
        {
            "id": 12,
            "description": "Withdrawn one",
            "created_at": "2015-01-01T00:00:00Z",
            "deadline": "2015-06-01T00:00:00Z",
            "creator_id": 8,
            "withdrawn": True,
            "outcome": None,
            "responses": [],
        },
    ]
)


async def test_predictionbook_json_import(services: Services) -> None:
    record = detect_and_parse(PREDICTIONBOOK, "pb.json", {"bob": VOTER})
    report = await services.records_import.apply(GUILD, record)
    assert (report.predictions, report.votes, report.scored, report.outsiders) == (2, 2, 1, 1)
    launch = await services.predictions.get(GUILD, 1)
    assert (launch.status, launch.outcome) == ("resolved", "no")
    assert (await services.predictions.get(GUILD, 2)).status == "cancelled"
    async with services.ctx.sessions() as session:
        scores = {u: b for u, b in await session.execute(select(Score.user_id, Score.brier))}
    assert scores == {VOTER: pytest.approx(0.09)}
    stats = await services.stats.member(GUILD, VOTER)
    assert stats.resolved == 1
