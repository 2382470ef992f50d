"""Exporting a server's record (or one member's) as CSV or JSON, streamed in chunks.

Rows are read from the database a chunk of predictions at a time (keyset pagination on the
number), and each chunk is encoded in a worker thread, so a server with a million predictions
never sits in memory at once and the event loop keeps serving members meanwhile. The output
goes to a :class:`Sink` (a file for the command line, a capped buffer for Discord).

The JSON holds everything needed to rebuild the record (:mod:`bot.services.records.importing`
reads it back); the CSV is one row per forecast for spreadsheets.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import Row, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.actor import Actor
from bot.domain.errors import NotAllowed
from bot.services.core.context import ServiceContext
from bot.services.predictions.tags import tags_of
from bot.services.records.encoding import (
    RawChunk,
    csv_header,
    csv_rows,
    describe,
    iso,
    json_predictions,
)
from bot.services.records.formats import SERVER_SETTINGS
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


WHOLE_SERVER_REFUSED = (
    "Only moderators (the moderator role, or Manage Server) can export the whole server. "
    "`/predictions export` gives you your own predictions and forecasts."
)


class RecordsExporter:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def export_as(
        self, actor: Actor, guild_id: int, whole_server: bool, fmt: ExportFormat, sink: Sink
    ) -> int:
        """A member's export: their own record, or (moderators only) the whole server's.

        The rule lives here, not in the command, so every way of asking obeys it.
        """
        if whole_server:
            async with self._ctx.sessions() as session:
                role = await session.scalar(
                    select(GuildSettings.moderator_role_id).where(
                        GuildSettings.guild_id == guild_id
                    )
                )
            if not actor.is_moderator(role):
                raise NotAllowed(WHOLE_SERVER_REFUSED)
        scope = ExportScope(guild_id, None if whole_server else actor.user_id)
        return await self.export(scope, fmt, sink)

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
                await write(csv_header)
            count = 0
            async for chunk in _chunks(session, scope):
                if fmt == ExportFormat.JSON:
                    first = count == 0
                    await write(
                        lambda c=chunk, f=first: json_predictions(describe(c, outsiders), f)  # type: ignore[misc]
                    )
                else:
                    await write(lambda c=chunk: csv_rows(describe(c, outsiders), labels))  # type: ignore[misc]
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
        else {name: _plain(getattr(guild, name)) for name in SERVER_SETTINGS}
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
