"""Property: whatever an import file holds, the outcome is "imported" or "one line, nothing
written" — never a traceback, never half a record.

Each format starts from a valid document, which hypothesis then damages: fields replaced by
hostile values (huge, negative or non-finite numbers, ids past 2**63, NUL and invisible
characters, absurd dates, wrong types), fields removed, bytes cut or inserted. Every example
goes through the reader, the checks and a real import into a real database (PostgreSQL too,
with TEST_DATABASE_URL).
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text

from bot.clock import FakeClock
from bot.domain.errors import AuguryError
from bot.services.core.context import ServiceContext
from bot.services.records.formats import MalformedFile
from bot.services.records.readers import detect_and_parse
from bot.services.registry import Services
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import ImportKey, OutsideForecaster, Prediction, Score, Vote, VoteEvent
from tests.conftest import GUILD, START, database_urls
from tests.services.records.files import FATEBOOK_HEADERS, augury, fatebook_row, pb, prediction

TABLES = (Prediction, VoteEvent, Vote, OutsideForecaster, ImportKey, Score)

HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 2**31, 2**63 - 1, 2**63, 2**64, 10**30]),
    st.floats(),  # NaN and ±Infinity included: json.dumps writes them as bare words
    st.text(max_size=40),
    st.text(st.characters(categories=["Cc", "Cf", "Zs", "Co"]), max_size=20),
    st.sampled_from(
        [
            "x" * 5000,
            "\x00",
            "9999-12-31T23:30-05:00",
            "0001-01-01T00:00:00",
            "2024-13-45",
            str(2**63),
            "-5",
            "1e999",
            '=HYPERLINK("http://x")',
            "n" * 101,
        ]
    ),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[asyncio.AbstractEventLoop, Services]]:
    """One loop and one database for every example (a fresh one each would be minutes)."""
    loop = asyncio.new_event_loop()
    engine = create_engine(database_urls(tmp_path_factory.mktemp("properties")))

    async def start() -> None:
        if engine.dialect.name == "postgresql":
            async with engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
        await upgrade(engine)

    loop.run_until_complete(start())
    services = Services.build(ServiceContext(create_session_factory(engine), FakeClock(START)))
    yield loop, services
    loop.run_until_complete(engine.dispose())
    loop.close()


async def footprint(services: Services) -> list[int]:
    async with services.ctx.sessions() as session:
        return [int(await session.scalar(select(func.count()).select_from(t)) or 0) for t in TABLES]


def outcome(world: tuple[asyncio.AbstractEventLoop, Services], data: bytes) -> None:
    """Imported, or refused in one line with the database as it was."""
    loop, services = world

    async def attempt() -> None:
        before = await footprint(services)
        try:
            await services.records_import.apply(GUILD, detect_and_parse(data, "file"))
        except AuguryError as error:
            assert isinstance(error, MalformedFile), repr(error)
            message = str(error)
            assert message.startswith("Nothing was imported") and "\n" not in message
            assert "Traceback" not in message
            assert await footprint(services) == before
        # Anything else raised here is a traceback on the command line: the test fails.

    loop.run_until_complete(attempt())


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON document a value can be replaced or removed."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += paths(inner, (*prefix, index))
    return found


def damaged(document: Any, data: st.DataObject) -> bytes:
    for _ in range(data.draw(st.integers(1, 3), label="damages")):
        where = data.draw(st.sampled_from(paths(document)), label="where")
        parent = document
        for step in where[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and data.draw(st.booleans(), label="remove"):
            parent.pop(where[-1], None)
        else:
            parent[where[-1]] = data.draw(HOSTILE, label="value")
    raw = json.dumps(document, ensure_ascii=False).encode()
    return bytes_damaged(raw, data)


def bytes_damaged(raw: bytes, data: st.DataObject) -> bytes:
    how = data.draw(st.sampled_from(["as is", "as is", "cut", "inserted"]), label="bytes")
    at = data.draw(st.integers(0, len(raw)), label="at")
    if how == "cut":
        return raw[:at]
    if how == "inserted":
        return raw[:at] + data.draw(st.binary(max_size=8), label="bytes in") + raw[at:]
    return raw


def resolved_prediction(number: int) -> dict[str, Any]:
    return prediction(
        number=number,
        status="resolved",
        outcome="yes",
        resolved_at="2024-06-02T00:00:00+00:00",
        tags=["weather"],
        votes=[{"forecaster": "43", "permille": 700, "source": "slash",
                "updated_at": "2024-01-02T00:00:00+00:00"}],
        follows=[{"member": "43", "following": True}],
        edits=[{"editor": "42", "field": "details", "old": None, "new": "d",
                "at": "2024-01-01T10:00:00+00:00"}],
    )  # fmt: skip


EXAMPLES = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@EXAMPLES
@given(data=st.data())
def test_augury_json(
    world: tuple[asyncio.AbstractEventLoop, Services], data: st.DataObject
) -> None:
    document = json.loads(
        augury(
            prediction(number=data.draw(st.integers(1, 10**6), label="number")),
            resolved_prediction(data.draw(st.integers(10**6 + 1, 2 * 10**6), label="second")),
            settings={"timezone": "Europe/Paris", "reminder_count": 2, "moderator_role_id": "9"},
            outside_forecasters=[{"key": "o1", "name": "Ada"}],
        )
    )
    outcome(world, damaged(document, data))


@EXAMPLES
@given(data=st.data())
def test_predictionbook_json(
    world: tuple[asyncio.AbstractEventLoop, Services], data: st.DataObject
) -> None:
    document = json.loads(pb(id=data.draw(st.integers(1, 10**9), label="id"), outcome=True))
    outcome(world, damaged(document, data))


@EXAMPLES
@given(data=st.data())
def test_fatebook_csv(
    world: tuple[asyncio.AbstractEventLoop, Services], data: st.DataObject
) -> None:
    title = f"Q{data.draw(st.integers(0, 10**9), label='title')}"
    rows = [
        fatebook_row(title, "Ada", "0.7", "2024-01-02 10:00:00", Resolution="YES",
                     **{"Resolved at": "2024-03-02 9:5:7"}),
        fatebook_row(title, "Grace", "0.2", "2024-01-03 11:00:00", Resolution="YES",
                     **{"Resolved at": "2024-03-02 9:5:7"}),
    ]  # fmt: skip
    for _ in range(data.draw(st.integers(1, 3), label="damages")):
        row = data.draw(st.sampled_from(rows), label="row")
        column = data.draw(st.sampled_from(FATEBOOK_HEADERS), label="column")
        value = data.draw(HOSTILE, label="value")
        row[column] = "" if value is None else str(value)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, FATEBOOK_HEADERS)
    writer.writeheader()
    for row in rows:
        writer.writerow({h: row.get(h, "") for h in FATEBOOK_HEADERS})
    outcome(world, bytes_damaged(buffer.getvalue().encode(), data))


def test_the_property_sees_both_outcomes(tmp_path: Path) -> None:
    """The undamaged documents import (so the properties are not only ever refusals)."""
    loop = asyncio.new_event_loop()
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/ok.db")
    services = Services.build(ServiceContext(create_session_factory(engine), FakeClock(START)))

    async def run() -> list[int]:
        await upgrade(engine)
        for data in (augury(prediction(), resolved_prediction(2)), pb(outcome=True)):
            await services.records_import.apply(GUILD, detect_and_parse(data, "f"))
        counts = await footprint(services)
        await engine.dispose()
        return counts

    try:
        counts = loop.run_until_complete(run())
    finally:
        loop.close()
    assert counts[0] == 3 and counts[-1] == 1  # three predictions; member 43 scored on #2
