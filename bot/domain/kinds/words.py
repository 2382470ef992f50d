"""A stored forecast or outcome said in words, from the columns a row holds: every text path
(reminders, results, lists, history, exports, the web view) says them this way, so none
shows a per-mille or YES/NO for a question of another kind.

A row whose kind is not (or no longer) registered, or whose payload its kind cannot read,
is said as ``UNREADABLE`` rather than breaking the page or the message that shows it.
"""

from __future__ import annotations

from typing import Any

from bot.domain.errors import InvalidInput
from bot.domain.kinds import AnyKind, kind_for
from bot.domain.kinds.base import StoredOutcome
from bot.domain.vocabulary import Outcome

UNREADABLE = "(unreadable)"
_BROKEN = (InvalidInput, ValueError, KeyError, TypeError, IndexError)


def forecast_words(kind: str | None, spec: Any, permille: int | None, payload: Any) -> str:
    """One member's forecast ("70%", "red 60 %, blue 40 %")."""
    try:
        bound = kind_for(kind, spec)
        return bound.describe_forecast(bound.load_forecast(permille, payload))
    except _BROKEN:
        return UNREADABLE


def pooled_words(kind: str | None, spec: Any, pooled: Any) -> str | None:
    """The community forecast (the kind's pool; yes/no: the median per-mille); None: none."""
    if pooled is None:
        return None
    try:
        return kind_for(kind, spec).describe_forecast(pooled)
    except _BROKEN:
        return UNREADABLE


def outcome_words(kind: str | None, spec: Any, outcome: Outcome | None, value: Any) -> str:
    """What happened: ``YES``, ``NO``, ``AMBIGUOUS`` or the kind's answer ("blue"); "" when
    not resolved."""
    if outcome is None:
        return ""
    if outcome == Outcome.AMBIGUOUS:
        return "AMBIGUOUS"
    try:
        bound = kind_for(kind, spec)
        return bound.describe_outcome(bound.load_outcome(StoredOutcome(outcome, value)))
    except _BROKEN:
        return UNREADABLE


#: How the edit log keeps another kind's answer: the prefix, then the answer in its words.
ANSWERED_PREFIX = f"{Outcome.ANSWERED.value}: "


def logged_outcome(kind: AnyKind, stored: StoredOutcome | None) -> str | None:
    """An outcome as the edit log keeps it (a question's history shows every resolution and
    reopen): ``yes``, ``no``, ``ambiguous``, or ``answered: <the answer in the kind's words>``,
    since ANSWERED alone would not say which answer it was."""
    if stored is None:
        return None
    if stored.outcome != Outcome.ANSWERED:
        return stored.outcome.value
    return ANSWERED_PREFIX + kind.describe_outcome(kind.load_outcome(stored))


def logged_outcome_words(value: str | None) -> str | None:
    """The answer of an edit-log value written by :func:`logged_outcome` (None: not one)."""
    if value and value.startswith(ANSWERED_PREFIX):
        return value[len(ANSWERED_PREFIX) :]
    return None
