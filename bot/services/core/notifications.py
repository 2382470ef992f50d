"""Who hears about what: each member's /notifications choices, applied to one announcement.

A member without a row has the defaults: pinged in the thread about everything. ``where`` is
``thread`` (a mention in the post), ``dm`` (a direct message instead) or ``none``; ``muted``
silences everything at once. A DM that failed (closed DMs) is remembered: from then on that
member is mentioned in the thread instead, quietly, and the DM is not tried again until they
change their settings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import InvalidInput
from bot.services.core.context import ServiceContext
from db.models import UserSettings
from db.upsert import insert_for


class Where(StrEnum):
    THREAD = "thread"
    DM = "dm"
    NONE = "none"


class Topic(StrEnum):
    MY_DUE = "notify_my_due"
    FOLLOWED_DUE = "notify_followed_due"
    RESOLUTIONS = "notify_resolutions"
    CLOSE_WARNINGS = "notify_close_warnings"


TOPIC_LABELS = {
    Topic.MY_DUE: "my predictions falling due",
    Topic.FOLLOWED_DUE: "followed predictions falling due",
    Topic.RESOLUTIONS: "resolutions of predictions I voted on or follow",
    Topic.CLOSE_WARNINGS: "voting about to close",
}


@dataclass(frozen=True)
class Preferences:
    where: Where = Where.THREAD
    topics: frozenset[Topic] = frozenset(Topic)
    muted: bool = False
    dm_failed: bool = False

    def wants(self, topic: Topic) -> bool:
        return not self.muted and self.where != Where.NONE and topic in self.topics


DEFAULTS = Preferences()


@dataclass(frozen=True)
class Audience:
    """Mentioned in the public post, and sent a DM instead; in the order given."""

    pings: tuple[int, ...] = ()
    dms: tuple[int, ...] = ()


def audience(prefs: dict[int, Preferences], wanted: Iterable[tuple[int, Topic]]) -> Audience:
    """Split ``(member, topic)`` pairs by each member's choices; a member counts once."""
    pings: list[int] = []
    dms: list[int] = []
    seen: set[int] = set()
    for user_id, topic in wanted:
        if user_id in seen:
            continue
        choice = prefs.get(user_id, DEFAULTS)
        if not choice.wants(topic):
            continue
        seen.add(user_id)
        if choice.where == Where.DM and not choice.dm_failed:
            dms.append(user_id)
        else:
            pings.append(user_id)
    return Audience(tuple(pings), tuple(dms))


def _from_row(row: UserSettings) -> Preferences:
    topics = frozenset(topic for topic in Topic if getattr(row, topic.value))
    return Preferences(
        where=Where(row.notify_where or Where.THREAD),
        topics=topics,
        muted=bool(row.muted),
        dm_failed=row.dm_failed_at is not None,
    )


async def load_preferences(
    session: AsyncSession, user_ids: Iterable[int]
) -> dict[int, Preferences]:
    """The choices of those members who made any (others have :data:`DEFAULTS`)."""
    wanted = list(set(user_ids))
    found: dict[int, Preferences] = {}
    for start in range(0, len(wanted), 1000):  # bounded IN lists at 5,000 voters
        rows = await session.scalars(
            select(UserSettings).where(UserSettings.user_id.in_(wanted[start : start + 1000]))
        )
        found |= {row.user_id: _from_row(row) for row in rows}
    return found


class NotificationService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def preferences(self, user_id: int) -> Preferences:
        async with self._ctx.sessions() as session:
            return (await load_preferences(session, [user_id])).get(user_id, DEFAULTS)

    async def update(
        self,
        user_id: int,
        *,
        where: str | None = None,
        topics: dict[Topic, bool] | None = None,
        muted: bool | None = None,
    ) -> Preferences:
        """Change only what is given; choosing DMs again clears a remembered DM failure."""
        values: dict[str, object] = {}
        if where is not None:
            try:
                values["notify_where"] = Where(where).value
            except ValueError:
                raise InvalidInput("Where is `thread`, `dm` or `none`.") from None
            values["dm_failed_at"] = None
        for topic, on in (topics or {}).items():
            values[topic.value] = bool(on)
        if muted is not None:
            values["muted"] = muted
        async with self._ctx.sessions.begin() as session:
            stmt = insert_for(session, UserSettings).values(user_id=user_id, **values)
            if values:
                stmt = stmt.on_conflict_do_update(index_elements=["user_id"], set_=values)
            else:
                stmt = stmt.on_conflict_do_nothing(index_elements=["user_id"])
            await session.execute(stmt)
            return (await load_preferences(session, [user_id]))[user_id]

    async def split(self, user_ids: Iterable[int], topic: Topic) -> Audience:
        """Who of ``user_ids`` is mentioned, and who is told by DM, about ``topic``."""
        wanted = list(dict.fromkeys(user_ids))
        async with self._ctx.sessions() as session:
            prefs = await load_preferences(session, wanted)
        return audience(prefs, ((u, topic) for u in wanted))

    async def dm_failed(self, user_ids: Iterable[int]) -> None:
        """Remember closed DMs: these members are mentioned in the thread from now on."""
        wanted = list(user_ids)
        if not wanted:
            return
        async with self._ctx.sessions.begin() as session:
            await session.execute(
                update(UserSettings)
                .where(UserSettings.user_id.in_(wanted))
                .values(dm_failed_at=self._ctx.clock.now())
            )
