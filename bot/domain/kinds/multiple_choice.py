"""Multiple-choice questions: 2 to 10 options, a forecast is a probability per option.

A forecast is one per-mille integer per option, in the question's option order, summing to
1000, each at least 10 (1 %): stored as ``{"permille": [500, 300, 150, 50]}``. The outcome is
one option, stored as ``{"option": index, "text": name}`` (the name for people reading the
row). Scores: multiclass Brier (the penalty) and the log of the probability given to what
happened; the community forecast is the normalised geometric mean (:mod:`bot.forecasting.
multiclass`).

Members write a forecast as ``Anthropic 50, OpenAI 30, Google 15, Other 5`` (names matched
without regard to case; a unique start of a name is enough; ``:`` or ``%`` may follow) or as
``50/30/15/5`` in option order. The rules, said in the reply when they apply:

- the numbers add up to 100 %; a sum off by at most 2 points (rounding: 33/33/33) is scaled to
  100 % and the reply says so; further off is refused, naming the sum;
- an option left out or given 0 gets 1 %, taken from the others (a 0 would make the log score
  −∞), and the reply says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from bot.domain.errors import InvalidInput
from bot.domain.kinds import register
from bot.domain.kinds.base import (
    Payload,
    PointScore,
    QuestionKind,
    RunningPool,
    StoredForecast,
    StoredOutcome,
)
from bot.domain.vocabulary import Outcome
from bot.forecasting import multiclass
from bot.forecasting.multiclass import FLOOR, TOTAL, PerMille

MIN_OPTIONS, MAX_OPTIONS = 2, 10
OPTION_MAX = 50  # characters in one option's name
#: How far from 100 a sum may be and still be scaled (33/33/33 is 99).
SUM_TOLERANCE = 2
_SEPARATORS = re.compile(r"[,;\n]")
_NUMBER = r"[0-9]+(?:\.[0-9]+)?"
_NAMED = re.compile(rf"^(?P<name>.*?)\s*[:=]?\s*(?P<number>{_NUMBER})\s*%?$")
_POSITIONAL = re.compile(rf"^\s*{_NUMBER}\s*%?\s*(?:[/,;\s]\s*{_NUMBER}\s*%?\s*)*$")


def _plain(text: str) -> str:
    """An option's name compared without regard to case or repeated spaces."""
    return " ".join(text.split()).casefold()


def parse_options(text: str) -> list[str]:
    """The options as the author typed them (``A | B | C``, or one per line), checked."""
    options = [" ".join(part.split()) for part in re.split(r"[|\n]", text or "")]
    options = [option for option in options if option]
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise InvalidInput(
            f"A multiple-choice question has {MIN_OPTIONS} to {MAX_OPTIONS} `options`, "
            f"separated by |, e.g. `OpenAI | Anthropic | Google | Other` "
            f"(you gave {len(options)})."
        )
    seen: set[str] = set()
    for option in options:
        if len(option) > OPTION_MAX:
            raise InvalidInput(
                f"An option is at most {OPTION_MAX} characters: shorten “{option[:20]}…”."
            )
        if "," in option or ";" in option:
            raise InvalidInput(
                f"An option can't contain a comma or a semicolon (they separate the numbers of a "
                f"vote): reword “{option}”."
            )
        if _plain(option) in seen:
            raise InvalidInput(f"The option “{option}” is given twice; each must differ.")
        seen.add(_plain(option))
    return options


@dataclass(frozen=True)
class ReadMultiple:
    """A typed forecast, and what the reading did to it (for the reply)."""

    forecast: PerMille
    scaled_from: float | None = None  # the sum typed, when it was scaled to 100 %
    floored: tuple[str, ...] = ()  # options raised to 1 %

    @property
    def note(self) -> str | None:
        notes = []
        if self.scaled_from is not None:
            notes.append(f"your numbers added up to {self.scaled_from:g} %, scaled to 100 %")
        if self.floored:
            names = (
                self.floored[0]
                if len(self.floored) == 1
                else f"{', '.join(self.floored[:-1])} and {self.floored[-1]}"
            )
            notes.append(f"{names} got 1 %: every option keeps at least 1 %")
        if not notes:
            return None
        text = "; ".join(notes)
        return text[0].upper() + text[1:] + "."


