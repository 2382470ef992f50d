"""Resolving and reopening: outcome and scores are written in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import InvalidInput, InvalidState, NotAllowed
from bot.services.base import Actor, ServiceContext
from bot.services.dto import PredictionInfo
from bot.services.records import claim_status, get_prediction, load_info
from bot.services.settings import load_guild
from bot.services.text_rules import NOTE_MAX, SOURCE_MAX, clean_optional
from bot.services.track_record import remove_scores, write_scores
from db.models import Follower, Outcome, Prediction, PredictionEdit, Status

OUTCOMES = tuple(o.value for o in Outcome)


@dataclass(frozen=True)
class Resolved:
    prediction: PredictionInfo
    followers: tuple[int, ...]
    archive_thread: bool


class ResolutionService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def resolve(
        self,
        guild_id: int,
        number: int,
        actor: Actor,
        outcome: str,
        *,
        note: str | None = None,
        source: str | None = None,
    ) -> Resolved:
        """YES, NO or AMBIGUOUS, by the author or a moderator; early resolution is allowed."""
        outcome = (outcome or "").strip().lower()
        if outcome not in OUTCOMES:
            raise InvalidInput("The outcome is `yes`, `no` or `ambiguous`.")
        note = clean_optional(note, NOTE_MAX, "note")
        source = clean_optional(source, SOURCE_MAX, "source")
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            row = await get_prediction(session, guild_id, number, for_update=True)
            guild = await load_guild(session, guild_id)
            _check_resolver(row, actor, guild.moderator_role_id, "resolve")
            _check_resolvable(row, number)
            if not await claim_status(session, row.id, Status.OPEN, Status.RESOLVED):
                await session.refresh(row)  # someone else resolved or cancelled it meanwhile
                _check_resolvable(row, number)
                raise InvalidState(f"#{number} changed while you resolved it; try again.")
            await write_scores(session, row, outcome, now)
            row.status = Status.RESOLVED
            row.outcome = outcome
            row.resolved_at = now
            row.resolver_id = actor.user_id
            row.resolution_note = note
            row.resolution_source = source
            row.next_reminder_at = None
            row.close_warning_at = None
            await session.flush()
            info = await load_info(session, row)
            followers = await _followers(session, row.id)
            return Resolved(info, followers, guild.archive_on_resolve)

    async def reopen(self, guild_id: int, number: int, actor: Actor) -> PredictionInfo:
        """Undo a resolution: scores go, reminders resume, the edit log remembers."""
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            row = await get_prediction(session, guild_id, number, for_update=True)
            guild = await load_guild(session, guild_id)
            _check_resolver(row, actor, guild.moderator_role_id, "reopen")
            if row.status != Status.RESOLVED or not await claim_status(
                session, row.id, Status.RESOLVED, Status.OPEN
            ):
                raise InvalidState(f"#{number} is not resolved, so there is nothing to reopen.")
            await remove_scores(session, row)
            session.add(
                PredictionEdit(
                    prediction_id=row.id,
                    editor_id=actor.user_id,
                    field="outcome",
                    old_value=row.outcome,
                    new_value=None,
                    created_at=now,
                )
            )
            row.status = Status.OPEN
            row.outcome = None
            row.resolved_at = None
            row.resolver_id = None
            row.resolution_note = None
            row.resolution_source = None
            row.reminders_sent = 0
            row.next_reminder_at = max(
                row.resolves_at, now + timedelta(hours=guild.reminder_interval_hours)
            )
            await session.flush()
            return await load_info(session, row)

    async def can_resolve(self, guild_id: int, prediction_id: int, actor: Actor) -> int:
        """The prediction's number if ``actor`` may resolve it (for the reminder buttons)."""
        async with self._ctx.sessions() as session:
            row = await session.get(Prediction, prediction_id)
            if row is None or row.guild_id != guild_id:
                raise InvalidState("That prediction no longer exists in this server.")
            guild = await load_guild(session, guild_id)
            _check_resolver(row, actor, guild.moderator_role_id, "resolve")
            return row.number


def _check_resolvable(row: Prediction, number: int) -> None:
    if row.status == Status.RESOLVED:
        raise InvalidState(
            f"#{number} is already resolved {str(row.outcome).upper()}. "
            "Use `/predictions reopen` first to change it."
        )
    if row.status == Status.CANCELLED:
        raise InvalidState(f"#{number} was cancelled, so it cannot be resolved.")


def _check_resolver(
    row: Prediction, actor: Actor, moderator_role_id: int | None, verb: str
) -> None:
    if actor.user_id != row.author_id and not actor.is_moderator(moderator_role_id):
        raise NotAllowed(
            f"Only the author of #{row.number}, a moderator or someone with Manage Server "
            f"can {verb} it. Vote with the buttons instead, or ask them."
        )


async def _followers(session: AsyncSession, prediction_id: int) -> tuple[int, ...]:
    rows = await session.scalars(
        select(Follower.user_id)
        .where(Follower.prediction_id == prediction_id, Follower.following.is_(True))
        .order_by(Follower.user_id)
    )
    return tuple(rows)
