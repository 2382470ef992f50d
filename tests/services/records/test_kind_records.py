"""Export and import keep question kinds: the JSON round trip keeps the kind, its setup, the
forecasts' payloads and the answer; the CSV says them in words; an import checks them by the
kind's own rules, and a bad kind, setup, forecast or answer is one line that writes nothing.

A toy "pick one option" kind (tests/services/core/test_toy_kind.py) is registered here.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.clock import FakeClock
from bot.domain.actor import Actor
from bot.domain.kinds import register, unregister
from bot.services.core.context import ServiceContext
from bot.services.predictions.service import NewPrediction
from bot.services.records.export import CappedBuffer, ExportFormat, ExportScope
from bot.services.records.readers import detect_and_parse
from bot.services.registry import Services
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import Score
from tests.conftest import AUTHOR, GUILD, START, VOTER
from tests.services.core.test_toy_kind import DAY, THIRD, Pick
from tests.services.records.files import augury, prediction
from tests.services.records.test_export import rows
from tests.services.records.test_hostile import refused
from tests.services.records.test_properties import damaged, outcome, world

__all__ = ["world"]  # the fuzzer's module-wide database


@pytest.fixture(autouse=True, scope="module")
def pick_kind() -> Iterator[None]:
    register(Pick())
    yield
    unregister("toy_pick")


@pytest.fixture
async def empty(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Services]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/empty.db")
    await upgrade(engine)
    yield Services.build(ServiceContext(create_session_factory(engine), clock))
    await engine.dispose()


async def export(services: Services, fmt: ExportFormat) -> bytes:
    sink = CappedBuffer(limit=1 << 24)
    await services.records_export.export(ExportScope(GUILD), fmt, sink)
    return sink.getvalue()


async def colours(services: Services, clock: FakeClock) -> None:
    """#1 pick (red | blue): the author red, VOTER red then blue, THIRD blue; resolved blue.
    #2 yes/no at 3:1, open."""
    clock.set(START)
    info = await services.predictions.create(
        NewPrediction(
            guild_id=GUILD,
            author_id=AUTHOR,
            statement="Which colour wins?",
            resolves="in 5 days",
            probability="red",
            kind="toy_pick",
            kind_fields={"options": "red | =blue"},
        )
    )
    await services.votes.vote(GUILD, info.id, VOTER, "red", "slash")
    clock.set(START + DAY)
    await services.votes.vote(GUILD, info.id, VOTER, "=blue", "slash")
    await services.votes.vote(GUILD, info.id, THIRD, "=blue", "slash")
    clock.set(START + 6 * DAY)
    await services.resolution.resolve(GUILD, info.number, Actor(AUTHOR), "=blue")
    await services.predictions.create(
        NewPrediction(GUILD, AUTHOR, "Rain", resolves="in 5 days", probability="3:1")
    )


async def test_the_json_round_trip_keeps_kinds_and_rebuilds_their_scores(
    services: Services, empty: Services, clock: FakeClock
) -> None:
    await colours(services, clock)
    before = json.loads(await export(services, ExportFormat.JSON))
    pick, rain = before["predictions"]
    assert (pick["kind"], pick["kind_spec"]) == ("toy_pick", {"options": ["red", "=blue"]})
    assert (pick["outcome"], pick["outcome_value"]) == ("answered", {"pick": "=blue"})
    assert [(e["permille"], e["forecast"]) for e in pick["vote_history"]] == [
        (None, {"pick": "red"}),
        (None, {"pick": "red"}),
        (None, {"pick": "=blue"}),
        (None, {"pick": "=blue"}),
    ]
    assert (rain["kind"], rain["kind_spec"], rain["votes"][0]["permille"]) == ("yes_no", None, 750)

    report = await empty.records_import.apply(
        GUILD, detect_and_parse(await export(services, ExportFormat.JSON), "augury.json")
    )
    assert report.predictions == 2 and report.scored == 1
    after = json.loads(await export(empty, ExportFormat.JSON))
    before.pop("exported_at"), after.pop("exported_at")
    assert after == before
    async with services.ctx.sessions() as a, empty.ctx.sessions() as b:
        query = select(Score.user_id, Score.forecast, Score.brier, Score.relative_brier).order_by(
            Score.user_id
        )
        assert [tuple(r) for r in await b.execute(query)] == [
            tuple(r) for r in await a.execute(query)
        ]


