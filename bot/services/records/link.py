"""Linking an imported outside forecaster to a member: their record becomes the member's.

An imported Fatebook or PredictionBook name that nobody mapped with ``import --member`` is an
*outside forecaster* (``user_id = -id``): counted in the community, never scored. A moderator
may later say who that name is. Then, in one transaction:

- the name's forecasts (``votes`` and ``vote_events``) move to the member, and every resolved
  prediction among them is rescored
  (:func:`bot.services.resolution.score_writer.write_scores`), so they count as the member's
  native forecasts;
- where the member ALSO forecast the same question themselves, their own forecast wins: the
  name's forecasts there stay with the name, as history only (the community forecast keeps
  them as before; the member's score there is theirs alone);
- the name is marked linked: a second link is refused (naming the member), and later imports
  of the same name are the member's.

Only moderators link (the rule is here, so no path lets a member claim a record, their own
included). Work is batched so 5,000 forecasts move without holding the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.actor import Actor
from bot.domain.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from bot.domain.text import without_invisible
from bot.domain.vocabulary import Outcome, Status
from bot.services.core.context import ServiceContext
from bot.services.core.prediction_rows import mark_message_stale
from bot.services.resolution.score_writer import write_scores
from db.models import GuildSettings, OutsideForecaster, Prediction, Vote, VoteEvent

#: Rows changed per statement: bounds each statement's parameters and the time between yields.
BATCH = 500
#: Autocomplete offers at most this many names (Discord's limit).
CHOICES = 25

LINK_REFUSED = (
    "Only moderators (the moderator role, or Manage Server) can link an outside forecaster to "
    "a member: a link moves a record and its scores."
)


@dataclass(frozen=True)
class LinkResult:
    """What a link did, for the reply."""

    name: str
    member_id: int
    forecasts: int  # vote changes moved to the member
    predictions: int  # predictions whose forecasts moved
    kept_native: int  # predictions where the member's own forecast won
    rescored: int  # resolved predictions scored again
    with_messages: tuple[int, ...]  # predictions whose public message shows the change


class AlreadyLinked(InvalidState):
    """The name is already someone's; ``member_id`` says whose."""

    def __init__(self, name: str, member_id: int) -> None:
        self.member_id = member_id
        super().__init__(
            f"“{name}” is already linked to <@{member_id}>; a name is linked once. "
            "Their forecasts are that member's."
        )


class RecordsLinker:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def names(self, guild_id: int, typed: str) -> list[str]:
        """The server's named, unlinked outside forecasters containing ``typed``."""
        needle = without_invisible(typed).strip().casefold()
        async with self._ctx.sessions() as session:
            stmt = (
                select(OutsideForecaster.name)
                .distinct()
                .where(
                    OutsideForecaster.guild_id == guild_id,
                    OutsideForecaster.name.is_not(None),
                    OutsideForecaster.linked_user_id.is_(None),
                )
            )
            if needle:
                stmt = stmt.where(func.lower(OutsideForecaster.name).contains(needle))
            rows = await session.scalars(stmt.order_by(OutsideForecaster.name).limit(CHOICES))
            return [name for name in rows if name]

    async def link(self, actor: Actor, guild_id: int, name: str, member_id: int) -> LinkResult:
        """Move the name's forecasts to ``member_id`` and rescore; see the module docstring."""
        if member_id <= 0:
            raise InvalidInput("Pick a member of this server to link the name to.")
        name = " ".join(without_invisible(name).split())
        async with self._ctx.sessions.begin() as session:
            role = await session.scalar(
                select(GuildSettings.moderator_role_id).where(GuildSettings.guild_id == guild_id)
            )
            if not actor.is_moderator(role):
                raise NotAllowed(LINK_REFUSED)
            rows = (
                await session.execute(
                    select(OutsideForecaster.id, OutsideForecaster.linked_user_id).where(
                        OutsideForecaster.guild_id == guild_id, OutsideForecaster.name == name
                    )
                )
            ).all()
            if not rows:
                raise NotFound(
                    f"No imported forecaster is called “{name}” in this server. Pick a name "
                    "from the list (names come from `python -m bot import`)."
                )
            for row in rows:
                if row.linked_user_id is not None:
                    raise AlreadyLinked(name, int(row.linked_user_id))
            # Claimed first, conditionally: of two links racing, one claims, one is refused.
            claimed = await session.execute(
                update(OutsideForecaster)
                .where(
                    OutsideForecaster.id.in_([row.id for row in rows]),
                    OutsideForecaster.linked_user_id.is_(None),
                )
                .values(linked_user_id=member_id, linked_at=self._ctx.clock.now())
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != len(rows):  # type: ignore[attr-defined]
                raise InvalidState(f"“{name}” was linked by someone else just now.")
            return await _move(session, [-int(row.id) for row in rows], member_id, name)


async def _move(
    session: AsyncSession, outside_ids: list[int], member_id: int, name: str
) -> LinkResult:
    theirs = set(
        await session.scalars(
            select(VoteEvent.prediction_id).where(VoteEvent.user_id.in_(outside_ids)).distinct()
        )
    )
    native = set(
        await session.scalars(
            select(VoteEvent.prediction_id).where(VoteEvent.user_id == member_id).distinct()
        )
    )
    moving = sorted(theirs - native)
    forecasts = 0
    for batch in _batches(moving):
        done = await session.execute(
            update(VoteEvent)
            .where(VoteEvent.user_id.in_(outside_ids), VoteEvent.prediction_id.in_(batch))
            .values(user_id=member_id)
            .execution_options(synchronize_session=False)
        )
        forecasts += int(done.rowcount or 0)  # type: ignore[attr-defined]
        await session.execute(
            update(Vote)
            .where(Vote.user_id.in_(outside_ids), Vote.prediction_id.in_(batch))
            .values(user_id=member_id)
            .execution_options(synchronize_session=False)
        )
        await asyncio.sleep(0)
    rescored = 0
    shown: list[int] = []
    for batch in _batches(moving):
        rows = (await session.scalars(select(Prediction).where(Prediction.id.in_(batch)))).all()
        for row in rows:
            if row.message_id is not None:
                shown.append(row.id)
            if row.status == Status.RESOLVED and row.outcome in (Outcome.YES, Outcome.NO):
                assert row.resolved_at is not None
                await write_scores(session, row, row.outcome, row.resolved_at)
                rescored += 1
        await asyncio.sleep(0)
    for batch in _batches(shown):
        await mark_message_stale(session, batch)
    return LinkResult(
        name=name,
        member_id=member_id,
        forecasts=forecasts,
        predictions=len(moving),
        kept_native=len(theirs & native),
        rescored=rescored,
        with_messages=tuple(shown),
    )


def _batches(ids: Iterable[int]) -> Iterable[list[int]]:
    items = list(ids)
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]
