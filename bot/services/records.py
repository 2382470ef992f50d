"""Loading predictions and turning rows into the plain values cogs render."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.aggregation import geometric_mean_odds_permille, median_permille
from bot.errors import PredictionNotFound
from bot.services.dto import Community, PredictionInfo
from db.models import Prediction, Vote


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
    rows = await session.scalars(select(Vote.permille).where(Vote.prediction_id == prediction_id))
    permilles = tuple(sorted(rows))
    return Community(
        count=len(permilles),
        median=median_permille(permilles),
        geometric_mean=geometric_mean_odds_permille(permilles),
        permilles=permilles,
    )


def to_info(row: Prediction, community: Community | None = None) -> PredictionInfo:
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
        votes_version=row.votes_version,
    )


async def load_info(session: AsyncSession, row: Prediction) -> PredictionInfo:
    return to_info(row, await community_for(session, row.id))
