"""The queue of role changes: earned roles are given and taken a few per second.

A season's end can change a role for thousands of members ("first forecast" on a server of
5,000), and Discord limits role changes per server. So deciding a change only *queues* it
(``role_changes``, in the transaction that decides it) and a paced sender drains the queue.
Each batch is claimed per row (a token and a lease, committed before Discord is asked), so two
processes never apply one change twice; a change applied is marked done, and a process that
died mid-batch leaves its claims to expire, after which another (or the restarted one) resumes
exactly where it stopped. A change Discord refused for want of permission is done too (not
retried until the next award): the moderators see the problem in ``/augury season list``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.shards import ShardSet
from bot.services.core.context import ServiceContext
from bot.services.core.shards import on_shards
from db.models import EarnedRole, RoleChange

KEEP_DONE = timedelta(days=7)
DEFAULT_LEASE = timedelta(minutes=2)


@dataclass(frozen=True)
class ClaimedChange:
    id: int
    guild_id: int
    role_id: int
    user_id: int
    add: bool
    claim: str


async def queue_changes(
    session: AsyncSession,
    guild_id: int,
    role_id: int,
    *,
    adding: Iterable[int] = (),
    removing: Iterable[int] = (),
    now: datetime,
) -> int:
    """Inside the deciding transaction: the changes, owed from now on; how many."""
    rows = [
        {"guild_id": guild_id, "role_id": role_id, "user_id": u, "add": True, "queued_at": now}
        for u in adding
    ] + [
        {"guild_id": guild_id, "role_id": role_id, "user_id": u, "add": False, "queued_at": now}
        for u in removing
    ]
    for start in range(0, len(rows), 1000):
        session.add_all(RoleChange(**row) for row in rows[start : start + 1000])
        await session.flush()
    return len(rows)


def _claimable(now: datetime) -> ColumnElement[bool]:
    return and_(
        RoleChange.done_at.is_(None),
        or_(RoleChange.claimed_until.is_(None), RoleChange.claimed_until < now),
    )


class RoleChangeQueue:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def claim(
        self, limit: int, lease: timedelta = DEFAULT_LEASE, shards: ShardSet | None = None
    ) -> list[ClaimedChange]:
        """The oldest unclaimed changes (at most ``limit``), claimed for ``lease``."""
        now = self._ctx.clock.now()
        token = secrets.token_hex(8)
        async with self._ctx.sessions.begin() as session:
            candidates = list(
                await session.scalars(
                    select(RoleChange.id)
                    .where(_claimable(now), on_shards(RoleChange.guild_id, shards))
                    .order_by(RoleChange.id)
                    .limit(limit)
                )
            )
            if not candidates:
                return []
            # The same condition again: a row another process claimed meanwhile is not taken.
            await session.execute(
                update(RoleChange)
                .where(RoleChange.id.in_(candidates), _claimable(now))
                .values(claim=token, claimed_until=now + lease)
            )
            rows = await session.execute(
                select(
                    RoleChange.id,
                    RoleChange.guild_id,
                    RoleChange.role_id,
                    RoleChange.user_id,
                    RoleChange.add,
                )
                .where(RoleChange.id.in_(candidates), RoleChange.claim == token)
                .order_by(RoleChange.id)
            )
            return [ClaimedChange(i, g, r, u, bool(a), token) for i, g, r, u, a in rows]

    async def done(self, changes: Iterable[ClaimedChange]) -> None:
        """Applied (or moot: the member left): never tried again. Clears the role's problem."""
        done = list(changes)
        if not done:
            return
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            for claim in {c.claim for c in done}:
                await session.execute(
                    update(RoleChange)
                    .where(
                        RoleChange.id.in_([c.id for c in done if c.claim == claim]),
                        RoleChange.claim == claim,
                    )
                    .values(done_at=now)
                )
            for guild_id, role_id in {(c.guild_id, c.role_id) for c in done}:
                await session.execute(
                    update(EarnedRole)
                    .where(
                        EarnedRole.guild_id == guild_id,
                        EarnedRole.role_id == role_id,
                        EarnedRole.problem.is_not(None),
                    )
                    .values(problem=None, problem_at=None)
                )
            await session.execute(delete(RoleChange).where(RoleChange.done_at < now - KEEP_DONE))

    async def refused(self, change: ClaimedChange, problem: str) -> None:
        """Discord refused (no permission, the role above the bot's, the role deleted): done,
        with the problem kept on the mapping for the moderators."""
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            await session.execute(
                update(RoleChange)
                .where(RoleChange.id == change.id, RoleChange.claim == change.claim)
                .values(done_at=now, error=problem[:200])
            )
            await session.execute(
                update(EarnedRole)
                .where(EarnedRole.guild_id == change.guild_id, EarnedRole.role_id == change.role_id)
                .values(problem=problem[:200], problem_at=now)
            )

    async def pending(self, guild_id: int | None = None) -> int:
        """Changes not yet applied (in one server, or everywhere)."""
        stmt = select(func.count()).where(RoleChange.done_at.is_(None))
        if guild_id is not None:
            stmt = stmt.where(RoleChange.guild_id == guild_id)
        async with self._ctx.sessions() as session:
            return int(await session.scalar(stmt) or 0)
