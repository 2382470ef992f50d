"""Importing a parsed record (:mod:`bot.services.records_formats`) into a server, all or nothing.

Everything happens in one transaction: a problem found while writing rolls back the whole
import, and ``dry_run`` rolls back on purpose after counting. Each prediction's idempotency key
(``import_keys``) makes importing the same file twice add nothing the second time.

The record is checked first (:func:`bot.services.records_checks.check_record`: the slash
commands' rules), outside the transaction, so a bad file never holds the write lock and writes
nothing. Member time zones in a file are never written: ``user_settings`` is a member's own,
across every server, and no file about one server may change what the member sees in another.
Channel, message and thread ids are kept only from this server's own export, and only in its
prediction channel: anything else may be another server's, and reminders then go to the
server's configured channel.

Forecasters without a Discord id become *outside forecasters* (``outside_forecasters``; their
votes use ``user_id = -id``): they count in the community forecast and in everyone's relative
score, but have no score rows, no leaderboard place and are never pinged. Resolved imports are
scored by :func:`bot.services.score_writer.write_scores` as of their resolution time, exactly
like native ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.vocabulary import Outcome, Status
from bot.services.context import ServiceContext
from bot.services.prediction_tags import attach_tags
from bot.services.records_checks import check_record
from bot.services.records_formats import (
    SERVER_SETTINGS,
    ImportedPrediction,
    ImportedRecord,
    Outsider,
    Person,
)
from bot.services.score_writer import write_scores
from bot.services.server_config import ensure_guild_row
from db.models import (
    Follower,
    GuildSettings,
    ImportKey,
    OutsideForecaster,
    Prediction,
    PredictionEdit,
    Vote,
    VoteEvent,
)


class DryRunDone(Exception):
    """Raised inside the transaction to roll a dry run back."""


@dataclass
class ImportReport:
    source: str
    dry_run: bool
    predictions: int = 0  # new predictions written (or that would be)
    already: int = 0  # skipped: imported before (same idempotency key)
    votes: int = 0  # vote history entries written
    outsiders: int = 0  # outside forecasters created
    scored: int = 0  # resolved predictions scored
    settings_applied: bool = False
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        verb = "Would import" if self.dry_run else "Imported"
        lines = [
            f"{verb} {self.predictions} prediction(s) from {self.source}, "
            f"{self.votes} forecast(s), {self.outsiders} outside forecaster(s); "
            f"{self.scored} resolved prediction(s) scored.",
        ]
        if self.already:
            lines.append(f"{self.already} prediction(s) were imported before and were skipped.")
        if self.settings_applied:
            lines.append("Server settings were restored from the file.")
        lines.extend(self.notes)
        return lines


class RecordsImporter:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def apply(
        self, guild_id: int, record: ImportedRecord, *, dry_run: bool = False
    ) -> ImportReport:
        record = check_record(record, guild_id, self._ctx.clock.now())
        report = ImportReport(record.source, dry_run, notes=list(record.skipped))
        try:
            async with self._ctx.sessions.begin() as session:
                await _apply(session, guild_id, record, report, self._ctx.clock.now())
                if dry_run:
                    raise DryRunDone
        except DryRunDone:
            pass
        return report


async def _apply(
    session: AsyncSession,
    guild_id: int,
    record: ImportedRecord,
    report: ImportReport,
    now: datetime,
) -> None:
    fresh_guild = await session.get(GuildSettings, guild_id) is None
    await ensure_guild_row(session, guild_id)
    if record.settings and fresh_guild:
        values = {k: record.settings[k] for k in SERVER_SETTINGS if k in record.settings}
        await session.execute(
            update(GuildSettings).where(GuildSettings.guild_id == guild_id).values(**values)
        )
        report.settings_applied = True
    elif record.settings:
        report.notes.append("The server already had settings; those in the file were left out.")
    if record.member_timezones:
        report.notes.append(
            f"{len(record.member_timezones)} member time zone(s) in the file were not imported: "
            "a member's time zone is theirs in every server; they set it with /settings."
        )
    keys = [p.key for p in record.predictions]
    done = set()
    for start in range(0, len(keys), 500):
        done |= set(
            await session.scalars(
                select(ImportKey.key).where(
                    ImportKey.guild_id == guild_id, ImportKey.key.in_(keys[start : start + 500])
                )
            )
        )
    people = _People(session, guild_id, report, now)
    used = {
        key for item in record.predictions if item.key not in done for key in _outsiders_in(item)
    }
    for outsider in record.outsiders:  # in the file's order, so keys survive a round trip
        if outsider.key in used:
            await people.id_of(outsider)
    numbers = set(
        await session.scalars(select(Prediction.number).where(Prediction.guild_id == guild_id))
    )
    channel = await session.scalar(
        select(GuildSettings.prediction_channel_id).where(GuildSettings.guild_id == guild_id)
    )
    same_guild = record.source_guild_id == guild_id
    for item in sorted(record.predictions, key=lambda p: (p.number or 0, p.created_at)):
        if item.key in done:
            report.already += 1
            continue
        done.add(item.key)
        number = item.number if item.number and item.number not in numbers else None
        if number is None:
            number = max(numbers, default=0) + 1
        numbers.add(number)
        ids = item.discord_ids
        here = same_guild and channel is not None and ids[0] == channel
        await _write_prediction(session, guild_id, number, item, people, here, report)
    if numbers:
        await session.execute(
            update(GuildSettings)
            .where(GuildSettings.guild_id == guild_id, GuildSettings.last_number < max(numbers))
            .values(last_number=max(numbers))
        )


class _People:
    """Discord ids as they are; outsiders by key → one negative id per server."""

    def __init__(
        self, session: AsyncSession, guild_id: int, report: ImportReport, now: datetime
    ) -> None:
        self._session = session
        self._guild_id = guild_id
        self._report = report
        self._now = now
        self._known: dict[str, int] = {}

    async def id_of(self, who: Person) -> int:
        if isinstance(who, int):
            return who
        return await self._outsider(who)

    async def _outsider(self, who: Outsider) -> int:
        if who.key in self._known:
            return self._known[who.key]
        found = None
        if who.name is not None:  # a named outsider is one person across imports
            row = (
                await self._session.execute(
                    select(OutsideForecaster.id, OutsideForecaster.linked_user_id)
                    .where(
                        OutsideForecaster.guild_id == self._guild_id,
                        OutsideForecaster.name == who.name,
                    )
                    .order_by(OutsideForecaster.id)
                    .limit(1)
                )
            ).first()
            if row is not None and row.linked_user_id is not None:
                # A moderator linked this name to a member: it is the member's record now.
                self._known[who.key] = int(row.linked_user_id)
                return int(row.linked_user_id)
            found = None if row is None else row.id
        if found is None:
            found = await self._session.scalar(
                insert(OutsideForecaster)
                .values(guild_id=self._guild_id, name=who.name, created_at=self._now)
                .returning(OutsideForecaster.id)
            )
            self._report.outsiders += 1
        assert found is not None
        self._known[who.key] = -int(found)
        return -int(found)


async def _write_prediction(
    session: AsyncSession,
    guild_id: int,
    number: int,
    item: ImportedPrediction,
    people: _People,
    ids_here: bool,
    report: ImportReport,
) -> None:
    channel_id, message_id, thread_id = item.discord_ids if ids_here else (None, None, None)
    # Augury's own file carries the reminder state; other sources have no Discord message
    # to remind in, so their open predictions wait for someone to resolve them.
    next_at, sent, warn_at = item.reminders or (None, 0, None)
    row = Prediction(
        guild_id=guild_id,
        number=number,
        author_id=await people.id_of(item.author),
        statement=item.statement,
        details=item.details,
        created_at=item.created_at,
        resolves_at=item.resolves_at,
        closes_at=item.closes_at,
        status=item.status,
        visibility=item.visibility,
        edited_at=item.edited_at,
        outcome=item.outcome,
        resolved_at=item.resolved_at,
        resolver_id=None if item.resolver is None else await people.id_of(item.resolver),
        resolution_note=item.resolution_note,
        resolution_source=item.resolution_source,
        source_message_url=item.source_message_url,
        claimant_id=None if item.claimant is None else await people.id_of(item.claimant),
        channel_id=channel_id,
        message_id=message_id,
        thread_id=thread_id,
        next_reminder_at=next_at,
        reminders_sent=sent,
        close_warning_at=warn_at,
    )
    session.add(row)
    await session.flush()
    session.add(ImportKey(guild_id=guild_id, key=item.key, prediction_id=row.id))
    await attach_tags(session, guild_id, row.id, item.tags)
    events = []
    for event in item.events:
        events.append(
            {
                "prediction_id": row.id,
                "user_id": await people.id_of(event.who),
                "permille": event.permille,
                "source": event.source,
                "created_at": event.when,
                "reason": event.reason,
            }
        )
    if events:
        await session.execute(insert(VoteEvent), events)
    report.votes += len(events)
    votes = await _current_votes(item, people)
    # A current vote's reason is its latest change's (a change without one clears it).
    reasons = {event["user_id"]: event["reason"] for event in events}
    if votes:
        await session.execute(
            insert(Vote),
            [
                {
                    "prediction_id": row.id,
                    "user_id": u,
                    "permille": p,
                    "source": s,
                    "updated_at": t,
                    "reason": reasons.get(u),
                }
                for u, (p, s, t) in votes.items()
            ],
        )
    follows = {await people.id_of(who): following for who, following in item.follows}
    if follows:
        await session.execute(
            insert(Follower),
            [{"prediction_id": row.id, "user_id": u, "following": f} for u, f in follows.items()],
        )
    for who, name, old, new, at in item.edits:
        session.add(
            PredictionEdit(
                prediction_id=row.id,
                editor_id=await people.id_of(who),
                field=name,
                old_value=old,
                new_value=new,
                created_at=at,
            )
        )
    if item.status == Status.RESOLVED and item.outcome in (Outcome.YES, Outcome.NO):
        assert item.resolved_at is not None
        await write_scores(session, row, item.outcome, item.resolved_at)
        report.scored += 1
    await session.flush()
    report.predictions += 1


def _outsiders_in(item: ImportedPrediction) -> set[str]:
    people: list[Person | None] = [item.author, item.resolver]
    people += [e.who for e in item.events]
    people += [v[0] for v in item.votes or []]
    people += [f[0] for f in item.follows] + [e[0] for e in item.edits]
    return {p.key for p in people if isinstance(p, Outsider)}


async def _current_votes(item: ImportedPrediction, people: _People) -> dict[int, tuple[Any, ...]]:
    """The file's current votes, or each forecaster's last non-retracted event."""
    if item.votes is not None:
        return {await people.id_of(w): (p, s, t) for w, p, s, t in item.votes}
    current: dict[int, tuple[Any, ...]] = {}
    for event in sorted(item.events, key=lambda e: e.when):
        user_id = await people.id_of(event.who)
        if event.permille is None:
            current.pop(user_id, None)
        else:
            current[user_id] = (event.permille, event.source, event.when)
    return current
