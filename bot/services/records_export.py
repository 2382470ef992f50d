"""Exporting a server's record (or one member's) as CSV or JSON, streamed in chunks.

Rows are read from the database a chunk of predictions at a time (keyset pagination on the
number), and each chunk is encoded in a worker thread, so a server with a million predictions
never sits in memory at once and the event loop keeps serving members meanwhile. The output
goes to a :class:`Sink` (a file for the command line, a capped buffer for Discord).

The JSON holds everything needed to rebuild the record (:mod:`bot.services.records_import`
reads it back); the CSV is one row per forecast for spreadsheets.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import Row, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.vocabulary import Outcome
from bot.services.context import ServiceContext
from bot.services.prediction_tags import tags_of
from db.models import (
    Follower,
    GuildSettings,
    OutsideForecaster,
    Prediction,
    PredictionEdit,
    UserSettings,
    Vote,
    VoteEvent,
)

FORMAT_NAME = "augury"
FORMAT_VERSION = 1
CHUNK = 25  # predictions per round trip: bounds the rows processed on the event loop at once
PARTITION = 500  # related rows (votes, history) handled between two yields to the loop
CSV_COLUMNS = (
    "number",
    "statement",
    "tags",
    "author",
    "created",
    "resolves",
    "closes",
    "status",
    "outcome",
    "resolved at",
    "forecaster",
    "probability",
    "forecast time",
    "reason",
    "brier score",
)
GUILD_FIELDS = (
    "prediction_channel_id",
    "moderator_role_id",
    "timezone",
    "default_visibility",
    "reminder_interval_hours",
    "reminder_count",
    "close_warning",
    "archive_on_resolve",
    "reaction_keycaps",
    "leaderboard_min_resolved",
)


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


class Sink(Protocol):
    def write(self, data: bytes) -> None: ...


class TooLarge(Exception):
    """The export outgrew the sink's cap (Discord's attachment size)."""


@dataclass
class CappedBuffer:
    """Collects an export in memory, refusing to grow past ``limit`` bytes."""

    limit: int
    parts: list[bytes] = field(default_factory=list)
    size: int = 0

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise TooLarge(self.size)
        self.parts.append(data)

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


@dataclass(frozen=True)
class ExportScope:
    """The whole server (``user_id`` None) or what one member authored and forecast."""

    guild_id: int
    user_id: int | None = None


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def person(user_id: int | None, outsiders: dict[int, str]) -> str | None:
    """A Discord id as text (spreadsheets mangle 18-digit numbers), or an outsider's key."""
    if user_id is None:
        return None
    return outsiders.get(user_id, str(user_id))


class RecordsExporter:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def export(self, scope: ExportScope, fmt: ExportFormat, sink: Sink) -> int:
        """Write the export to ``sink``; the number of predictions written."""
        write = _threaded_writer(sink)
        async with self._ctx.sessions() as session:
            outsiders = await _outsiders(session, scope.guild_id)
            labels = await _labels(session, scope.guild_id, outsiders)
            if fmt == ExportFormat.JSON:
                head = await _json_head(session, scope, outsiders, self._ctx.clock.now())
                await write(lambda: head)
            else:
                await write(_csv_header)
            count = 0
            async for chunk in _chunks(session, scope):
                if fmt == ExportFormat.JSON:
                    first = count == 0
                    await write(
                        lambda c=chunk, f=first: _json_predictions(_describe(c, outsiders), f)  # type: ignore[misc]
                    )
                else:
                    await write(lambda c=chunk: _csv_rows(_describe(c, outsiders), labels))  # type: ignore[misc]
                count += len(chunk.predictions)
            if fmt == ExportFormat.JSON:
                await write(lambda: b"\n  ]\n}\n")
        return count


def _threaded_writer(sink: Sink) -> Callable[[Callable[[], bytes]], Awaitable[None]]:
    """Encode (CPU) and write (I/O) in a worker thread, one chunk at a time."""

    async def write(encode: Callable[[], bytes]) -> None:
        await asyncio.to_thread(lambda: sink.write(encode()))

    return write


async def _outsiders(session: AsyncSession, guild_id: int) -> dict[int, str]:
    """Negative user id → stable key (``outside-1``…, in creation order)."""
    rows = await session.scalars(
        select(OutsideForecaster.id)
        .where(OutsideForecaster.guild_id == guild_id)
        .order_by(OutsideForecaster.id)
    )
    return {-row: f"outside-{index}" for index, row in enumerate(rows, start=1)}


