"""Seasons: start, end, list, and the scheduler's side of ending and recapping them.

A season ends by a moderator's command or when its end date passes. Either way the end is
written once (``ended_at``; a season whose date passed while the bot was down ends *at that
date*, so the window is what was announced) together with ``recap_due_at``: the recap is owed.
Whichever process first claims it (a compare-and-set that moves ``recap_due_at`` a lease ahead,
committed before anything is posted) posts it; a recorded recap clears the column, a crash
leaves it to come due again when the lease runs out, so the recap survives restarts.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import InvalidState, NotFound
from bot.domain.seasons import SEASONS_LISTED, check_new_season, season_name
from bot.domain.shards import ShardSet
from bot.domain.tags import parse_tags
from bot.domain.text import code_span
from bot.forecasting.dates import parse_when
from bot.services.core.context import ServiceContext
from bot.services.core.shards import on_shards
from db.models import GuildSettings, Season

#: Recap attempts before the scheduler gives up (a problem is then shown to moderators).
RECAP_ATTEMPTS = 3


@dataclass(frozen=True)
class SeasonInfo:
    id: int
    guild_id: int
    name: str
    tags: tuple[str, ...]
    started_at: datetime
    ends_at: datetime | None
    ended_at: datetime | None
    recapped_at: datetime | None
    recap_channel_id: int | None
    recap_message_id: int | None
    recap_problem: str | None

    @property
    def running(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True)
class RecapJob:
    """A claimed recap: post it, then record it with the claim."""

    season: SeasonInfo
    claim: str
    attempt: int


def _info(row: Season) -> SeasonInfo:
    tags = tuple(row.tags) if isinstance(row.tags, list) else ()
    return SeasonInfo(
        id=row.id,
        guild_id=row.guild_id,
        name=row.name,
        tags=tags,
        started_at=row.started_at,
        ends_at=row.ends_at,
        ended_at=row.ended_at,
        recapped_at=row.recapped_at,
        recap_channel_id=row.recap_channel_id,
        recap_message_id=row.recap_message_id,
        recap_problem=row.recap_problem,
    )


async def _server_zone(session: AsyncSession, guild_id: int) -> ZoneInfo:
    zone = await session.scalar(
        select(GuildSettings.timezone).where(GuildSettings.guild_id == guild_id)
    )
    return ZoneInfo(zone or "UTC")


async def _running(session: AsyncSession, guild_id: int) -> Season | None:
    return await session.scalar(
        select(Season)
        .where(Season.guild_id == guild_id, Season.ended_at.is_(None))
        .with_for_update()
    )


async def _check_new(
    session: AsyncSession,
    guild_id: int,
    name: str,
    ends_at: datetime | None,
    now: datetime,
    tags: tuple[str, ...],
) -> None:
    running = await _running(session, guild_id)
    taken = await session.scalar(
        select(Season.id).where(Season.guild_id == guild_id, Season.name == name)
    )
    check_new_season(
        name,
        ends_at=ends_at,
        now=now,
        running=running.name if running is not None else None,
        taken=taken is not None,
        tags=tags,
    )


class SeasonService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def start(
        self,
        guild_id: int,
        name: str,
        *,
        ends: str | None = None,
        tags: str | None = None,
        started_by: int | None = None,
    ) -> SeasonInfo:
        """A new running season from now; ``ends`` is read in the server's time zone."""
        clean = season_name(name)
        tag_names = parse_tags(tags)
        now = self._ctx.clock.now()
        ends_at: datetime | None = None
        try:
            async with self._ctx.sessions.begin() as session:
                if ends is not None and ends.strip():
                    zone = await _server_zone(session, guild_id)
                    ends_at = parse_when(ends, now=now, tz=zone, what="season end")
                await _check_new(session, guild_id, clean, ends_at, now, tag_names)
                row = Season(
                    guild_id=guild_id,
                    name=clean,
                    tags=list(tag_names) or None,
                    started_at=now,
                    ends_at=ends_at,
                    started_by=started_by,
                )
                session.add(row)
                await session.flush()
                return _info(row)
        except IntegrityError:
            # Another start committed between the check and the insert (two processes): the
            # unique indexes refused this one; the check, read again, says which rule it broke.
            async with self._ctx.sessions() as session:
                await _check_new(session, guild_id, clean, ends_at, now, tag_names)
            raise InvalidState("Another season started at the same moment; try again.") from None

    async def end(self, guild_id: int) -> SeasonInfo:
        """End the running season now (its recap becomes due)."""
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            row = await _running(session, guild_id)
            if row is None:
                raise InvalidState(
                    "No season is running in this server. Start one with `/augury season start`."
                )
            row.ended_at = now
            row.recap_due_at = now
            return _info(row)

    async def running(self, guild_id: int) -> SeasonInfo | None:
        async with self._ctx.sessions() as session:
            row = await session.scalar(
                select(Season).where(Season.guild_id == guild_id, Season.ended_at.is_(None))
            )
            return None if row is None else _info(row)

    async def listing(self, guild_id: int, limit: int = SEASONS_LISTED) -> list[SeasonInfo]:
        """The server's seasons, the latest first."""
        async with self._ctx.sessions() as session:
            rows = await session.scalars(
                select(Season)
                .where(Season.guild_id == guild_id)
                .order_by(Season.started_at.desc(), Season.id.desc())
                .limit(limit)
            )
            return [_info(row) for row in rows]

    async def names(self, guild_id: int, typed: str, limit: int = SEASONS_LISTED) -> list[str]:
        """Season names containing what was typed, the latest first (autocomplete)."""
        typed = " ".join(typed.split()).casefold()
        found = [s.name for s in await self.listing(guild_id, limit=200)]
        return [name for name in found if typed in name.casefold()][:limit]

    async def get(self, season_id: int) -> SeasonInfo:
        async with self._ctx.sessions() as session:
            row = await session.get(Season, season_id)
            if row is None:
                raise NotFound(f"That season no longer exists ({code_span(str(season_id))}).")
            return _info(row)

    # --- the scheduler ---------------------------------------------------------------------

    async def end_due(self, shards: ShardSet | None = None, limit: int = 50) -> int:
        """End the running seasons whose end date passed (at that date); how many ended."""
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            due = list(
                await session.scalars(
                    select(Season)
                    .where(
                        Season.ends_at <= now,
                        Season.ended_at.is_(None),
                        on_shards(Season.guild_id, shards),
                    )
                    .order_by(Season.ends_at)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            )
            for row in due:
                row.ended_at = row.ends_at
                row.recap_due_at = now
            return len(due)

    async def claim_recaps(
        self, lease: timedelta, shards: ShardSet | None = None, limit: int = 5
    ) -> list[RecapJob]:
        """Recaps owed now, each claimed for ``lease`` (committed before anything is posted)."""
        now = self._ctx.clock.now()
        jobs: list[RecapJob] = []
        async with self._ctx.sessions() as session:
            due = (
                await session.execute(
                    select(Season.id, Season.recap_due_at)
                    .where(Season.recap_due_at <= now, on_shards(Season.guild_id, shards))
                    .order_by(Season.recap_due_at)
                    .limit(limit)
                )
            ).all()
        for season_id, due_at in due:
            claim = secrets.token_hex(8)
            async with self._ctx.sessions.begin() as session:
                won = await session.execute(
                    update(Season)
                    .where(Season.id == season_id, Season.recap_due_at == due_at)
                    .values(
                        recap_due_at=now + lease,
                        recap_claim=claim,
                        recap_attempts=Season.recap_attempts + 1,
                    )
                    .returning(Season.id)
                )
                if won.first() is None:
                    continue  # another process claimed it meanwhile
                row = await session.get(Season, season_id, populate_existing=True)
                assert row is not None
                jobs.append(RecapJob(_info(row), claim, row.recap_attempts))
        return jobs

    async def recapped(
        self,
        job: RecapJob,
        *,
        channel_id: int | None,
        message_id: int | None,
        problem: str | None = None,
    ) -> bool:
        """Record the recap as done (posted, or not postable: ``problem`` says why); False if
        the claim was lost meanwhile (another process took over after the lease)."""
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            done = await session.execute(
                update(Season)
                .where(Season.id == job.season.id, Season.recap_claim == job.claim)
                .values(
                    recap_due_at=None,
                    recap_claim=None,
                    recapped_at=now,
                    recap_channel_id=channel_id,
                    recap_message_id=message_id,
                    recap_problem=problem,
                )
                .returning(Season.id)
            )
            return done.first() is not None

    async def recap_failed(self, job: RecapJob, problem: str, retry_in: timedelta) -> bool:
        """A failed attempt: tried again after ``retry_in``, or given up after a few (the
        problem is then shown to moderators); True if it will be tried again."""
        now = self._ctx.clock.now()
        again = job.attempt < RECAP_ATTEMPTS
        async with self._ctx.sessions.begin() as session:
            await session.execute(
                update(Season)
                .where(Season.id == job.season.id, Season.recap_claim == job.claim)
                .values(
                    recap_due_at=now + retry_in if again else None,
                    recap_claim=None,
                    recap_problem=problem[:200],
                )
            )
        return again

    async def pending_recaps(self) -> int:
        async with self._ctx.sessions() as session:
            count = await session.scalar(
                select(func.count()).where(Season.recap_due_at.is_not(None))
            )
            return int(count or 0)
