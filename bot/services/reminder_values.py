"""The values the reminder services hand to the scheduler: what is due, what was sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.vocabulary import ReminderKind


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
    # The schedule column's value as the due query read it (the due time, or a retry time):
    # a claim only wins if it is still this value.
    scheduled_at: datetime | None = None

    @property
    def key(self) -> tuple[int, ReminderKind, int]:
        return (self.prediction_id, self.kind, self.sequence)

    @property
    def user_pings(self) -> tuple[int, ...]:
        """Who is pinged: the author always when it is due (they resolve it), followers too;
        only followers for the close warning; nobody but the role for the escalation."""
        if self.kind == ReminderKind.DUE:
            # Negative ids have no Discord account (outside forecasters, forgotten members).
            return tuple(u for u in dict.fromkeys((self.author_id, *self.follower_ids)) if u > 0)
        if self.kind == ReminderKind.CLOSE_WARNING:
            return self.follower_ids
        return ()


@dataclass(frozen=True)
class Delivery:
    """A reminder that went out, and where its (first) message lives."""

    reminder: DueReminder
    channel_id: int | None
    message_id: int | None
    holds: datetime | None = None  # the claim's value of the schedule column, if claimed
