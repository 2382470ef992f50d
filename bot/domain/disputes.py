"""The rules of disputing a resolution, each written once.

For a window after a resolution (a server setting, 24 hours unless changed; 0 turns disputes
off) any member who may vote may dispute it, with a reason, once: a member has at most one open
dispute per prediction. Scores stand meanwhile; leaderboards mark the prediction "disputed"
until a moderator confirms the resolution or reopens the prediction (the reopen rules of
:mod:`bot.domain.rules` hold there). Pure functions of plain values.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.actor import Actor
from bot.domain.errors import InvalidInput, InvalidState, MentionsMoment, NotAllowed
from bot.domain.vocabulary import Status

DEFAULT_WINDOW_HOURS = 24
#: Up to 30 days; 0 turns disputes off.
MAX_WINDOW_HOURS = 24 * 30
REASON_MIN = 10


class DisputeStatus(StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"  # a moderator kept the resolution
    REOPENED = "reopened"  # the prediction was reopened (by the dispute or otherwise)


class DisputeWindowClosed(MentionsMoment, InvalidState):
    """The window to dispute this resolution has passed."""

    def __init__(self, number: int, closed_at: datetime) -> None:
        super().__init__(
            f"The time to dispute #{number}'s resolution ended {{when}}. Ask a moderator if "
            "something is badly wrong.",
            closed_at,
            "R",
        )


def check_window_hours(hours: int) -> None:
    if isinstance(hours, bool) or not 0 <= hours <= MAX_WINDOW_HOURS:
        raise InvalidInput(
            f"The dispute window is 0 to {MAX_WINDOW_HOURS} hours (30 days); 0 turns disputes off."
        )


def window_closes(resolved_at: datetime, hours: int) -> datetime:
    return resolved_at + timedelta(hours=hours)


def check_reason(reason: str | None) -> str:
    """A dispute says why: at least a few words (the text was cleaned by the caller)."""
    if not reason or len(reason) < REASON_MIN:
        raise InvalidInput(
            f"Say why you dispute it (at least {REASON_MIN} characters), e.g. where the "
            "resolution's evidence is wrong."
        )
    return reason


def check_may_dispute(
    *,
    number: int,
    status: str,
    resolved_at: datetime | None,
    window_hours: int,
    now: datetime,
    is_bot: bool,
    has_open_dispute: bool,
) -> None:
    """Who may dispute, and when: a member (not a bot), a resolved prediction, within the
    window, once while their dispute is open."""
    if is_bot:
        raise NotAllowed("Bots can't dispute a resolution.")
    if status != Status.RESOLVED or resolved_at is None:
        raise InvalidState(f"#{number} is not resolved, so there is no resolution to dispute.")
    if window_hours == 0:
        raise NotAllowed("Disputes are turned off in this server. Ask a moderator.")
    closes = window_closes(resolved_at, window_hours)
    if now >= closes:
        raise DisputeWindowClosed(number, closes)
    if has_open_dispute:
        raise InvalidState(
            f"You already disputed #{number}'s resolution; a moderator will confirm it or "
            "reopen the prediction."
        )


def check_may_settle(actor: Actor, moderator_role_id: int | None) -> None:
    """Only a moderator confirms a disputed resolution or reopens it for a dispute."""
    if not actor.is_moderator(moderator_role_id):
        raise NotAllowed(
            "Only a moderator (the server's moderator role, or Manage Server) can settle a dispute."
        )
