"""Numeric questions ("How many seats will the party win?"): a range ``low…high`` with an
optional unit, each end open (the answer may lie beyond it) or closed. A forecast is a median
and an 80 % interval; the rest is shared with date questions (:mod:`bot.domain.kinds.ranges`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from bot.domain.errors import InvalidInput
from bot.domain.kinds import register
from bot.domain.kinds.base import Payload
from bot.domain.kinds.ranges import RangeKind, RangeSpec
from bot.forecasting.distributions import BINS, Ends

#: Longest unit (``seats``, ``km``, ``°C``).
UNIT_MAX = 20

#: A number as typed: ``42``, ``-3.5``, ``1,200``, ``2e6``. A minus right after a digit is a
#: dash (``30-60``), not a sign.
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:,\d{3})*(?:\.\d+)?(?:e[-+]?\d+)?(?![\d])", re.IGNORECASE)


#: A unit is shown in messages beside every value: plain words and symbols only, no markdown.
_UNIT = re.compile(r"[\w %°$€£/.'-]*")


def _read_number(text: str) -> float | None:
    cleaned = (text or "").strip().replace("−", "-").replace(",", "").replace("_", "")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def format_number(value: float, step: float | None = None) -> str:
    """``42``, ``3.5``, ``1200``; with ``step``, to the precision that step carries."""
    if step is not None and step > 0:
        decimals = max(0, min(6, math.ceil(-math.log10(step))))
        text = f"{value:.{decimals}f}"
    else:
        text = f"{value:.6g}"
        if "e" in text:
            text = f"{value:.0f}" if abs(value) >= 1 else f"{value:.10f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class Numeric(RangeKind):
    name: ClassVar[str] = "numeric"
    title: ClassVar[str] = "numeric"
    below_word: ClassVar[str] = "below"
    above_word: ClassVar[str] = "above"
    outcome_help: ClassVar[str] = (
        "The outcome is a number in the question's range, `below` or `above` when that end "
        "is open, or `ambiguous`."
    )
    VALUE: ClassVar[re.Pattern[str]] = _NUMBER
    value_word: ClassVar[str] = "a number"

    def read_value(self, text: str, what: str) -> float:
        value = _read_number(self._without_unit(text))
        if value is None:
            raise InvalidInput(f"The {what} must be a number, e.g. `42` or `3.5`.")
        return value

    def _without_unit(self, text: str) -> str:
        """``45 seats`` or ``$45`` read as ``45``: the question's own unit may be written."""
        unit = self._spec.unit if self._spec else ""
        cleaned = " ".join((text or "").split())
        if unit:
            folded, wanted = cleaned.casefold(), unit.casefold()
            if folded.endswith(wanted):
                cleaned = cleaned[: -len(unit)]
            elif folded.startswith(wanted):
                cleaned = cleaned[len(unit) :]
        return cleaned

    def show_value(self, value: float, rounded: bool = False) -> str:
        step = (self.spec.high - self.spec.low) / BINS if rounded and self._spec else None
        return format_number(value, step)

    def with_unit(self, text: str) -> str:
        unit = self._spec.unit if self._spec else ""
        return f"{text} {unit}" if unit else text

    def keep_value(self, value: float) -> Any:
        return int(value) if value.is_integer() and abs(value) < 2**53 else value

    def load_value(self, kept: Any) -> float:
        return float(kept)

    def read_spec(self, fields: Mapping[str, str]) -> RangeSpec:
        low_text, high_text = fields.get("low", ""), fields.get("high", "")
        if not (low_text or "").strip() or not (high_text or "").strip():
            raise InvalidInput(
                "A numeric question needs a `low` and a `high` end, e.g. `low: 0` `high: 650`."
            )
        low, high = _read_number(low_text), _read_number(high_text)
        if low is None or high is None:
            raise InvalidInput("`low` and `high` must be numbers, e.g. `0` and `650`.")
        if not low < high:
            raise InvalidInput("`low` must be below `high`.")
        unit = " ".join((fields.get("unit") or "").split())
        if len(unit) > UNIT_MAX:
            raise InvalidInput(f"The unit is at most {UNIT_MAX} characters (e.g. `seats`).")
        if not _UNIT.fullmatch(unit):
            raise InvalidInput(
                "The unit may use letters, digits, spaces and % ° $ € £ / . ' - (e.g. `seats`, "
                "`km/h`, `°C`)."
            )
        return RangeSpec(low, high, self.read_ends(fields.get("open_ends")), unit)

    def spec_payload(self, spec: RangeSpec) -> Payload:
        return {
            "low": self.keep_value(spec.low),
            "high": self.keep_value(spec.high),
            "unit": spec.unit,
            "open_low": spec.ends.open_low,
            "open_high": spec.ends.open_high,
        }

    def spec_from_payload(self, payload: Payload) -> RangeSpec:
        return RangeSpec(
            float(payload["low"]),
            float(payload["high"]),
            Ends(bool(payload["open_low"]), bool(payload["open_high"])),
            str(payload.get("unit") or ""),
        )


NUMERIC = register(Numeric())
