"""What every question kind answers, in one place: the shape of a forecast and an outcome.

A kind says how a forecast is read from text and checked, how it is kept in a row, how the
current forecasts pool into the community forecast, how an outcome is read and kept, how a
forecast is scored against it, and how both are said in words. The services call these
methods with the kind named on the prediction row; they never branch on the kind's name.

Every kind scores with a *penalty* (lower is better: Brier for yes/no, multiclass Brier, CRPS)
and a *log score* (higher is better). The services average the penalty over the time each
forecast stood and subtract the community's over the same time: the relative score, defined
for every kind, is what one leaderboard across kinds can rank on.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from bot.domain.errors import InvalidInput
from bot.domain.vocabulary import Outcome

#: What a kind keeps in a JSON column: plain values only (numbers, strings, lists, dicts).
Payload = Any

ForecastT = TypeVar("ForecastT")  # a forecast of this kind
OutcomeT = TypeVar("OutcomeT")  # an outcome of this kind (AMBIGUOUS: see Resolution)


@dataclass(frozen=True)
class PointScore:
    """One forecast scored against the outcome."""

    penalty: float  # a proper score, lower is better (the ``brier`` column)
    log: float  # the log score, higher is better


@dataclass(frozen=True)
class StoredForecast:
    """A forecast as one row holds it: the yes/no per-mille column, or the kind's payload."""

    permille: int | None
    payload: Payload | None


@dataclass(frozen=True)
class StoredOutcome:
    """An outcome as the prediction row holds it: the ``outcome`` column and the payload."""

    outcome: Outcome
    payload: Payload | None


class RunningPool(Generic[ForecastT]):
    """The community forecast kept up to date one member at a time, for replaying a question's
    history. This default pools everyone again at each change (O(members) per change); a kind
    whose pool adds up (a mean) returns its own from :meth:`QuestionKind.running_pool`."""

    def __init__(self, kind: QuestionKind[ForecastT, Any]) -> None:
        self._kind = kind
        self._held: dict[int, ForecastT] = {}

    def hold(self, member: int, forecast: ForecastT) -> None:
        self._held[member] = forecast

    def drop(self, member: int) -> None:
        self._held.pop(member, None)

    def pooled(self) -> ForecastT | None:
        return self._kind.pool(list(self._held.values()))


class QuestionKind(ABC, Generic[ForecastT, OutcomeT]):
    """One kind of question. Subclass, then :func:`bot.domain.kinds.register` an instance."""

    #: Stored in ``predictions.kind``; never renamed once released.
    name: ClassVar[str]
    #: How members call it ("yes/no").
    title: ClassVar[str]
    #: Forecasts are one integer per-mille in ``permille`` (index-backed SQL, and the fast
    #: paths for 5,000-voter predictions: pooling and scoring on plain ints).
    per_mille: ClassVar[bool] = False

    # -- the question's own setup (options, a range) ------------------------------------------
    #: The setup fields a member may give when creating one (e.g. ``("options",)``); the
    #: commands and forms offer these, and the kind reads them in :meth:`parse_spec`.
    spec_fields: ClassVar[tuple[str, ...]] = ()

    def parse_spec(self, fields: Mapping[str, str]) -> Payload | None:
        """The question's setup from what its author typed (field name → text), checked; kept in
        ``predictions.kind_spec``. Raises ``InvalidInput`` saying how to fix it. A kind without
        a setup refuses any field given."""
        given = sorted(name for name, text in fields.items() if text and text.strip())
        if given:
            names = ", ".join(f"`{name}`" for name in given)
            raise InvalidInput(f"A {self.title} question takes no {names}; leave it out.")
        return None

    def bind(self, spec: Payload | None) -> QuestionKind[ForecastT, OutcomeT]:
        """This kind for one question with setup ``spec`` (the stored ``kind_spec``): a kind
        with a setup returns an instance that knows it (its options, its range). The services
        only ever use bound kinds (:func:`bot.domain.kinds.kind_for`)."""
        return self

    def spec_of(self) -> Payload | None:
        """The setup this instance is bound to, as stored (``None``: the kind has none)."""
        return None

    def check_spec(self, spec: Payload | None) -> QuestionKind[ForecastT, OutcomeT]:
        """A stored setup from outside (an import file) checked, and this kind bound to it;
        raises ``InvalidInput``. By default a kind without a setup takes none, and a kind with
        one must be bound by it and give the same setup back; a kind whose setup has rules
        beyond its shape (2–10 options, low below high) overrides this to apply the rules of
        :meth:`parse_spec`."""
        if not self.spec_fields:
            if spec is not None:
                raise InvalidInput(f"A {self.title} question has no setup (`kind_spec`).")
            return self
        if spec is None:
            raise InvalidInput(f"A {self.title} question needs its setup (`kind_spec`).")
        try:
            bound = self.bind(spec)
            same = bound.spec_of() == spec
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            same = False
        if not same:
            raise InvalidInput(f"The {self.title} question's setup (`kind_spec`) is not valid.")
        return bound

    # -- forecasts ---------------------------------------------------------------------------
    @abstractmethod
    def parse_forecast(self, text: str) -> ForecastT:
        """A member's typed forecast; raises ``InvalidInput`` saying how to write one."""

    @abstractmethod
    def validate(self, forecast: object) -> ForecastT:
        """A forecast from any path (buttons, import, a service call) checked by the same rules
        as a typed one; returns it in its canonical form, or raises ``InvalidInput``."""

    @abstractmethod
    def store_forecast(self, forecast: ForecastT) -> StoredForecast: ...

    @abstractmethod
    def load_forecast(self, permille: int | None, payload: Payload | None) -> ForecastT: ...

    @abstractmethod
    def describe_forecast(self, forecast: ForecastT) -> str:
        """The forecast in words ("70%", "A 50 %, B 30 %, C 20 %")."""

    # -- the community -----------------------------------------------------------------------
    @abstractmethod
    def pool(self, forecasts: Sequence[ForecastT]) -> ForecastT | None:
        """The community forecast of the current forecasts; ``None`` when there are none."""

    def running_pool(self) -> RunningPool[ForecastT]:
        """A pool updated one change at a time (replays); the default pools from scratch."""
        return RunningPool(self)

    # -- outcomes ----------------------------------------------------------------------------
    @abstractmethod
    def parse_outcome(self, text: str) -> OutcomeT:
        """What happened, as a resolver types it (AMBIGUOUS is read before this is asked)."""

    @abstractmethod
    def store_outcome(self, outcome: OutcomeT) -> StoredOutcome: ...

    @abstractmethod
    def load_outcome(self, stored: StoredOutcome) -> OutcomeT: ...

    @abstractmethod
    def describe_outcome(self, outcome: OutcomeT) -> str:
        """The outcome in words ("YES", "42 km")."""

    #: How to write an outcome, for the error that says how to fix one.
    outcome_help: ClassVar[str] = ""

    # -- scoring -----------------------------------------------------------------------------
    @abstractmethod
    def score(self, forecast: ForecastT, outcome: OutcomeT) -> PointScore: ...


@dataclass(frozen=True)
class Resolution:
    """A parsed resolution: annulled (AMBIGUOUS, never scored) or the kind's outcome."""

    annulled: bool
    outcome: Any = None  # the kind's outcome; None when annulled

    def stored(self, kind: QuestionKind[Any, Any]) -> StoredOutcome:
        if self.annulled:
            return StoredOutcome(Outcome.AMBIGUOUS, None)
        return kind.store_outcome(self.outcome)
