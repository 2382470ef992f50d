"""Import files are untrusted: every field is checked by the slash commands' rules, a bad file
is one line and writes nothing, and what a file may not decide (other servers' ids, a member's
time zone, @everyone as moderators) it does not decide."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from bot.domain.errors import InvalidInput
from bot.services.records import importing as records_import
from bot.services.records import writer as records_writer
from bot.services.records.formats import MalformedFile
from bot.services.records.readers import detect_and_parse
from bot.services.registry import Services
from db.models import (
    GuildSettings,
    ImportKey,
    OutsideForecaster,
    Prediction,
    UserSettings,
    Vote,
    VoteEvent,
)
from tests.conftest import GUILD, OTHER_GUILD, VOTER
from tests.services.records.files import augury, fatebook_csv, fatebook_row, pb, prediction

TABLES = (Prediction, VoteEvent, Vote, OutsideForecaster, ImportKey, UserSettings)


async def footprint(services: Services) -> list[int]:
    async with services.ctx.sessions() as session:
        return [int(await session.scalar(select(func.count()).select_from(t)) or 0) for t in TABLES]


async def refused(services: Services, data: bytes, guild: int = GUILD) -> str:
    """Import ``data``: it must be refused in one line, with nothing written."""
    before = await footprint(services)
    with pytest.raises(MalformedFile) as caught:
        await services.records_import.apply(guild, detect_and_parse(data, "file"))
    message = str(caught.value)
    assert "\n" not in message and message.startswith("Nothing was imported")
    assert await footprint(services) == before
    return message


LONG = "x" * 100_000
HOSTILE = {
    "100,000-character details": (augury(prediction(details=LONG)), "limit is 4000"),
    "NUL in the statement": (augury(prediction(statement="a\x00b")), "NUL"),
    "only invisible statement": (augury(prediction(statement="\u200b\u200e")), "empty"),
    "negative number": (augury(prediction(number=-3)), "is not a whole number"),
    "duplicate number": (
        augury(prediction(), prediction(statement="Other")),
        "number 1 is also prediction 1's",
    ),
    "number over 2^31": (augury(prediction(number=2**40)), "is not a whole number"),
    "Infinity": (b'{"format": "augury", "version": 1, "guild_id": Infinity}', "Infinity"),
    "NaN permille": (augury(prediction()).replace(b"700", b"NaN"), "NaN"),
    "1e999": (augury(prediction()).replace(b"700", b"1e999"), "too large"),
    "id over 2^63": (augury(prediction(author=str(2**63))), "neither a Discord id"),
    "guild over 2^63": (augury(guild_id=str(2**64)), "`guild_id`"),
    "permille out of range": (augury(prediction()).replace(b"700", b"1000"), "not 10–990"),
    "year 1": (augury(prediction(created_at="0001-01-01T00:00:00")), "not a plausible date"),
    "overflowing zone": (
        augury(prediction(resolves_at="9999-12-31T23:30-05:00")),
        "outside the years a date can have",
    ),
    "resolved before created": (
        augury(
            prediction(status="resolved", outcome="yes", resolved_at="2023-01-01T00:00:00+00:00")
        ),
        "resolved before it was created",
    ),
    "resolved without outcome": (augury(prediction(status="resolved")), "needs an outcome"),
    "200,000-deep JSON": (b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
    "5,000-digit integer": (
        augury(prediction(number=1)).replace(b'"number": 1', b'"number": ' + b"9" * 5000),
        "not valid JSON",
    ),
    "reason over the limit": (
        augury(
            prediction(
                vote_history=[
                    {
                        "forecaster": "43",
                        "permille": 500,
                        "source": "slash",
                        "created_at": "2024-01-02T00:00:00",
                        "reason": LONG,
                    }
                ]
            )
        ),
        "limit is 1000",
    ),
    "long outsider name": (
        augury(prediction(author="o1"), outside_forecasters=[{"key": "o1", "name": "n" * 300}]),
        "limit is 100",
    ),
    "outside forecasters not a list": (augury(outside_forecasters=True), "is not a list"),
    "moderator role @everyone": (
        augury(settings={"moderator_role_id": str(GUILD)}),
        "@everyone",
    ),
    "unknown time zone": (augury(settings={"timezone": "Mars/Olympus"}), "settings"),
    "bad keycaps": (augury(settings={"reaction_keycaps": "1,99"}), "Keycaps"),
    "Fatebook forecast NaN": (
        fatebook_csv([fatebook_row("Q", "Ada", "nan", "2024-01-02 10:00:00")]),
        "outside 0–1",
    ),
    "Fatebook field over 128 KiB": (
        fatebook_csv([fatebook_row("Q" * 200_000, "Ada", "0.5", "2024-01-02 10:00:00")]),
        "field larger than field limit",
    ),
    "Fatebook name over 100": (
        fatebook_csv([fatebook_row("Q", "A" * 300, "0.5", "2024-01-02 10:00:00")]),
        "limit is 100",
    ),
    "Fatebook year 1": (
        fatebook_csv([fatebook_row("Q", "Ada", "0.5", "0001-01-02 10:00:00")]),
        "not a plausible date",
    ),
    "PredictionBook confidence true": (
        pb(responses=[{"confidence": True, "created_at": "2024-01-01 01:00:00", "user_id": 1}]),
        "confidence True",
    ),
    "PredictionBook huge description": (pb(description=LONG), "limit is 4000"),
    "PredictionBook year 9999 deadline": (
        pb(deadline="9999-12-31T23:30:00-05:00"),
        "outside the years",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
async def test_a_hostile_file_is_one_line_and_writes_nothing(services: Services, case: str) -> None:
    data, expected = HOSTILE[case]
    assert expected in await refused(services, data)


async def test_settings_with_another_servers_ids_keep_only_what_is_ours(
    services: Services,
) -> None:
    """A channel and role from another server are left out; message ids too (reminders go
    to the server's configured channel); member time zones are never written."""
    data = augury(
        prediction(discord={"channel_id": "555", "message_id": "556", "thread_id": None}),
        guild_id=str(OTHER_GUILD),
        settings={"prediction_channel_id": "555", "moderator_role_id": "777", "reminder_count": 1},
        member_timezones={str(VOTER): "Asia/Tokyo"},
    )
    report = await services.records_import.apply(GUILD, detect_and_parse(data, "f"))
    assert report.predictions == 1 and report.settings_applied
    async with services.ctx.sessions() as session:
        guild = await session.get(GuildSettings, GUILD)
        assert guild is not None
        assert (guild.prediction_channel_id, guild.moderator_role_id) == (None, None)
        assert guild.reminder_count == 1
        row = (await session.scalars(select(Prediction))).one()
        assert (row.channel_id, row.message_id) == (None, None)
        assert await session.get(UserSettings, VOTER) is None
    assert any("member time zone" in line for line in report.lines())


async def test_own_export_keeps_message_ids_only_in_the_prediction_channel(
    services: Services,
) -> None:
    await services.server_config.update_guild(GUILD, prediction_channel_id=555)
    data = augury(
        prediction(discord={"channel_id": "555", "message_id": "556", "thread_id": "557"}),
        prediction(number=2, discord={"channel_id": "999", "message_id": "998", "thread_id": None}),
    )
    await services.records_import.apply(GUILD, detect_and_parse(data, "f"))
    async with services.ctx.sessions() as session:
        rows = (await session.execute(
            select(Prediction.number, Prediction.channel_id, Prediction.message_id)
            .order_by(Prediction.number)
        )).all()  # fmt: skip
    assert [tuple(r) for r in rows] == [(1, 555, 556), (2, None, None)]


async def test_text_is_stored_cleaned(services: Services) -> None:
    """Invisible characters go, as they do from /predict; a zero-width joiner in an emoji stays."""
    data = augury(prediction(statement="The\u200b bridge\u202e opens 👨\u200d👩", details="\u200b"))
    await services.records_import.apply(GUILD, detect_and_parse(data, "f"))
    async with services.ctx.sessions() as session:
        row = (await session.scalars(select(Prediction))).one()
    assert (row.statement, row.details) == ("The bridge opens 👨\u200d👩", None)


async def test_a_failure_in_a_later_batch_removes_the_earlier_batches(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written in batches (the write lock is released between them), refused as a whole."""
    monkeypatch.setattr(records_import, "BATCH_PREDICTIONS", 1)
    calls = 0
    real = records_writer.write_scores

    async def fails_the_second_time(*args: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("disk full")
        await real(*args)

    monkeypatch.setattr(records_writer, "write_scores", fails_the_second_time)
    resolved = {"status": "resolved", "outcome": "yes", "resolved_at": "2024-06-02T00:00:00Z"}
    data = augury(
        prediction(author="o1", **resolved),
        prediction(number=2, **resolved),
        outside_forecasters=[{"key": "o1", "name": "Ada"}],
        settings={"reminder_count": 1},
    )
    before = await footprint(services)
    with pytest.raises(RuntimeError, match="disk full"):
        await services.records_import.apply(GUILD, detect_and_parse(data, "f"))
    assert await footprint(services) == before
    async with services.ctx.sessions() as session:
        assert await session.get(GuildSettings, GUILD) is None  # settings are written last
    monkeypatch.setattr(records_writer, "write_scores", real)
    report = await services.records_import.apply(GUILD, detect_and_parse(data, "f"))
    assert (report.predictions, report.outsiders, report.scored) == (2, 1, 2)


async def test_everyone_as_moderators_is_refused_by_the_service_whatever_the_path(
    services: Services,
) -> None:
    """The rule lives in server_config: the import and ``update_guild`` share it."""
    with pytest.raises(InvalidInput, match="@everyone can't be the moderator role"):
        await services.server_config.update_guild(GUILD, moderator_role_id=GUILD)
    assert "@everyone" in await refused(
        services, augury(settings={"moderator_role_id": str(GUILD)})
    )
    other = augury(guild_id=str(OTHER_GUILD), settings={"moderator_role_id": str(OTHER_GUILD)})
    assert "@everyone" in await refused(services, other)  # the file's own server's @everyone
