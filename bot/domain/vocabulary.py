"""The words a prediction is described with: its status, outcome, vote visibility and sources.

``StrEnum`` members compare equal to their stored strings, so the database, the services and
the cogs share one spelling and a typo is a type error instead of a silent mismatch.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """What is stored. "Closed" is not a status: it is derived (see :func:`shown_status`)."""

    OPEN = "open"
    RESOLVED = "resolved"
    CANCELLED = "cancelled"


class ShownStatus(StrEnum):
    """What members see: the stored status, with "closed" for open predictions past close."""

    OPEN = "open"
    CLOSED = "closed"
    RESOLVED = "resolved"
    CANCELLED = "cancelled"


class Outcome(StrEnum):
    YES = "yes"
    NO = "no"
    AMBIGUOUS = "ambiguous"  # annulled: never scored
    ANSWERED = "answered"  # any kind but yes/no: the outcome is predictions.outcome_value


#: What a yes/no question resolves to (its resolve buttons, its outcome choices).
YES_NO_OUTCOMES = (Outcome.YES, Outcome.NO, Outcome.AMBIGUOUS)


class Visibility(StrEnum):
    VISIBLE = "visible"
    HIDDEN_UNTIL_VOTE = "hidden_until_vote"
    HIDDEN_UNTIL_CLOSE = "hidden_until_close"


class VoteSource(StrEnum):
    AUTHOR = "author"
    SLASH = "slash"
    BUTTON = "button"
    MODAL = "modal"
    REACTION = "reaction"
    IMPORTED = "imported"  # brought in from a file (Fatebook, PredictionBook, another Augury)
    FORGOTTEN = "forgotten"  # withdrawn by forget-me while voting was open


class ReminderKind(StrEnum):
    DUE = "due"  # the resolution date arrived (and its repeats)
    MODERATOR = "moderator"  # the single escalation to the moderator role
    CLOSE_WARNING = "close_warning"  # voting closes in 24 hours
