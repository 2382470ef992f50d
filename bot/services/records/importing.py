"""Importing a parsed record (:mod:`bot.services.records.formats`) into a server, all or nothing.

Predictions are written in batches (:data:`BATCH_FORECASTS` forecasts per transaction), so a
200,000-forecast import never holds the write lock for long; a problem found while writing
removes what the earlier batches wrote, and ``dry_run`` rolls every batch back after counting.
Each prediction's idempotency key (``import_keys``) makes importing the same file twice add
nothing the second time.

The record is checked first (:func:`bot.services.records.checks.check_record`: the slash
commands' rules), outside the transaction, so a bad file never holds the write lock and writes
nothing. Member time zones in a file are never written: ``user_settings`` is a member's own,
across every server, and no file about one server may change what the member sees in another.
Channel, message and thread ids are kept only from this server's own export, and only in its
prediction channel: anything else may be another server's, and reminders then go to the
server's configured channel.

Forecasters without a Discord id become *outside forecasters* (``outside_forecasters``; their
votes use ``user_id = -id``): they count in the community forecast and in everyone's relative
score, but have no score rows, no leaderboard place and are never pinged. Resolved imports are
scored by :func:`bot.services.resolution.score_writer.write_scores` as of their resolution
time, exactly like native ones.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.words import plural
from bot.services.core.context import ServiceContext
from bot.services.core.server_config import ensure_guild_row
from bot.services.records.checks import check_record
from bot.services.records.formats import SERVER_SETTINGS, ImportedPrediction, ImportedRecord
from bot.services.records.writer import ImportReport, People, outsiders_in, write_prediction
from db.models import GuildSettings, ImportKey, OutsideForecaster, Prediction

__all__ = ["BATCH_FORECASTS", "DryRunDone", "ImportReport", "RecordsImporter"]


class DryRunDone(Exception):
    """Raised inside the transaction to roll a dry run back."""


#: Forecasts written per transaction: the write lock is held for one batch (~0.5 s at this
#: size on SQLite), so members' votes go through between batches (bench/import.py).
BATCH_FORECASTS = 2_000
#: Predictions per transaction at most (questions with few forecasts).
BATCH_PREDICTIONS = 100
#: Seconds between two batches: a writer waiting on SQLite's busy handler retries at most every
#: 100 ms, so without a pause the import would take the lock back first, every time.
BATCH_PAUSE = 0.1


@dataclass
class _Plan:
    """What the import will do, read before any write."""

    fresh_guild: bool
    channel: int | None
    batches: list[list[tuple[ImportedPrediction, int]]]
    last_number: int


class RecordsImporter:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def apply(
        self, guild_id: int, record: ImportedRecord, *, dry_run: bool = False
    ) -> ImportReport:
        """Check, then write in batches; a failure removes what earlier batches wrote.

        Each batch is one transaction of at most :data:`BATCH_FORECASTS` forecasts, so a large
        import never holds the write lock for long. If the process dies between batches, the
        idempotency keys make running the same import again finish it.
        """
        now = self._ctx.clock.now()
        record = await asyncio.to_thread(check_record, record, guild_id, now)
        report = ImportReport(record.source, dry_run, notes=list(record.skipped))
        plan = await self._plan(guild_id, record, report)
        people = People(guild_id, report, now)
        written: list[int] = []
        try:
            for index, batch in enumerate(plan.batches):
                if index:
                    await asyncio.sleep(BATCH_PAUSE)  # let waiting writers (votes) in
                try:
                    async with self._ctx.sessions.begin() as session:
                        people.session = session
                        if index == 0:
                            await _outsiders_first(people, record, batch, plan)
                        for item, number in batch:
                            row_id = await write_prediction(
                                session, guild_id, number, item, people, plan.channel, report
                            )
                            written.append(row_id)
                        if dry_run:
                            raise DryRunDone
                except DryRunDone:
                    pass
            async with self._ctx.sessions.begin() as session:
                await _finish(session, guild_id, record, report, plan, dry_run)
        except BaseException:
            if not dry_run:
                await self._undo(written, people.created)
            raise
        return report

    async def _plan(self, guild_id: int, record: ImportedRecord, report: ImportReport) -> _Plan:
        async with self._ctx.sessions() as session:
            guild = await session.get(GuildSettings, guild_id)
            keys = [p.key for p in record.predictions]
            done: set[str] = set()
            for start in range(0, len(keys), 500):
                done |= set(
                    await session.scalars(
                        select(ImportKey.key).where(
                            ImportKey.guild_id == guild_id,
                            ImportKey.key.in_(keys[start : start + 500]),
                        )
                    )
                )
            numbers = set(
                await session.scalars(
                    select(Prediction.number).where(Prediction.guild_id == guild_id)
                )
            )
        channel = None if guild is None else guild.prediction_channel_id
        if guild is None and record.settings:
            channel = record.settings.get("prediction_channel_id")
        same_guild = record.source_guild_id == guild_id
        batches: list[list[tuple[ImportedPrediction, int]]] = [[]]
        size = 0
        for item in sorted(record.predictions, key=lambda p: (p.number or 0, p.created_at)):
            if item.key in done:
                report.already += 1
                continue
            done.add(item.key)
            number = item.number if item.number and item.number not in numbers else None
            if number is None:
                number = max(numbers, default=0) + 1
            numbers.add(number)
            forecasts = len(item.events) + len(item.votes or ())
            if batches[-1] and (
                size + forecasts > BATCH_FORECASTS or len(batches[-1]) >= BATCH_PREDICTIONS
            ):
                batches.append([])
                size = 0
            batches[-1].append((item, number))
            size += forecasts
        return _Plan(
            fresh_guild=guild is None,
            channel=channel if same_guild else None,
            batches=[b for b in batches if b],
            last_number=max(numbers, default=0),
        )

    async def _undo(self, written: list[int], outsiders: list[int]) -> None:
        """Remove what earlier batches of a failed import wrote (rows cascade)."""
        async with self._ctx.sessions.begin() as session:
            for start in range(0, len(written), 500):
                await session.execute(
                    delete(Prediction).where(Prediction.id.in_(written[start : start + 500]))
                )
            for start in range(0, len(outsiders), 500):
                await session.execute(
                    delete(OutsideForecaster).where(
                        OutsideForecaster.id.in_(outsiders[start : start + 500])
                    )
                )


async def _outsiders_first(
    people: People,
    record: ImportedRecord,
    batch: list[tuple[ImportedPrediction, int]],
    plan: _Plan,
) -> None:
    """The file's outsiders in the file's order, so their keys survive a round trip."""
    used = {key for b in plan.batches for item, _ in b for key in outsiders_in(item)}
    for outsider in record.outsiders:
        if outsider.key in used:
            await people.id_of(outsider)


async def _finish(
    session: AsyncSession,
    guild_id: int,
    record: ImportedRecord,
    report: ImportReport,
    plan: _Plan,
    dry_run: bool,
) -> None:
    """Last: the server's settings (a fresh server only) and its next number."""
    await ensure_guild_row(session, guild_id)
    if record.settings and plan.fresh_guild:
        values = {k: record.settings[k] for k in SERVER_SETTINGS if k in record.settings}
        await session.execute(
            update(GuildSettings).where(GuildSettings.guild_id == guild_id).values(**values)
        )
        report.settings_applied = True
    elif record.settings:
        report.notes.append("The server already had settings; those in the file were left out.")
    if record.member_timezones:
        report.notes.append(
            f"{plural(len(record.member_timezones), 'member time zone')} in the file "
            f"{'was' if len(record.member_timezones) == 1 else 'were'} not imported: a member's "
            "time zone is theirs in every server; they set it with `/timezone`."
        )
    if plan.last_number and not dry_run:
        await session.execute(
            update(GuildSettings)
            .where(GuildSettings.guild_id == guild_id, GuildSettings.last_number < plan.last_number)
            .values(last_number=plan.last_number)
        )