async def _labels(
    session: AsyncSession, guild_id: int, outsiders: dict[int, str]
) -> dict[str, str]:
    """Outsider key → what a spreadsheet shows: their name, or "former member"."""
    rows = await session.execute(
        select(OutsideForecaster.id, OutsideForecaster.name).where(
            OutsideForecaster.guild_id == guild_id
        )
    )
    return {outsiders[-i]: (name or "former member") for i, name in rows if -i in outsiders}


async def _json_head(
    session: AsyncSession, scope: ExportScope, outsiders: dict[int, str], now: datetime
) -> bytes:
    guild = await session.get(GuildSettings, scope.guild_id)
    settings = (
        None
        if guild is None or scope.user_id is not None
        else {name: _plain(getattr(guild, name)) for name in GUILD_FIELDS}
    )
    rows = await session.execute(
        select(OutsideForecaster.id, OutsideForecaster.name).where(
            OutsideForecaster.guild_id == scope.guild_id
        )
    )
    names = {int(i): name for i, name in rows}
    people = [
        {"key": key, "name": names.get(-user_id)}
        for user_id, key in sorted(outsiders.items(), reverse=True)
    ]
    zones_stmt = select(UserSettings.user_id, UserSettings.timezone).where(
        UserSettings.timezone.is_not(None)
    )
    if scope.user_id is not None:
        zones_stmt = zones_stmt.where(UserSettings.user_id == scope.user_id)
        people = []
    else:
        zones_stmt = zones_stmt.where(
            or_(
                UserSettings.user_id.in_(
                    select(Prediction.author_id).where(Prediction.guild_id == scope.guild_id)
                ),
                UserSettings.user_id.in_(
                    select(VoteEvent.user_id)
                    .join(Prediction, Prediction.id == VoteEvent.prediction_id)
                    .where(Prediction.guild_id == scope.guild_id)
                ),
            )
        )
    zones = {
        str(user_id): zone
        for user_id, zone in await session.execute(zones_stmt.order_by(UserSettings.user_id))
    }
    head = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "guild_id": str(scope.guild_id),
        "scope": "server" if scope.user_id is None else "member",
        "member_id": None if scope.user_id is None else str(scope.user_id),
        "exported_at": iso(now),
        "settings": settings,
        "member_timezones": zones,
        "outside_forecasters": people,
    }
    text = json.dumps(head, indent=2, ensure_ascii=False)
    return (text[: text.rindex("}")].rstrip() + ',\n  "predictions": [').encode()


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, StrEnum) else value


@dataclass(frozen=True)
class RawChunk:
    """One chunk of rows as the database returned them (Core rows: no ORM objects to build
    on the event loop); :func:`_describe` turns it into dicts in the worker thread."""

    predictions: list[Row[Any]]
    tags: dict[int, tuple[str, ...]]
    votes: dict[int, list[Row[Any]]]
    events: dict[int, list[Row[Any]]]
    follows: dict[int, list[Row[Any]]]
    edits: dict[int, list[Row[Any]]]


async def _chunks(session: AsyncSession, scope: ExportScope) -> AsyncIterator[RawChunk]:
    """Predictions ``CHUNK`` at a time, by number (keyset pagination: no OFFSET scans)."""
    after = 0
    table = Prediction.__table__
    while True:
        stmt = select(*table.c).where(
            Prediction.guild_id == scope.guild_id, Prediction.number > after
        )
        if scope.user_id is not None:
            stmt = stmt.where(
                or_(
                    Prediction.author_id == scope.user_id,
                    Prediction.id.in_(
                        select(VoteEvent.prediction_id).where(VoteEvent.user_id == scope.user_id)
                    ),
                )
            )
        rows = list(await session.execute(stmt.order_by(Prediction.number).limit(CHUNK)))
        if not rows:
            return
        yield await _fetch_related(session, rows, scope.user_id)
        after = rows[-1].number
        await asyncio.sleep(0)  # let members' interactions in between chunks


async def _fetch_related(session: AsyncSession, rows: list[Row[Any]], only: int | None) -> RawChunk:
    ids = [row.id for row in rows]

    async def grouped(model: Any, person: Any, order: tuple[Any, ...]) -> dict[int, list[Row[Any]]]:
        stmt = select(*model.__table__.c).where(model.prediction_id.in_(ids))
        if only is not None:
            stmt = stmt.where(person == only)
        found: dict[int, list[Row[Any]]] = {}
        result = await session.stream(stmt.order_by(model.prediction_id, *order))
        async for partition in result.partitions(PARTITION):  # 20,000 votes on one prediction
            for row in partition:
                found.setdefault(row.prediction_id, []).append(row)
            await asyncio.sleep(0)
        return found

    return RawChunk(
        predictions=rows,
        tags=await tags_of(session, ids),
        votes=await grouped(Vote, Vote.user_id, (Vote.user_id,)),
        events=await grouped(VoteEvent, VoteEvent.user_id, (VoteEvent.created_at, VoteEvent.id)),
        follows=await grouped(Follower, Follower.user_id, (Follower.user_id,)),
        edits=await grouped(PredictionEdit, PredictionEdit.editor_id, (PredictionEdit.id,)),
    )


