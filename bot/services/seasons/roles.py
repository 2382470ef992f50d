"""Earned roles: a moderator maps a role to an achievement; the bot gives and takes it.

The mapping is checked by the domain (:func:`bot.domain.seasons.check_role_mappable`): a role
the bot could never manage (@everyone, an integration's role, one at or above the bot's top
role, or a bot without Manage Roles) is refused when mapped, with what to change.

Who holds a role is kept in ``earned_role_holders`` (what the bot gave), so awarding is a
difference: the season's new top N gain it, the previous holders who are no longer there lose
it; "well calibrated" likewise, per season. "First forecast" only ever adds: every member
whose first vote the bot has not looked at yet (a watermark over ``vote_events``) gains it,
those who voted before the mapping included. Every change goes through the paced queue
(:mod:`bot.services.seasons.role_queue`), queued in the transaction that decides it.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, case, delete, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import NotFound
from bot.domain.seasons import (
    TOP_N_DEFAULT,
    WELL_CALIBRATED_MIN_DEFAULT,
    Achievement,
    RoleFacts,
    calibration_error,
    check_mapping,
    check_role_mappable,
    is_well_calibrated,
)
from bot.domain.shards import ShardSet
from bot.forecasting.calibration import BUCKET_WIDTH_PERMILLE
from bot.services.core.context import ServiceContext
from bot.services.core.shards import on_shards
from bot.services.seasons.role_queue import queue_changes
from bot.services.seasons.service import SeasonInfo
from bot.services.track_record.season_filter import in_season, window_of
from bot.services.track_record.stats import StatsService
from db.models import EarnedRole, EarnedRoleHolder, Prediction, Score, Season, VoteEvent
from db.upsert import insert_for

#: Vote events looked at per server and cycle for "first forecast".
FIRST_FORECAST_SCAN = 5000


@dataclass(frozen=True)
class RoleMapping:
    role_id: int
    role_name: str
    achievement: Achievement
    top_n: int | None
    min_forecasts: int | None
    holders: int
    problem: str | None
    problem_at: datetime | None

    def describe(self) -> str:
        return self.achievement.describe(self.top_n, self.min_forecasts)


@dataclass(frozen=True)
class Award:
    """What a season's end queued: per role, how many gain it and how many lose it."""

    role_id: int
    gained: int
    lost: int


def _mapping(row: EarnedRole, holders: int) -> RoleMapping:
    return RoleMapping(
        role_id=row.role_id,
        role_name=row.role_name,
        achievement=Achievement(row.achievement),
        top_n=row.top_n,
        min_forecasts=row.min_forecasts,
        holders=holders,
        problem=row.problem,
        problem_at=row.problem_at,
    )


async def _holders(session: AsyncSession, earned_role_id: int) -> set[int]:
    rows = await session.scalars(
        select(EarnedRoleHolder.user_id).where(EarnedRoleHolder.earned_role_id == earned_role_id)
    )
    return set(rows)


async def _hold(
    session: AsyncSession, row: EarnedRole, wanted: set[int], now: datetime, *, remove: bool
) -> Award:
    """Make ``wanted`` the holders (``remove=False``: only add), queueing the changes."""
    current = await _holders(session, row.id)
    gained = sorted(wanted - current)
    lost = sorted(current - wanted) if remove else []
    for start in range(0, len(lost), 500):
        await session.execute(
            delete(EarnedRoleHolder).where(
                EarnedRoleHolder.earned_role_id == row.id,
                EarnedRoleHolder.user_id.in_(lost[start : start + 500]),
            )
        )
    if gained:
        stmt = insert_for(session, EarnedRoleHolder).on_conflict_do_nothing()
        for start in range(0, len(gained), 1000):
            await session.execute(
                stmt,
                [
                    {"earned_role_id": row.id, "user_id": u, "since": now}
                    for u in gained[start : start + 1000]
                ],
            )
    await queue_changes(session, row.guild_id, row.role_id, adding=gained, removing=lost, now=now)
    return Award(row.role_id, len(gained), len(lost))


def _well_calibrated(rows: Iterable[tuple[int, int, int, int, int]], minimum: int) -> set[int]:
    """``(member, bucket, count, came true, per-mille sum)`` rows → the well calibrated."""
    per_member: dict[int, list[tuple[int, float, float]]] = defaultdict(list)
    for user_id, _bucket, count, yes, total in rows:
        if count:
            per_member[user_id].append((count, total / count / 1000, yes / count))
    return {
        user_id
        for user_id, buckets in per_member.items()
        if is_well_calibrated(sum(b[0] for b in buckets), calibration_error(buckets), minimum)
    }


