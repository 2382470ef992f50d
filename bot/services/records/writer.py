"""Writing one imported prediction (and its people) inside an import's batch transaction.

:mod:`bot.services.records.importing` plans the batches and owns the transactions; this turns an
:class:`ImportedPrediction` into rows: the prediction, its key, tags, vote history, current
votes, follows and edits, and its scores when it was resolved YES or NO.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import reminder_schedule
from bot.domain.vocabulary import Outcome, Status
from bot.domain.words import plural
from bot.services.predictions.tags import attach_tags
from bot.services.records.formats import ImportedPrediction, Outsider, Person
from bot.services.resolution.score_writer import write_scores
from db.models import (
    Follower,
    ImportKey,
    OutsideForecaster,
    Prediction,
    PredictionEdit,
    Vote,
    VoteEvent,
)


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
            f"{verb} {plural(self.predictions, 'prediction')} from {self.source}, "
            f"{plural(self.votes, 'forecast')}, {plural(self.outsiders, 'outside forecaster')}; "
            f"{plural(self.scored, 'resolved prediction')} scored.",
        ]
        if self.already:
            lines.append(
                f"{plural(self.already, 'prediction')} "
                f"{'was' if self.already == 1 else 'were'} imported before and skipped."
            )
        if self.settings_applied:
            lines.append("Server settings were restored from the file.")
        lines.extend(self.notes)
        return lines


class People:
    """Discord ids as they are; outsiders by key → one negative id per server."""

    def __init__(self, guild_id: int, report: ImportReport, now: datetime) -> None:
        self.session: AsyncSession | None = None  # the current batch's
        self.created: list[int] = []  # outsider rows this import made (undone on failure)
        self._guild_id = guild_id
        self._report = report
        self._now = now
        self._known: dict[str, int] = {}

    @property
    def _session(self) -> AsyncSession:
        assert self.session is not None
        return self.session

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
            self.created.append(int(found))
        assert found is not None
        self._known[who.key] = -int(found)
        return -int(found)


async def write_prediction(
    session: AsyncSession,
    guild_id: int,
    number: int,
    item: ImportedPrediction,
    people: People,
    channel: int | None,
    report: ImportReport,
) -> int:
    here = channel is not None and item.discord_ids[0] == channel
    channel_id, message_id, thread_id = item.discord_ids if here else (None, None, None)
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
        **reminder_schedule.imported(item.reminders).columns(),
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
    return int(row.id)


def outsiders_in(item: ImportedPrediction) -> set[str]:
    people: list[Person | None] = [item.author, item.resolver]
    people += [e.who for e in item.events]
    people += [v[0] for v in item.votes or []]
    people += [f[0] for f in item.follows] + [e[0] for e in item.edits]
    return {p.key for p in people if isinstance(p, Outsider)}


async def _current_votes(item: ImportedPrediction, people: People) -> dict[int, tuple[Any, ...]]:
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
