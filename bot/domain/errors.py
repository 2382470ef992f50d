"""Domain errors whose message is safe to show to a member.

Services raise these; one error path (``bot.rendering.replies.report_error``) turns them into
ephemeral replies. Every message says what was wrong *and* how to fix it. An error that refers
to a moment carries it as a value, so the reply can show it in the member's own time.
"""

from __future__ import annotations

from datetime import UTC, datetime


class AuguryError(Exception):
    """Base class: ``str(error)`` is shown to the member as-is."""


class InvalidInput(AuguryError):
    """The member typed something we cannot use (a date, a probability, a timezone…)."""


class NotFound(AuguryError):
    """The thing referred to does not exist (in this server)."""


class PredictionNotFound(NotFound):
    """A prediction named by its number (what members type) does not exist here."""

    def __init__(self, number: int) -> None:
        super().__init__(
            f"There is no prediction #{number} in this server. "
            "Use `/predictions list` to find its number."
        )
        self.number = number


class PredictionGone(NotFound):
    """A prediction named by its id (a button, a reaction, a form) no longer exists here."""

    def __init__(self) -> None:
        super().__init__("That prediction no longer exists in this server.")


class NotAllowed(AuguryError):
    """The member may not do this (not the author, not a moderator…)."""


class InvalidState(AuguryError):
    """The prediction is in a state where this is not possible (cancelled, resolved…)."""


class MentionsMoment(AuguryError):
    """An error whose message names a moment: ``template`` has a ``{when}`` placeholder.

    ``str()`` spells the moment in UTC; a Discord reply shows it in the member's own zone
    (``bot.rendering.replies`` fills the placeholder with a Discord timestamp in ``style``).
    """

    def __init__(self, template: str, when: datetime, style: str = "F") -> None:
        self.template = template
        self.when = when
        self.style = style
        super().__init__(template.format(when=f"{when.astimezone(UTC):%Y-%m-%d %H:%M} UTC"))


class DateNotInFuture(MentionsMoment, InvalidInput):
    """A date phrase that reads as a moment already past."""


class VotingClosed(MentionsMoment, InvalidState):
    """Votes are no longer accepted on this prediction because its close time passed."""

    def __init__(self, number: int, closes_at: datetime) -> None:
        super().__init__(
            f"Voting on #{number} closed {{when}}; your forecast was not recorded.", closes_at, "R"
        )
        self.number = number


class Busy(AuguryError):
    """Too much work is waiting (the database is slow or locked); nothing was stored."""

    def __init__(self) -> None:
        super().__init__("I'm busy right now and did not record that; try again in a moment.")