class MultipleChoice(QuestionKind[PerMille, int]):
    """Forecast: per-mille per option (summing to 1000). Outcome: the index of an option."""

    name: ClassVar[str] = "multiple_choice"
    title: ClassVar[str] = "multiple choice"
    spec_fields: ClassVar[tuple[str, ...]] = ("options",)
    outcome_help: ClassVar[str] = "The outcome is one of the question's options, or `ambiguous`."

    def __init__(self, options: Sequence[str] = ()) -> None:
        self.options = tuple(options)

    # -- setup -------------------------------------------------------------------------------
    def parse_spec(self, fields: Mapping[str, str]) -> Payload | None:
        others = {name: text for name, text in fields.items() if name != "options"}
        super().parse_spec(others)  # refuses any other field, by name
        return {"options": parse_options(fields.get("options", ""))}

    def check_spec(self, spec: Payload | None) -> MultipleChoice:
        """A setup from a file, by the rules of a typed one (2–10 distinct options…)."""
        options = spec.get("options") if isinstance(spec, Mapping) else None
        if (
            not isinstance(spec, Mapping)
            or set(spec) != {"options"}
            or not isinstance(options, list)
            or not all(isinstance(option, str) and "|" not in option for option in options)
        ):
            raise InvalidInput("The multiple-choice question's setup (`kind_spec`) is not valid.")
        checked = parse_options(" | ".join(options))
        if checked != options:
            raise InvalidInput("The multiple-choice question's options are not valid.")
        return self.bind({"options": checked})

    def bind(self, spec: Payload | None) -> MultipleChoice:
        return MultipleChoice(spec["options"]) if spec else self

    def spec_of(self) -> Payload | None:
        return {"options": list(self.options)}

    # -- forecasts ---------------------------------------------------------------------------
    def how_to_vote(self) -> str:
        named = ", ".join(f"{o} {n}" for o, n in zip(self.options, self._example(), strict=True))
        numbers = "/".join(str(n) for n in self._example())
        return f"Give a percentage per option, e.g. `{named}` or `{numbers}` in option order."

    def _example(self) -> list[int]:
        count = max(len(self.options), 1)
        share = [100 // count] * count
        share[0] += 100 - sum(share)
        return share

    def read(self, text: str) -> ReadMultiple:
        """A typed forecast, both syntaxes, with what was done to it."""
        if not self.options:
            raise InvalidInput("This question has no options.")
        raw = (text or "").strip()
        if not raw:
            raise InvalidInput(self.how_to_vote())
        if _POSITIONAL.match(raw):
            numbers = [float(n) for n in re.findall(_NUMBER, raw)]
            if len(numbers) != len(self.options):
                gave = "1 number" if len(numbers) == 1 else f"{len(numbers)} numbers"
                raise InvalidInput(
                    f"This question has {len(self.options)} options and you gave {gave}. "
                    f"{self.how_to_vote()}"
                )
            typed = dict(enumerate(numbers))
        else:
            typed = self._named(raw)
        return self._checked(typed)

    def _named(self, raw: str) -> dict[int, float]:
        typed: dict[int, float] = {}
        for part in (p.strip() for p in _SEPARATORS.split(raw)):
            if not part:
                continue
            match = _NAMED.match(part)
            if match is None or not match["name"].strip():
                raise InvalidInput(f"I can't read “{part[:60]}”. {self.how_to_vote()}")
            index = self._option_index(match["name"], prefix=True)
            if index in typed:
                raise InvalidInput(f"“{self.options[index]}” is given twice.")
            typed[index] = float(match["number"])
        return typed

    def _option_index(self, name: str, *, prefix: bool) -> int:
        wanted = _plain(name)
        plain = [_plain(option) for option in self.options]
        if wanted in plain:
            return plain.index(wanted)
        starts = [i for i, option in enumerate(plain) if prefix and option.startswith(wanted)]
        if len(starts) == 1:
            return starts[0]
        listed = ", ".join(self.options)
        if len(starts) > 1:
            raise InvalidInput(f"“{name.strip()}” could be several options: {listed}.")
        raise InvalidInput(f"“{name.strip()[:60]}” is not an option; the options are {listed}.")

    def _checked(self, typed: Mapping[int, float]) -> ReadMultiple:
        total = sum(typed.values())
        if abs(total - 100) > SUM_TOLERANCE:
            raise InvalidInput(
                f"Your numbers add up to {total:g} %; they must add up to 100 % "
                f"(within {SUM_TOLERANCE} points, which is scaled). {self.how_to_vote()}"
            )
        percents = [typed.get(i, 0.0) for i in range(len(self.options))]
        forecast = multiclass.normalise_permille(percents)
        floored = tuple(self.options[i] for i, p in enumerate(percents) if p * 10 < FLOOR)
        return ReadMultiple(forecast, None if total == 100 else total, floored)

    def parse_forecast(self, text: str) -> PerMille:
        return self.read(text).forecast

    def validate(self, forecast: object) -> PerMille:
        if isinstance(forecast, Mapping):
            forecast = forecast.get("permille")
        if (
            not isinstance(forecast, list | tuple)
            or len(forecast) != len(self.options)
            or any(isinstance(p, bool) or not isinstance(p, int) for p in forecast)
            or any(not FLOOR <= p <= TOTAL for p in forecast)
            or sum(forecast) != TOTAL
        ):
            raise InvalidInput(
                f"A forecast gives each of the {len(self.options)} options at least 1 %, "
                f"adding up to 100 %. {self.how_to_vote()}"
            )
        return tuple(forecast)

    def store_forecast(self, forecast: PerMille) -> StoredForecast:
        return StoredForecast(None, {"permille": list(forecast)})

    def load_forecast(self, permille: int | None, payload: Payload | None) -> PerMille:
        if not isinstance(payload, Mapping) or "permille" not in payload:
            raise ValueError("a multiple-choice forecast is kept as {'permille': [...]}")
        return tuple(map(int, payload["permille"]))

    def describe_forecast(self, forecast: PerMille) -> str:
        return ", ".join(
            f"{option} {_percent(p)}" for option, p in zip(self.options, forecast, strict=True)
        )

    # -- the community -----------------------------------------------------------------------
    def pool(self, forecasts: Sequence[PerMille]) -> PerMille | None:
        """The normalised geometric mean (named in /help and the message)."""
        return multiclass.geometric_pool(forecasts)

    def running_pool(self) -> GeometricRunningPool:
        """The same pool kept one forecast at a time: replaying 20,000 changes is O(events)."""
        return GeometricRunningPool(self)

    # -- outcomes ----------------------------------------------------------------------------
    def parse_outcome(self, text: str) -> int:
        try:
            return self._option_index(text or "", prefix=False)
        except InvalidInput:
            listed = ", ".join(f"`{option}`" for option in self.options)
            raise InvalidInput(
                f"The outcome is one of the options ({listed}), or `ambiguous`."
            ) from None

    def store_outcome(self, outcome: int) -> StoredOutcome:
        return StoredOutcome(Outcome.ANSWERED, {"option": outcome, "text": self.options[outcome]})

    def load_outcome(self, stored: StoredOutcome) -> int:
        if not isinstance(stored.payload, Mapping) or "option" not in stored.payload:
            raise ValueError("a multiple-choice outcome is kept as {'option': index}")
        return int(stored.payload["option"])

    def describe_outcome(self, outcome: int) -> str:
        return self.options[outcome]

    # -- scoring -----------------------------------------------------------------------------
    def score(self, forecast: PerMille, outcome: int) -> PointScore:
        return PointScore(
            multiclass.brier(forecast, outcome), multiclass.log_score(forecast, outcome)
        )


class GeometricRunningPool(RunningPool[PerMille]):
    """The normalised geometric mean updated one member at a time (sums of logs)."""

    def __init__(self, kind: MultipleChoice) -> None:
        super().__init__(kind)
        self._pool = multiclass.GeometricPool(len(kind.options))

    def hold(self, member: int, forecast: PerMille) -> None:
        self.drop(member)
        self._held[member] = forecast
        self._pool.add(forecast)

    def drop(self, member: int) -> None:
        old = self._held.pop(member, None)
        if old is not None:
            self._pool.remove(old)

    def pooled(self) -> PerMille | None:
        return self._pool.value()


def _percent(permille: int) -> str:
    """``50%``, ``12.5%``: as yes/no shows a probability."""
    return f"{permille // 10}%" if permille % 10 == 0 else f"{permille / 10:g}%"


MULTIPLE_CHOICE = register(MultipleChoice())