class EarnedRoleService:
    def __init__(self, ctx: ServiceContext, stats: StatsService) -> None:
        self._ctx = ctx
        self._stats = stats

    async def map(
        self,
        guild_id: int,
        role_id: int,
        role_name: str,
        facts: RoleFacts,
        achievement: Achievement,
        *,
        top_n: int | None = None,
        min_forecasts: int | None = None,
    ) -> RoleMapping:
        """Map (or re-map) a role; re-mapping to another achievement forgets its holders."""
        check_role_mappable(role_name, facts)
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            row = await session.scalar(
                select(EarnedRole).where(
                    EarnedRole.guild_id == guild_id, EarnedRole.role_id == role_id
                )
            )
            mapped = await session.scalar(
                select(func.count()).where(EarnedRole.guild_id == guild_id)
            )
            check_mapping(achievement, top_n, min_forecasts, int(mapped or 0) - (row is not None))
            if achievement is Achievement.TOP:
                top_n = top_n or TOP_N_DEFAULT
            if achievement is Achievement.WELL_CALIBRATED:
                min_forecasts = min_forecasts or WELL_CALIBRATED_MIN_DEFAULT
            if row is None:
                row = EarnedRole(guild_id=guild_id, role_id=role_id, created_at=now)
                session.add(row)
            elif row.achievement != achievement.value:
                await session.execute(
                    delete(EarnedRoleHolder).where(EarnedRoleHolder.earned_role_id == row.id)
                )
                row.seen_event_id = 0
            row.role_name = role_name[:100]
            row.achievement = achievement.value
            row.top_n = top_n
            row.min_forecasts = min_forecasts
            row.problem = row.problem_at = None
            await session.flush()
            return _mapping(row, len(await _holders(session, row.id)))

    async def unmap(self, guild_id: int, role_id: int) -> RoleMapping:
        """Forget the mapping (members keep the role; the bot stops managing it)."""
        async with self._ctx.sessions.begin() as session:
            row = await session.scalar(
                select(EarnedRole).where(
                    EarnedRole.guild_id == guild_id, EarnedRole.role_id == role_id
                )
            )
            if row is None:
                raise NotFound(
                    "That role is not an earned role here; `/augury season roles` lists them."
                )
            mapping = _mapping(row, len(await _holders(session, row.id)))
            await session.delete(row)
            return mapping

    async def mappings(self, guild_id: int) -> list[RoleMapping]:
        async with self._ctx.sessions() as session:
            rows = list(
                await session.scalars(
                    select(EarnedRole)
                    .where(EarnedRole.guild_id == guild_id)
                    .order_by(EarnedRole.id)
                )
            )
            return [_mapping(row, len(await _holders(session, row.id))) for row in rows]

    async def award_season(self, season: SeasonInfo) -> list[Award]:
        """At a season's end: top N and well calibrated, given to who earned them in it and
        taken from who held them before and did not. Idempotent (a retried recap queues
        nothing twice)."""
        awards: list[Award] = []
        async with self._ctx.sessions() as session:
            rows = list(
                await session.scalars(
                    select(EarnedRole).where(
                        EarnedRole.guild_id == season.guild_id,
                        EarnedRole.achievement.in_(
                            (Achievement.TOP.value, Achievement.WELL_CALIBRATED.value)
                        ),
                    )
                )
            )
        for mapping in rows:
            if mapping.achievement == Achievement.TOP.value:
                wanted = await self._top(season, mapping.top_n or TOP_N_DEFAULT)
            else:
                wanted = await self._calibrated(
                    season, mapping.min_forecasts or WELL_CALIBRATED_MIN_DEFAULT
                )
            async with self._ctx.sessions.begin() as session:
                row = await session.get(EarnedRole, mapping.id)
                if row is not None:  # unmapped meanwhile
                    awards.append(
                        await _hold(session, row, wanted, self._ctx.clock.now(), remove=True)
                    )
        return awards

    async def _top(self, season: SeasonInfo, n: int) -> set[int]:
        board = await self._stats.leaderboard(season.guild_id, season=season.name, page_size=n)
        return {row.user_id for row in board.rows}

    async def _calibrated(self, season: SeasonInfo, minimum: int) -> set[int]:
        half = literal_column(str(BUCKET_WIDTH_PERMILLE // 2), Integer)
        width = literal_column(str(BUCKET_WIDTH_PERMILLE), Integer)
        bucket = ((Score.permille + half) // width).label("bucket")
        async with self._ctx.sessions() as session:
            row = await session.get(Season, season.id)
            assert row is not None
            window = await window_of(session, row)
            stmt = in_season(
                select(
                    Score.user_id,
                    bucket,
                    func.count(),
                    func.sum(case((Score.outcome.is_(True), 1), else_=0)),
                    func.sum(Score.permille),
                ).where(
                    Score.guild_id == season.guild_id,
                    Score.permille.is_not(None),
                    Score.user_id > 0,
                ),
                window,
            ).group_by(Score.user_id, bucket)
            found = [
                (int(u), int(b), int(c), int(y), int(t))
                for u, b, c, y, t in await session.execute(stmt)
            ]
        return await asyncio.to_thread(_well_calibrated, found, minimum)

    async def first_forecasts(self, shards: ShardSet | None = None) -> int:
        """Queue "first forecast" roles for members whose first vote is new; how many."""
        queued = 0
        async with self._ctx.sessions() as session:
            mappings = list(
                await session.scalars(
                    select(EarnedRole.id).where(
                        EarnedRole.achievement == Achievement.FIRST_FORECAST.value,
                        on_shards(EarnedRole.guild_id, shards),
                    )
                )
            )
        for mapping_id in mappings:
            async with self._ctx.sessions.begin() as session:
                row = await session.get(EarnedRole, mapping_id, with_for_update=True)
                if row is None:
                    continue
                newest = int(await session.scalar(select(func.max(VoteEvent.id))) or 0)
                found = (
                    await session.execute(
                        select(VoteEvent.id, VoteEvent.user_id)
                        .join(Prediction, Prediction.id == VoteEvent.prediction_id)
                        .where(
                            VoteEvent.id > row.seen_event_id,
                            VoteEvent.id <= newest,
                            Prediction.guild_id == row.guild_id,
                        )
                        .order_by(VoteEvent.id)
                        .limit(FIRST_FORECAST_SCAN)
                    )
                ).all()
                row.seen_event_id = (
                    newest if len(found) < FIRST_FORECAST_SCAN else int(found[-1][0])
                )
                voters = {int(user) for _, user in found if user > 0}
                if voters:
                    current = await _holders(session, row.id)
                    award = await _hold(
                        session, row, current | voters, self._ctx.clock.now(), remove=False
                    )
                    queued += award.gained
        return queued
