"""The values the reminder services hand to the scheduler: what is due, what was sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.kinds import DEFAULT_KIND
from bot.domain.vocabulary import ReminderKind
from bot.services.core.notifications import Topic


@dataclass(frozen=True)
class ReminderSubject:
    """What a reminder is about, all a reminder DM shows (also for one sent from the queue)."""

    prediction_id: int
    guild_id: int
    number: int
    statement: str
    author_id: int
    channel_id: int | None
    message_id: int | None
    kind: ReminderKind
    resolves_at: datetime
    closes_at: datetime


@dataclass(frozen=True)
class DueReminder:
    """One message to deliver, with everything the cog needs (no second query)."""

    prediction_id: int
    guild_id: int
    number: int
    statement: str
    author_id: int
    follower_ids: tuple[int, ...]  # following=True (the author too, unless unfollowed)
    channel_id: int | None
    thread_id: int | None
    message_id: int | None
    kind: ReminderKind
    # With (prediction, kind), the delivery key: deliveries of this kind so far + 1, so a chain
    # restarted by a reopen or a new date never reuses a key (nor a nonce).
    sequence: int
    ordinal: int  # place in the reminder chain (1 = at the resolution date); 0: close warning
    reminder_count: int
    interval_hours: int
    due_at: datetime  # when it was due (a retry keeps its first due time)
    late: bool
    moderator_role_id: int | None
    resolves_at: datetime
    closes_at: datetime
    # /notifications: members told by DM instead, and members who asked not to be pinged.
    dm_ids: tuple[int, ...] = ()
    not_pinged: frozenset[int] = frozenset()
    # The schedule column's value as the due query read it (the due time, or a retry time):
    # a claim only wins if it is still this value.
    scheduled_at: datetime | None = None
    # The question's kind (``kind`` above is the reminder's): how it is resolved and asked
    # about is its rendering's (``bot.rendering.community``), not decided here.
    question_kind: str = DEFAULT_KIND

    @property
    def key(self) -> tuple[int, ReminderKind, int]:
        return (self.prediction_id, self.kind, self.sequence)

    @property
    def subject(self) -> ReminderSubject:
        return ReminderSubject(
            prediction_id=self.prediction_id,
            guild_id=self.guild_id,
            number=self.number,
            statement=self.statement,
            author_id=self.author_id,
            channel_id=self.channel_id,
            message_id=self.message_id,
            kind=self.kind,
            resolves_at=self.resolves_at,
            closes_at=self.closes_at,
        )

    def wanted(self) -> list[tuple[int, Topic]]:
        """Ping etiquette: the first due reminder is for the author and the followers, repeats
        for the author alone (only they or a moderator can act), the close warning for the
        followers; the escalation pings nobody but the moderator role. Negative ids have no
        Discord account (outside forecasters, forgotten members) and are never addressed."""
        wanted: list[tuple[int, Topic]] = []
        if self.kind == ReminderKind.DUE:
            wanted = [(self.author_id, Topic.MY_DUE)]
            if self.ordinal <= 1:
                wanted += [(u, Topic.FOLLOWED_DUE) for u in self.follower_ids]
        elif self.kind == ReminderKind.CLOSE_WARNING:
            wanted = [(u, Topic.CLOSE_WARNINGS) for u in self.follower_ids]
        return [(u, topic) for u, topic in wanted if u > 0]

    @property
    def user_pings(self) -> tuple[int, ...]:
        """Who is mentioned in the thread: :meth:`wanted`, less DMs and declined pings."""
        users = dict.fromkeys(u for u, _ in self.wanted())
        return tuple(u for u in users if u not in self.not_pinged)


@dataclass(frozen=True)
class Delivery:
    """A reminder that went out, and where its (first) message lives."""

    reminder: DueReminder
    channel_id: int | None
    message_id: int | None
    holds: datetime | None = None  # the claim's value of the schedule column, if claimed
