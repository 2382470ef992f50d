"""Question kinds: each module defines one (see :mod:`bot.domain.kinds.base`); the registry
maps the name stored on a prediction to its kind. Yes/no is the first and the default."""

from __future__ import annotations

from typing import Any

from bot.domain.errors import InvalidInput
from bot.domain.kinds.base import (
    Payload,
    PointScore,
    QuestionKind,
    Resolution,
    StoredForecast,
    StoredOutcome,
)
from bot.domain.kinds.yes_no import YES_NO, YesNo
from bot.domain.vocabulary import Outcome

__all__ = [
    "DEFAULT_KIND",
    "YES_NO",
    "AnyKind",
    "Payload",
    "PointScore",
    "QuestionKind",
    "Resolution",
    "StoredForecast",
    "StoredOutcome",
    "YesNo",
    "kind_for",
    "kinds",
    "parse_resolution",
    "register",
    "unregister",
]

AnyKind = QuestionKind[Any, Any]

DEFAULT_KIND = YES_NO.name

_KINDS: dict[str, AnyKind] = {YES_NO.name: YES_NO}


def register(kind: AnyKind) -> AnyKind:
    """Make ``kind`` known by its name (a new kind's module registers itself on import)."""
    existing = _KINDS.get(kind.name)
    if existing is not None and existing is not kind:
        raise ValueError(f"a question kind named {kind.name!r} is already registered")
    _KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Forget a kind (tests that sketch a kind of their own clean up with this)."""
    if name == DEFAULT_KIND:
        raise ValueError("yes/no cannot be unregistered")
    _KINDS.pop(name, None)


def kind_for(name: str | None, spec: Payload | None = None) -> AnyKind:
    """The kind stored as ``name`` (``None``: yes/no, the kind of rows made before kinds),
    bound to the question's setup ``spec`` (``predictions.kind_spec``: options, a range)."""
    if name is None:
        return YES_NO
    try:
        kind = _KINDS[name]
    except KeyError:
        known = ", ".join(f"`{k}`" for k in sorted(_KINDS))
        raise InvalidInput(f"There is no question kind `{name}`; the kinds are {known}.") from None
    return kind.bind(spec)


def kinds() -> tuple[AnyKind, ...]:
    """Every registered kind, yes/no first (for choices in commands and forms)."""
    return (YES_NO, *(kind for name, kind in sorted(_KINDS.items()) if name != DEFAULT_KIND))


def parse_resolution(kind: AnyKind, text: str) -> Resolution:
    """AMBIGUOUS (every kind's annulment) or the kind's own outcome."""
    if (text or "").strip().lower() == Outcome.AMBIGUOUS:
        return Resolution(annulled=True)
    return Resolution(annulled=False, outcome=kind.parse_outcome(text))


# Kinds with a module of their own register themselves on import (one line each).
from bot.domain.kinds import date as date  # noqa: E402
from bot.domain.kinds import multiple_choice as multiple_choice  # noqa: E402
from bot.domain.kinds import numeric as numeric  # noqa: E402
