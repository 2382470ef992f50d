"""Domain errors whose message is safe to show to a member.

Services raise these; the single application-command error handler turns them into an
ephemeral reply. Every message says what was wrong *and* how to fix it.
"""

from __future__ import annotations


class AuguryError(Exception):
    """Base class: ``str(error)`` is shown to the member as-is."""


class InvalidInput(AuguryError):
    """The member typed something we cannot use (a date, a probability, a timezone…)."""


class NotFound(AuguryError):
    """The thing referred to does not exist (in this server)."""


class PredictionNotFound(NotFound):
    def __init__(self, number: int) -> None:
        super().__init__(
            f"There is no prediction #{number} in this server. "
            "Use `/predictions list` to find its number."
        )
        self.number = number


class NotAllowed(AuguryError):
    """The member may not do this (not the author, not a moderator…)."""


class InvalidState(AuguryError):
    """The prediction is in a state where this is not possible (cancelled, resolved…)."""


class VotingClosed(InvalidState):
    """Votes are no longer accepted on this prediction."""
