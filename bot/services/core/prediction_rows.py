"""Reading and changing prediction rows inside a caller's transaction.

Loading by number, conditional status claims, the community aggregate, turning rows into
:class:`~bot.services.core.dto.PredictionInfo`, and marking the public message stale.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Text, cast, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.actor import Actor
from bot.domain.errors import PredictionGone, PredictionNotFound
from bot.domain.kinds import AnyKind, kind_for
from bot.domain.reminder_schedule import Schedule
from bot.domain.rules import check_may_manage
from bot.forecasting.aggregation import geometric_mean_odds_permille, median_permille
from bot.services.core.dto import Community, PredictionInfo
from bot.services.core.server_config import load_guild
from db.models import (
    GuildSettings,
    MemberName,
    Prediction,
    PredictionEdit,
    PredictionTag,
    Tag,
    Vote,
    VoteEvent,
)


async def prediction_in_guild(
    session: AsyncSession, guild_id: int, prediction_id: int
) -> Prediction:
    """The prediction a button or form names by id, if it is still this server's (a button
    outlives its prediction: :class:`PredictionGone`)."""
    row = await session.get(Prediction, prediction_id)
    if row is None or row.guild_id != guild_id:
        raise PredictionGone()
    return row


async def get_prediction(
    session: AsyncSession, guild_id: int, number: int, *, for_update: bool = False
) -> Prediction:
    """The guild's prediction ``number``; another server's numbers are simply not found."""
    stmt = select(Prediction).where(Prediction.guild_id == guild_id, Prediction.number == number)
    if for_update:
        stmt = stmt.with_for_update()
    prediction = await session.scalar(stmt)
    if prediction is None:
        raise PredictionNotFound(number)
    return prediction


async def managed_prediction(
    session: AsyncSession, guild_id: int, number: int, actor: Actor, verb: str
) -> tuple[Prediction, GuildSettings]:
    """The prediction, locked, and its server's settings, once ``actor`` may ``verb`` it."""
    row = await get_prediction(session, guild_id, number, for_update=True)
    guild = await load_guild(session, guild_id)
    check_may_manage(actor, row.author_id, guild.moderator_role_id, number, verb)
    return row, guild


def log_edit(
    session: AsyncSession,
    row: Prediction,
    actor: Actor,
    field: str,
    old: str | None,
    new: str | None,
    now: datetime,
    *,
    reason: str | None = None,
) -> None:
    """One line of the edit log (edits, cancels, reopens), in the caller's transaction."""
    session.add(
        PredictionEdit(
            prediction_id=row.id,
            editor_id=actor.user_id,
            field=field,
            old_value=old,
            new_value=new,
            created_at=now,
            reason=reason,
        )
    )


async def claim_status(session: AsyncSession, prediction_id: int, old: str, new: str) -> bool:
    """Move the status ``old`` → ``new`` only if nobody changed it since it was read.

    ``FOR UPDATE`` serialises this on PostgreSQL, but SQLite ignores it and pysqlite reads
    outside the write transaction: without this guard two concurrent state changes (resolve
    and resolve, resolve and cancel) could both succeed, the later overwriting the earlier.
    ``old == new`` checks that the state is still what the caller saw.
    """
    claimed = await session.scalar(
        update(Prediction)
        .where(Prediction.id == prediction_id, Prediction.status == old)
        .values(status=new)
        .returning(Prediction.id)
        .execution_options(synchronize_session=False)
    )
    return claimed is not None


async def community_for(session: AsyncSession, prediction_id: int) -> Community:
    """The current votes pooled by the prediction's kind (yes/no: per-mille median and
    geometric mean of odds, on plain ints)."""
    setup = (
        await session.execute(
            select(Prediction.kind, Prediction.kind_spec).where(Prediction.id == prediction_id)
        )
    ).one()
    kind = kind_for(setup.kind, setup.kind_spec)
    if not kind.per_mille:
        # The payloads come as text and are decoded in the worker thread with the pool: at
        # 5,000 forecasters decoding them on the event loop was most of its stall.
        rows = await session.execute(
            select(Vote.permille, cast(Vote.forecast, Text)).where(
                Vote.prediction_id == prediction_id
            )
        )
        held = rows.all()
        count, pooled = await asyncio.to_thread(_pool, kind, held)
        return Community(count=count, pooled=pooled)
    stored = await session.scalars(select(Vote.permille).where(Vote.prediction_id == prediction_id))
    permilles = tuple(sorted(p for p in stored if p is not None))
    return Community(
        count=len(permilles),
        median=median_permille(permilles),
        geometric_mean=geometric_mean_odds_permille(permilles),
        permilles=permilles,
    )


