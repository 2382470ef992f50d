"""Resolving and reopening: outcome and scores are written in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import reminder_schedule
from bot.domain.actor import Actor
from bot.domain.errors import InvalidState
from bot.domain.kinds import StoredOutcome, kind_for, parse_resolution
from bot.domain.kinds.words import logged_outcome
from bot.domain.rules import check_author_may_still, check_may_manage, check_may_reopen
from bot.domain.text import NOTE_MAX, REASON_MAX, SOURCE_MAX, clean_optional
from bot.domain.vocabulary import Outcome, Status
from bot.services.core.context import ServiceContext
from bot.services.core.dto import PredictionInfo
from bot.services.core.prediction_rows import (
    claim_status,
    load_info,
    log_edit,
    managed_prediction,
    mark_message_stale,
    others_have_voted,
    prediction_in_guild,
    schedule_of,
    set_schedule,
)
from bot.services.core.server_config import load_guild
from bot.services.resolution.score_writer import remove_scores, write_scores
from db.models import Follower, Prediction


@dataclass(frozen=True)
class Resolved:
    """What a resolution makes public. ``ping_followers`` is False when the followers were
    already told this very outcome (resolved, reopened, resolved the same again): it is still
    posted, but pinging them again would make every reopen a ping loop."""

    prediction: PredictionInfo
    followers: tuple[int, ...]
    archive_thread: bool
    ping_followers: bool = True


@dataclass(frozen=True)
class Reopened:
    """The reopened prediction, and the reason as stored (cleaned), for the thread post."""

    prediction: PredictionInfo
    reason: str | None


class ResolutionService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def resolve(
        self,
        guild_id: int,
        number: int,
        actor: Actor,
        outcome: Outcome | str,
        *,
        note: str | None = None,
        source: str | None = None,
    ) -> Resolved:
        """The kind's outcome (yes/no: YES or NO) or AMBIGUOUS, by the author or a moderator;
        early resolution is allowed. The outcome is read by the prediction's kind."""
        note = clean_optional(note, NOTE_MAX, "note")
        source = clean_optional(source, SOURCE_MAX, "source")
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            row, guild = await managed_prediction(session, guild_id, number, actor, "resolve")
            kind = kind_for(row.kind, row.kind_spec)
            resolution = parse_resolution(kind, outcome)  # the kind's rules; AMBIGUOUS for all
            stored = resolution.stored(kind)
            chosen = stored.outcome
            _check_resolvable(row, number)
            if chosen == Outcome.AMBIGUOUS:
                check_author_may_still(
                    actor,
                    guild.moderator_role_id,
                    others_voted=await others_have_voted(session, row),
                    closes_at=row.closes_at,
                    now=now,
                    number=number,
                    what="resolve it AMBIGUOUS",
                )
            if not await claim_status(session, row.id, Status.OPEN, Status.RESOLVED):
                await session.refresh(row)  # someone else resolved or cancelled it meanwhile
                _check_resolvable(row, number)
                raise InvalidState(f"#{number} changed while you resolved it; try again.")
            await write_scores(session, row, chosen, now, resolution.outcome)
            log_edit(session, row, actor, "outcome", None, logged_outcome(kind, stored), now)
            # Durable (not in memory), so it holds across restarts and processes.
            # Another kind's outcome is ANSWERED whatever the answer: the value tells them apart.
            ping = (row.announced_outcome, row.announced_value) != (chosen, stored.payload)
            row.announced_outcome = chosen
            row.announced_value = stored.payload
            row.status = Status.RESOLVED
            row.outcome = chosen
            row.outcome_value = stored.payload
            row.resolved_at = now
            row.resolver_id = actor.user_id
            row.resolution_note = note
            row.resolution_source = source
            set_schedule(row, reminder_schedule.ended(schedule_of(row)))
            await session.flush()
            await mark_message_stale(session, [row.id])
            info = await load_info(session, row)
            followers = await _followers(session, row.id)
            return Resolved(info, followers, guild.archive_on_resolve, ping)

    async def reopen(
        self, guild_id: int, number: int, actor: Actor, *, reason: str | None = None
    ) -> Reopened:
        """Undo a resolution: scores go, reminders resume, the edit log remembers who and why.

        Once someone else has voted, only a moderator may, with a reason
        (:func:`bot.domain.rules.check_may_reopen`).
        """
        reason = clean_optional(reason, REASON_MAX, "reason")
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            row, guild = await managed_prediction(session, guild_id, number, actor, "reopen")
            if row.status != Status.RESOLVED:
                raise InvalidState(f"#{number} is not resolved, so there is nothing to reopen.")
            check_may_reopen(
                actor,
                row.author_id,
                guild.moderator_role_id,
                others_voted=await others_have_voted(session, row),
                reason=reason,
                number=number,
            )
            if not await claim_status(session, row.id, Status.RESOLVED, Status.OPEN):
                raise InvalidState(f"#{number} is not resolved, so there is nothing to reopen.")
            await remove_scores(session, row)
            was = logged_outcome(
                kind_for(row.kind, row.kind_spec),
                StoredOutcome(row.outcome, row.outcome_value) if row.outcome else None,
            )
            log_edit(session, row, actor, "outcome", was, None, now, reason=reason)
            row.status = Status.OPEN
            row.outcome = None
            row.outcome_value = None
            row.resolved_at = None
            row.resolver_id = None
            row.resolution_note = None
            row.resolution_source = None
            schedule = reminder_schedule.reopened(
                schedule_of(row),
                resolves_at=row.resolves_at,
                interval_hours=guild.reminder_interval_hours,
                now=now,
            )
            set_schedule(row, schedule)
            await session.flush()
            await mark_message_stale(session, [row.id])
            return Reopened(await load_info(session, row), reason)

    async def can_resolve(self, guild_id: int, prediction_id: int, actor: Actor) -> int:
        """The prediction's number if ``actor`` may resolve it (for the reminder buttons)."""
        async with self._ctx.sessions() as session:
            row = await prediction_in_guild(session, guild_id, prediction_id)
            guild = await load_guild(session, guild_id)
            check_may_manage(actor, row.author_id, guild.moderator_role_id, row.number, "resolve")
            return row.number


def _check_resolvable(row: Prediction, number: int) -> None:
    if row.status == Status.RESOLVED:
        raise InvalidState(
            f"#{number} is already resolved {_said(row)}. "
            "Use `/predictions reopen` first to change it."
        )
    if row.status == Status.CANCELLED:
        raise InvalidState(f"#{number} was cancelled, so it cannot be resolved.")


def _said(row: Prediction) -> str:
    """The stored outcome in words, as the prediction's kind says it."""
    if row.outcome in (None, Outcome.AMBIGUOUS):
        return str(row.outcome).upper()
    kind = kind_for(row.kind, row.kind_spec)
    return kind.describe_outcome(kind.load_outcome(StoredOutcome(row.outcome, row.outcome_value)))


async def _followers(session: AsyncSession, prediction_id: int) -> tuple[int, ...]:
    rows = await session.scalars(
        select(Follower.user_id)
        .where(Follower.prediction_id == prediction_id, Follower.following.is_(True))
        .order_by(Follower.user_id)
    )
    return tuple(rows)