async def test_the_csv_says_another_kinds_forecasts_in_words_with_their_data(
    services: Services, clock: FakeClock
) -> None:
    await colours(services, clock)
    found = rows(await export(services, ExportFormat.CSV))
    pick = [r for r in found if r["number"] == "1"]
    assert [(r["kind"], r["forecast"], r["answer"]) for r in pick] == [
        ("toy_pick", "red", "'=blue"),
        ("toy_pick", "red", "'=blue"),
        ("toy_pick", "'=blue", "'=blue"),  # a cell never starts a formula
        ("toy_pick", "'=blue", "'=blue"),
    ]
    assert {(r["probability"], r["brier score"]) for r in pick} == {("", "")}
    assert json.loads(pick[2]["forecast data"].lstrip("'")) == {"pick": "=blue"}
    [rain] = [r for r in found if r["number"] == "2"]
    assert (rain["kind"], rain["probability"], rain["forecast"], rain["forecast data"]) == (
        "yes_no",
        "75%",
        "75%",
        "",
    )


def pick_prediction(**fields: Any) -> dict[str, Any]:
    """A valid pick question of Augury's JSON, resolved ``blue``; ``fields`` override."""
    item = prediction(
        kind="toy_pick",
        kind_spec={"options": ["red", "blue"]},
        status="resolved",
        outcome="answered",
        outcome_value={"pick": "blue"},
        resolved_at="2024-06-02T00:00:00+00:00",
        vote_history=[
            {"forecaster": "43", "permille": None, "forecast": {"pick": "red"},
             "source": "slash", "created_at": "2024-01-02T00:00:00+00:00"},
            {"forecaster": "44", "permille": None, "forecast": {"pick": "blue"},
             "source": "slash", "created_at": "2024-01-03T00:00:00+00:00"},
        ],
    )  # fmt: skip
    item.update(fields)
    return item


def choice_vote(forecast: Any) -> dict[str, Any]:
    return {"forecaster": "43", "permille": None, "forecast": forecast, "source": "slash",
            "created_at": "2024-01-02T00:00:00+00:00"}  # fmt: skip


def choice(**fields: Any) -> dict[str, Any]:
    """A valid multiple-choice question (A | B), resolved B; ``fields`` override."""
    item = prediction(
        kind="multiple_choice",
        kind_spec={"options": ["A", "B"]},
        status="resolved",
        outcome="answered",
        outcome_value={"option": 1, "text": "B"},
        resolved_at="2024-06-02T00:00:00+00:00",
        vote_history=[choice_vote({"permille": [300, 700]})],
    )
    item.update(fields)
    return item


def with_vote(**vote: Any) -> dict[str, Any]:
    event = {"forecaster": "43", "source": "slash", "created_at": "2024-01-02T00:00:00+00:00"}
    return pick_prediction(vote_history=[{**event, **vote}])


