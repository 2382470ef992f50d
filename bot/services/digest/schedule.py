"""A server's weekly digest: set up, claimed when due, built, and marked posted.

``next_at`` (indexed) is when the next digest is due. A process claims a due one by moving
``next_at`` to a lease's end with a conditional UPDATE (only one process wins), remembering the
slot in ``slot_at``; once posted, ``next_at`` moves to the following week. A process that dies
mid-post leaves the lease to expire, and the digest is tried again, still only on its own local
day (:mod:`bot.domain.digest`); a digest missed past that day is skipped, never posted late.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import digest as rules
from bot.domain.actor import Actor
from bot.domain.errors import InvalidInput, NotAllowed
from bot.domain.shards import ShardSet
from bot.services.administration.member_names import MemberNameService
from bot.services.core.context import ServiceContext
from bot.services.core.shards import on_shards
from bot.services.digest import contents
from bot.services.digest.contents import Digest, Standing
from bot.services.digest.standings import digest_standings
from bot.services.disputes import disputed_prediction_ids
from db.models import DigestSchedule, GuildSettings
from db.upsert import insert_for

#: How long a claim holds before another process may take the digest over.
LEASE = timedelta(minutes=5)
#: A changed schedule never posts again within this long of the last digest.
MIN_GAP = timedelta(days=6)
#: After a failure Discord may recover from (a 5xx, a timeout), try again this much later.
RETRY = timedelta(minutes=2)


@dataclass(frozen=True)
class DigestPlan:
    """A server's digest as set: where, when (its zone), and the next one's moment."""

    channel_id: int
    weekday: int
    hour: int
    timezone: str
    next_at: datetime | None
    last_posted_at: datetime | None = None
    last_error: str | None = None


@dataclass(frozen=True)
class DueDigest:
    """A digest this process claimed: post it, then say :meth:`DigestService.posted`."""

    guild_id: int
    channel_id: int
    slot: datetime
    token: str


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _after(slot: datetime, hour: int, zone: ZoneInfo, now: datetime) -> datetime:
    """The first slot after ``slot`` whose day has not ended (weeks missed are skipped)."""
    following = rules.following_slot(slot, hour, zone)
    while rules.day_ends(following, zone) <= now:
        following = rules.following_slot(following, hour, zone)
    return following


async def _zone_of(session: AsyncSession, guild_id: int) -> ZoneInfo:
    name = await session.scalar(
        select(GuildSettings.timezone).where(GuildSettings.guild_id == guild_id)
    )
    return _zone(name)


class DigestService:
    def __init__(self, ctx: ServiceContext, names: MemberNameService) -> None:
        self._ctx = ctx
        self._names = names

    async def schedule(
        self, guild_id: int, actor: Actor, channel_id: int, weekday: int, hour: int
    ) -> DigestPlan:
        """Turn the digest on (or change it): Manage Server only. A slot earlier today goes
        out at once (the catch-up rule), else the next one at its hour."""
        if not actor.manages_guild:
            raise NotAllowed("Only members with Manage Server can set up the weekly digest.")
        rules.check_slot(weekday, hour)
        if isinstance(channel_id, bool) or channel_id <= 0:
            raise InvalidInput("That is not a channel of this server. Pick one from the list.")
        now = self._ctx.clock.now()
        async with self._ctx.sessions.begin() as session:
            zone = await _zone_of(session, guild_id)
            first = rules.first_slot(now, weekday, hour, zone)
            posted = await session.scalar(
                select(DigestSchedule.last_posted_at).where(DigestSchedule.guild_id == guild_id)
            )
            if posted is not None and posted > first - MIN_GAP:  # one a week, even if moved
                first = _after(first, hour, zone, now)
            values = {
                "channel_id": channel_id,
                "weekday": weekday,
                "hour": hour,
                "next_at": first,
                "slot_at": None,
                "claim_token": None,
                "last_error": None,
            }
            stmt = insert_for(session, DigestSchedule).values(guild_id=guild_id, **values)
            await session.execute(
                stmt.on_conflict_do_update(index_elements=["guild_id"], set_=values)
            )
        return DigestPlan(channel_id, weekday, hour, zone.key, first)

    async def turn_off(self, guild_id: int, actor: Actor) -> bool:
        """No more digests; whether there was one."""
        if not actor.manages_guild:
            raise NotAllowed("Only members with Manage Server can turn the weekly digest off.")
        async with self._ctx.sessions.begin() as session:
            result = await session.execute(
                delete(DigestSchedule).where(DigestSchedule.guild_id == guild_id)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def plan(self, guild_id: int) -> DigestPlan | None:
        async with self._ctx.sessions() as session:
            row = await session.get(DigestSchedule, guild_id)
            if row is None:
                return None
            zone = await _zone_of(session, guild_id)
            return DigestPlan(
                row.channel_id,
                row.weekday,
                row.hour,
                zone.key,
                row.slot_at or row.next_at,
                row.last_posted_at,
                row.last_error,
            )

    async def claim_due(self, limit: int, shards: ShardSet | None = None) -> list[DueDigest]:
        """Claim up to ``limit`` due digests of this process's servers. A due one whose day
        has ended is skipped (moved to its next week) instead: never posted late."""
        now = self._ctx.clock.now()
        d = DigestSchedule
        async with self._ctx.sessions() as session:
            rows = (
                await session.execute(
                    select(
                        d.guild_id,
                        d.channel_id,
                        d.hour,
                        d.next_at,
                        d.slot_at,
                        GuildSettings.timezone,
                    )
                    .outerjoin(GuildSettings, GuildSettings.guild_id == d.guild_id)
                    .where(d.next_at <= now, on_shards(d.guild_id, shards))
                    .order_by(d.next_at)
                    .limit(limit)
                )
            ).all()
        claimed: list[DueDigest] = []
        for row in rows:
            zone = _zone(row.timezone)
            slot = row.slot_at or row.next_at
            token = secrets.token_hex(8)
            postable = rules.still_postable(slot, now, zone)
            values: dict[str, object] = (
                {"next_at": now + LEASE, "slot_at": slot, "claim_token": token}
                if postable
                else {
                    "next_at": _after(slot, row.hour, zone, now),
                    "slot_at": None,
                    "claim_token": None,
                    "last_error": "missed: the bot was not running on the digest's day",
                }
            )
            async with self._ctx.sessions.begin() as session:
                won = await session.execute(
                    update(d)
                    .where(d.guild_id == row.guild_id, d.next_at == row.next_at)
                    .values(**values)
                )
            if postable and won.rowcount == 1:  # type: ignore[attr-defined]
                claimed.append(DueDigest(row.guild_id, row.channel_id, slot, token))
        return claimed

    async def posted(
        self, due: DueDigest, message_id: int | None, error: str | None = None
    ) -> None:
        """Done for this week (posted, or given up: ``error`` says why); on to the next."""
        now = self._ctx.clock.now()
        d = DigestSchedule
        async with self._ctx.sessions.begin() as session:
            row = await session.get(d, due.guild_id)
            if row is None or row.claim_token != due.token:
                return  # turned off or changed meanwhile: the new plan stands
            zone = await _zone_of(session, due.guild_id)
            row.next_at = _after(due.slot, row.hour, zone, now)
            row.slot_at = None
            row.claim_token = None
            if message_id is not None:
                row.last_posted_at = now
                row.last_message_id = message_id
            row.last_error = error[:200] if error else None

    async def retry_later(self, due: DueDigest, error: str) -> None:
        """A failure Discord may recover from: try again soon, still for the same slot."""
        now = self._ctx.clock.now()
        d = DigestSchedule
        async with self._ctx.sessions.begin() as session:
            await session.execute(
                update(d)
                .where(d.guild_id == due.guild_id, d.claim_token == due.token)
                .values(next_at=now + RETRY, last_error=error[:200])
            )

    async def build(self, guild_id: int) -> Digest:
        """The digest's contents now: a few queries (see :mod:`bot.services.digest.contents`)."""
        now = self._ctx.clock.now()
        async with self._ctx.sessions() as session:
            disputed = await disputed_prediction_ids(session, guild_id)
            votes, votes_total = await contents.needs_votes(session, guild_id, now)
            due, due_total = await contents.due_soon(session, guild_id, now)
            resolved, resolved_total = await contents.resolved_lately(
                session, guild_id, now, disputed
            )
            board = await digest_standings(session, guild_id)
        standings = tuple(Standing(r.rank, r.user_id, r.value, r.count) for r in board.rows)
        names = await self._names.names(guild_id, [s.user_id for s in standings])
        return Digest(
            guild_id=guild_id,
            now=now,
            needs_votes=tuple(votes),
            needs_votes_total=votes_total,
            due_soon=tuple(due),
            due_total=due_total,
            resolved=tuple(resolved),
            resolved_total=resolved_total,
            standings=standings,
            names=names,
            season=board.season,
        )