def _pool(kind: AnyKind, stored: Sequence[Any]) -> tuple[int, object]:
    """Load and pool (a numeric question's pool is ~10 ms of CPU at 5,000 forecasters).

    The payloads are decoded by one ``json.loads`` of them all as one array: half the time of
    5,000 calls, and the less this thread computes, the less the loop waits for the GIL."""
    payloads = json.loads("[" + ",".join("null" if t is None else t for _, t in stored) + "]")
    forecasts = [
        kind.load_forecast(permille, payload)
        for (permille, _), payload in zip(stored, payloads, strict=True)
    ]
    return len(forecasts), kind.pool(forecasts)


def to_info(
    row: Prediction, community: Community | None = None, tags: tuple[str, ...] = ()
) -> PredictionInfo:
    return PredictionInfo(
        id=row.id,
        guild_id=row.guild_id,
        number=row.number,
        author_id=row.author_id,
        statement=row.statement,
        details=row.details,
        created_at=row.created_at,
        resolves_at=row.resolves_at,
        closes_at=row.closes_at,
        status=row.status,
        visibility=row.visibility,
        edited_at=row.edited_at,
        outcome=row.outcome,
        resolved_at=row.resolved_at,
        resolver_id=row.resolver_id,
        resolution_note=row.resolution_note,
        resolution_source=row.resolution_source,
        channel_id=row.channel_id,
        message_id=row.message_id,
        thread_id=row.thread_id,
        source_message_url=row.source_message_url,
        community=community if community is not None else Community(count=0),
        render_version=row.render_version,
        tags=tags,
        claimant_id=row.claimant_id,
        public_channel=row.public_channel,
        kind=row.kind,
        outcome_value=row.outcome_value,
        kind_spec=row.kind_spec,
    )


async def load_info(session: AsyncSession, row: Prediction) -> PredictionInfo:
    tags = await session.scalars(
        select(Tag.name)
        .join(PredictionTag, PredictionTag.tag_id == Tag.id)
        .where(PredictionTag.prediction_id == row.id)
        .order_by(Tag.name)
    )
    info = to_info(row, await community_for(session, row.id), tuple(tags))
    people = {info.author_id, info.resolver_id, info.claimant_id} - {None}
    names = await session.execute(
        select(MemberName.user_id, MemberName.display_name).where(
            MemberName.guild_id == row.guild_id, MemberName.user_id.in_(people)
        )
    )
    return replace(info, names=tuple(sorted((uid, name) for uid, name in names)))


async def mark_message_stale(session: AsyncSession, prediction_ids: Iterable[int]) -> None:
    """In the caller's transaction: the public message no longer shows the stored state.

    Every change a message shows calls this, so a crash before the re-render leaves a mark
    that is redrawn on start; a render clears it only if the version it read is still current.
    """
    ids = sorted(set(prediction_ids))
    if ids:
        await session.execute(
            update(Prediction)
            .where(Prediction.id.in_(ids))
            .values(render_pending=True, render_version=Prediction.render_version + 1)
            .execution_options(synchronize_session=False)
        )


def schedule_of(row: Prediction) -> Schedule:
    """The reminder schedule a prediction row stores."""
    return Schedule(row.next_reminder_at, row.reminders_sent, row.close_warning_at)


def set_schedule(row: Prediction, schedule: Schedule) -> None:
    """Store what :mod:`bot.domain.reminder_schedule` decided; the only writer of the columns
    on a loaded row (the sender's conditional UPDATE writes them by name from the same rule)."""
    row.next_reminder_at = schedule.next_reminder_at
    row.reminders_sent = schedule.reminders_sent
    row.close_warning_at = schedule.close_warning_at


async def others_have_voted(session: AsyncSession, row: Prediction) -> bool:
    """Whether anyone but the author has ever voted on ``row``."""
    found = await session.scalar(
        select(VoteEvent.id)
        .where(VoteEvent.prediction_id == row.id, VoteEvent.user_id != row.author_id)
        .limit(1)
    )
    return found is not None