HOSTILE = {
    "unknown kind": (pick_prediction(kind="dice"), "no question kind `dice`"),
    "kind not text": (pick_prediction(kind=7), "the kind"),
    "setup missing": (pick_prediction(kind_spec=None), "needs its setup"),
    "setup of the wrong shape": (pick_prediction(kind_spec={"colours": 2}), "is not valid"),
    "setup on a yes/no question": (prediction(kind_spec={"options": ["a"]}), "has no setup"),
    "deep setup": (
        pick_prediction(kind_spec={"options": [[[[[["red"]]]]]]}),
        "small plain value",
    ),
    "forecast not an option": (with_vote(forecast={"pick": "green"}), "Pick one of red, blue"),
    "forecast of another shape": (with_vote(forecast={"guess": 4}), "is not a pick forecast"),
    "a permille on a pick question": (with_vote(permille=700), "is not a pick forecast"),
    "both permille and forecast": (
        with_vote(permille=700, forecast={"pick": "red"}),
        "both a permille and a forecast",
    ),
    "a payload on a yes/no question": (
        prediction(
            vote_history=[
                {
                    "forecaster": "43",
                    "forecast": {"pick": "red"},
                    "source": "slash",
                    "created_at": "2024-01-02T00:00:00",
                }
            ]
        ),
        "is not a yes/no forecast",
    ),
    "YES on a pick question": (
        pick_prediction(outcome="yes", outcome_value=None),
        "is not resolved YES or NO",
    ),
    "ANSWERED on a yes/no question": (
        prediction(
            status="resolved",
            outcome="answered",
            outcome_value={"pick": "red"},
            resolved_at="2024-06-02T00:00:00+00:00",
        ),
        "resolved YES, NO or AMBIGUOUS",
    ),
    "an answer of another shape": (
        pick_prediction(outcome_value={"guess": 3}),
        "not an answer a pick question can have",
    ),
    "a value without an answer": (
        pick_prediction(outcome="ambiguous"),
        "only an ANSWERED outcome has an `outcome_value`",
    ),
    "a huge forecast": (with_vote(forecast={"pick": "x" * 10_000}), "small plain value"),
    # The real multiple-choice kind's own rules.
    "one option": (choice(kind_spec={"options": ["A"]}), "2 to 10 `options`"),
    "an option with a bar": (choice(kind_spec={"options": ["A|B", "C"]}), "is not valid"),
    "the same option twice": (choice(kind_spec={"options": ["A", "a"]}), "given twice"),
    "options not a list": (choice(kind_spec={"options": "A | B"}), "is not valid"),
    "spaces around an option": (choice(kind_spec={"options": [" A", "B"]}), "are not valid"),
    "a forecast not adding up": (
        choice(vote_history=[choice_vote({"permille": [600, 600]})]),
        "adding up to 100 %",
    ),
    "a forecast with one option at 0": (
        choice(vote_history=[choice_vote({"permille": [1000, 0]})]),
        "at least 1 %",
    ),
    "a numeric range upside down": (
        prediction(
            kind="numeric",
            kind_spec={"low": 100, "high": 0, "unit": "", "open_low": False, "open_high": False},
            vote_history=[],
        ),
        "low end must be below its high end",
    ),
    "a numeric range of one point": (
        prediction(
            kind="numeric",
            kind_spec={"low": 5, "high": 5, "unit": "", "open_low": False, "open_high": False},
            vote_history=[],
        ),
        "low end must be below its high end",
    ),
    "an answer past the options": (
        choice(outcome_value={"option": 7, "text": "H"}),
        "not an answer a multiple choice question can have",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
async def test_a_bad_kind_setup_forecast_or_answer_is_one_line_and_writes_nothing(
    services: Services, case: str
) -> None:
    item, expected = HOSTILE[case]
    message = await refused(services, augury(item))
    assert expected in message, message


async def test_valid_pick_and_multiple_choice_questions_import(services: Services) -> None:
    report = await services.records_import.apply(
        GUILD, detect_and_parse(augury(pick_prediction(), choice(number=2)), "augury.json")
    )
    assert (report.predictions, report.scored) == (2, 2)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_damaged_kind_record_imports_or_is_refused_in_one_line(
    world: tuple[asyncio.AbstractEventLoop, Services], data: st.DataObject
) -> None:
    number = data.draw(st.integers(1, 10**6), label="number")
    document = json.loads(augury(pick_prediction(number=number)))
    outcome(world, damaged(copy.deepcopy(document), data))
