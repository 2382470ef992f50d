"""Fatebook's multiple-choice questions, read from its CSV export as Augury multiple choice.

In the export a multiple-choice question has one row per forecast *on one option*: the
``Multiple choice option`` column names it, ``Forecast (scale = 0-1)`` is that option's
probability and ``Resolution`` is that option's (YES for the option that happened, NO for the
others, AMBIGUOUS when the question was annulled; the option's name is read as well). A
forecaster's rows at one moment (and any option they did not restate then, carried from their
previous forecast) make one Augury forecast: a probability per option, scaled to 100 % and each
option kept at 1 % at least, by the same rule as a typed vote (:func:`bot.forecasting.
multiclass.normalise_permille`). The options are the question's, in the order the file first
names them. The records checks then check the question like any other kind's (``check_spec``,
``validate``, ``load_outcome``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.kinds.multiple_choice import MAX_OPTIONS, MIN_OPTIONS, MULTIPLE_CHOICE
from bot.domain.vocabulary import Outcome, Status
from bot.forecasting.multiclass import normalise_permille
from bot.services.records.formats import ImportedEvent, ImportedPrediction, Person


@dataclass
class ChoiceQuestion:
    """One multiple-choice question of the file, while its rows are read."""

    question: ImportedPrediction
    options: list[str] = field(default_factory=list)
    rows: list[tuple[datetime, Person, int, float]] = field(default_factory=list)
    resolutions: dict[int, str] = field(default_factory=dict)  # option → YES / NO / …
    resolved_at: datetime | None = None
    order: int = 0  # rows in file order, for a stable sort of equal times

    def add(
        self,
        option: str,
        when: datetime,
        who: Person,
        fraction: float,
        resolution: str,
        resolved_at: datetime | None,
    ) -> None:
        name = " ".join(option.split())
        known = [o.casefold() for o in self.options]
        if name.casefold() in known:
            index = known.index(name.casefold())
        else:
            if len(self.options) >= MAX_OPTIONS:
                raise ValueError(f"the question has more than {MAX_OPTIONS} options")
            self.options.append(name)
            index = len(self.options) - 1
        self.rows.append((when, who, index, fraction))
        if resolution:
            self.resolutions[index] = resolution
            self.resolved_at = resolved_at or self.resolved_at

    def complete(self, skipped: list[str]) -> bool:
        """Whether the file names at least two options (a forecast on one option alone says
        nothing of the others); if not, the question is skipped and the import says so."""
        if len(self.options) >= MIN_OPTIONS:
            return True
        skipped.append(
            f"“{self.question.statement[:60]}”: a multiple-choice question whose file names "
            f"only {len(self.options)} option; skipped"
        )
        return False

    def finished(self, skipped: list[str]) -> ImportedPrediction:
        """The question with its options, forecasts and answer (said in ``skipped`` when the
        file gives no answer Augury can keep)."""
        item = self.question
        item.kind = MULTIPLE_CHOICE.name
        item.kind_spec = {"options": list(self.options)}
        item.events = self._events()
        outcome, value = self._outcome(skipped)
        if outcome is not None:
            resolved_at = self.resolved_at or item.resolves_at
            item.status, item.outcome, item.outcome_value = Status.RESOLVED, outcome, value
            item.resolved_at = resolved_at
            item.closes_at = min(item.resolves_at, resolved_at)
        return item

    def _events(self) -> list[ImportedEvent]:
        held: dict[Person, dict[int, float]] = {}
        events: list[ImportedEvent] = []
        ordered = sorted(enumerate(self.rows), key=lambda r: (r[1][0], r[0]))
        for position, (_, (when, who, index, fraction)) in enumerate(ordered):
            state = held.setdefault(who, {})
            state[index] = fraction
            following = ordered[position + 1][1] if position + 1 < len(ordered) else None
            if following is not None and following[0] == when and following[1] == who:
                continue  # the same forecast goes on: one event for the whole of it
            weights = [state.get(i, 0.0) * 100 for i in range(len(self.options))]
            forecast = normalise_permille(weights)
            events.append(ImportedEvent(when, who, None, forecast={"permille": list(forecast)}))
        return events

    def _outcome(self, skipped: list[str]) -> tuple[Outcome | None, object]:
        said = {index: text.strip().upper() for index, text in self.resolutions.items()}
        if not said:
            return None, None
        if all(text == "AMBIGUOUS" for text in said.values()):
            return Outcome.AMBIGUOUS, None
        won = [i for i, text in said.items() if text == "YES"]
        named = [
            i
            for i, option in enumerate(self.options)
            if any(text == option.upper() for text in said.values())
        ]
        chosen = won or named
        if len(set(chosen)) == 1:
            index = chosen[0]
            return Outcome.ANSWERED, {"option": index, "text": self.options[index]}
        skipped.append(
            f"“{self.question.statement[:60]}”: its resolution names none (or several) of its "
            "options, so it is imported unresolved; resolve it with /resolve"
        )
        return None, None
