"""The rules of a prediction's life, each written once: who may do what, and when.

Pure functions of plain values, so services (inside their transactions), cogs (before they
answer) and rendering (what the message shows) apply exactly the same rule.
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.actor import Actor
from bot.domain.errors import NotAllowed
from bot.domain.vocabulary import ShownStatus, Status, Visibility


def voting_open(status: str, closes_at: datetime, now: datetime) -> bool:
    """Votes count while the prediction is open and its close time has not come."""
    return status == Status.OPEN and now < closes_at


def shown_status(status: str, closes_at: datetime, now: datetime) -> ShownStatus:
    """The stored status, or "closed" for an open prediction past its close time."""
    if status == Status.OPEN and now >= closes_at:
        return ShownStatus.CLOSED
    return ShownStatus(status)


def votes_shown(visibility: str, status: str, closes_at: datetime, now: datetime) -> bool:
    """Whether the public message may show the community forecast."""
    return visibility == Visibility.VISIBLE or not voting_open(status, closes_at, now)


def reactions_count(visibility: str, can_remove_reactions: bool) -> bool:
    """Keycaps vote on visible predictions; on hidden ones only where the bot can remove them
    at once (a reaction left in place would show everyone the vote)."""
    return visibility == Visibility.VISIBLE or can_remove_reactions


def may_manage(actor: Actor, author_id: int, moderator_role_id: int | None) -> bool:
    """Edit, cancel, resolve and reopen: the author, a moderator, or Manage Server."""
    return actor.user_id == author_id or actor.is_moderator(moderator_role_id)


def check_may_manage(
    actor: Actor, author_id: int, moderator_role_id: int | None, number: int, verb: str
) -> None:
    """Raise :class:`NotAllowed` naming who may ``verb`` prediction ``number``."""
    if not may_manage(actor, author_id, moderator_role_id):
        raise NotAllowed(
            f"Only the author of #{number} or a moderator (the server's moderator role, or "
            f"Manage Server) can {verb} it."
        )


def check_author_may_still(
    actor: Actor,
    moderator_role_id: int | None,
    *,
    others_voted: bool,
    closes_at: datetime,
    now: datetime,
    number: int,
    what: str,
) -> None:
    """Once others have voted and voting has closed, the author alone may no longer cancel,
    resolve AMBIGUOUS or move the resolution date: each would erase everyone's scores, so a
    moderator decides. (Moderators, and authors before that point, pass.)"""
    if actor.is_moderator(moderator_role_id) or not others_voted or now < closes_at:
        return
    raise NotAllowed(
        f"Others have voted on #{number} and voting has closed, so only a moderator (the "
        f"server's moderator role, or Manage Server) can {what} now: it would erase everyone's "
        "scores. Ask one, or resolve it YES or NO."
    )


def check_may_reopen(
    actor: Actor,
    author_id: int,
    moderator_role_id: int | None,
    *,
    others_voted: bool,
    reason: str | None,
    number: int,
) -> None:
    """Reopening erases everyone's scores until it resolves again. While nobody but the author
    has voted, the author (or a moderator) may; once someone else has, only a moderator, with
    a reason the history keeps: else the author could reopen a bad call, re-vote, and resolve
    it again to a better score."""
    check_may_manage(actor, author_id, moderator_role_id, number, "reopen")
    if not others_voted:
        return
    if not actor.is_moderator(moderator_role_id):
        raise NotAllowed(
            f"Others have voted on #{number}, so only a moderator (the server's moderator "
            "role, or Manage Server) can reopen it, and with a reason: reopening erases "
            "everyone's scores. Ask one."
        )
    if not reason:
        raise NotAllowed(
            f"Others have voted on #{number}: give a `reason` to reopen it (reopening erases "
            "everyone's scores, and `/predictions history` shows why)."
        )