def _describe(chunk: RawChunk, outsiders: dict[int, str]) -> list[dict[str, Any]]:
    """The chunk as the export's prediction objects (pure: runs in the worker thread)."""

    def who(user_id: int | None) -> str | None:
        return person(user_id, outsiders)

    def ids(row: Row[Any]) -> dict[str, str | None]:
        return {
            key: None if getattr(row, key) is None else str(getattr(row, key))
            for key in ("channel_id", "message_id", "thread_id")
        }

    out = []
    for row in chunk.predictions:
        out.append(
            {
                "number": row.number,
                "statement": row.statement,
                "details": row.details,
                "tags": list(chunk.tags.get(row.id, ())),
                "author": who(row.author_id),
                "created_at": iso(row.created_at),
                "resolves_at": iso(row.resolves_at),
                "closes_at": iso(row.closes_at),
                "status": row.status.value,
                "visibility": row.visibility.value,
                "edited_at": iso(row.edited_at),
                "outcome": None if row.outcome is None else row.outcome.value,
                "resolved_at": iso(row.resolved_at),
                "resolver": who(row.resolver_id),
                "resolution_note": row.resolution_note,
                "resolution_source": row.resolution_source,
                "source_message_url": row.source_message_url,
                "discord": ids(row),
                "reminders": {
                    "next_at": iso(row.next_reminder_at),
                    "sent": row.reminders_sent,
                    "close_warning_at": iso(row.close_warning_at),
                },
                "votes": [
                    {
                        "forecaster": who(v.user_id),
                        "permille": v.permille,
                        "source": v.source.value,
                        "updated_at": iso(v.updated_at),
                    }
                    for v in chunk.votes.get(row.id, [])
                ],
                "vote_history": [
                    {
                        "forecaster": who(e.user_id),
                        "permille": e.permille,
                        "source": e.source.value,
                        "created_at": iso(e.created_at),
                    }
                    for e in chunk.events.get(row.id, [])
                ],
                "follows": [
                    {"member": who(f.user_id), "following": f.following}
                    for f in chunk.follows.get(row.id, [])
                ],
                "edits": [
                    {
                        "editor": who(e.editor_id),
                        "field": e.field,
                        "old": e.old_value,
                        "new": e.new_value,
                        "at": iso(e.created_at),
                    }
                    for e in chunk.edits.get(row.id, [])
                ],
            }
        )
    return out


def _json_predictions(chunk: Iterable[dict[str, Any]], first: bool) -> bytes:
    parts = [
        "\n    " + json.dumps(item, ensure_ascii=False, separators=(",", ":")) for item in chunk
    ]
    return (("" if first else ",") + ",".join(parts)).encode()


def _csv_header() -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(CSV_COLUMNS)
    return buffer.getvalue().encode("utf-8-sig")  # the BOM tells spreadsheets it is UTF-8


def _csv_rows(chunk: Iterable[dict[str, Any]], labels: dict[str, str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for item in chunk:
        outcome = item["outcome"]
        for event in item["vote_history"]:
            permille = event["permille"]
            if permille is None:
                continue  # a retraction is not a forecast
            brier = (
                ""
                if outcome not in (Outcome.YES, Outcome.NO)
                else f"{(permille / 1000 - (1.0 if outcome == Outcome.YES else 0.0)) ** 2:.4f}"
            )
            writer.writerow(
                (
                    item["number"],
                    item["statement"],
                    "; ".join(item["tags"]),
                    labels.get(item["author"], item["author"]),
                    _sheet_time(item["created_at"]),
                    _sheet_time(item["resolves_at"]),
                    _sheet_time(item["closes_at"]),
                    item["status"],
                    outcome or "",
                    _sheet_time(item["resolved_at"]),
                    labels.get(event["forecaster"], event["forecaster"]),
                    f"{permille / 10:g}%",
                    _sheet_time(event["created_at"]),
                    "",  # vote reasons are not stored yet
                    brier,
                )
            )
    return buffer.getvalue().encode()


def _sheet_time(value: str | None) -> str:
    """``2027-06-30 12:00:00`` (UTC): what spreadsheets read as a date without help."""
    if value is None:
        return ""
    return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M:%S")
