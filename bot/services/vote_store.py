"""The one place a vote is written: current row by upsert, history row appended.

Both the author's opening forecast and every later vote go through here, inside the
caller's transaction, so a vote and its history can never disagree.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Follower, Vote, VoteEvent
from db.upsert import insert_for


async def upsert_vote(
    session: AsyncSession,
    *,
    prediction_id: int,
    user_id: int,
    permille: int,
    source: str,
    now: datetime,
) -> None:
    stmt = insert_for(session, Vote).values(
        prediction_id=prediction_id,
        user_id=user_id,
        permille=permille,
        source=source,
        updated_at=now,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["prediction_id", "user_id"],
        set_={"permille": permille, "source": source, "updated_at": now},
    )
    await session.execute(stmt)
    session.add(
        VoteEvent(
            prediction_id=prediction_id,
            user_id=user_id,
            permille=permille,
            source=source,
            created_at=now,
        )
    )
    await follow_by_default(session, prediction_id, user_id)


async def retract_vote(
    session: AsyncSession, *, prediction_id: int, user_id: int, source: str, now: datetime
) -> bool:
    """Remove the member's current vote; ``False`` when there was none."""
    result = await session.execute(
        delete(Vote).where(Vote.prediction_id == prediction_id, Vote.user_id == user_id)
    )
    if not getattr(result, "rowcount", 0):
        return False
    session.add(
        VoteEvent(
            prediction_id=prediction_id,
            user_id=user_id,
            permille=None,
            source=source,
            created_at=now,
        )
    )
    return True


async def follow_by_default(session: AsyncSession, prediction_id: int, user_id: int) -> None:
    """Authors and voters follow, unless they explicitly unfollowed before."""
    stmt = insert_for(session, Follower).values(
        prediction_id=prediction_id, user_id=user_id, following=True
    )
    await session.execute(stmt.on_conflict_do_nothing(index_elements=["prediction_id", "user_id"]))
