"""Date questions ("When will the bridge open?"): a range from the earliest to the latest date,
each end open or closed; an open latest date lets the question resolve "not by the latest
date" (``later``). Values are calendar days, so no time zone is needed: a date is the same day
for every member. Dates are written ``2027-03-01``, ``1 March 2027``, ``March 1, 2027`` or
``March 2027`` (its first day), in a typed forecast as in the form and the range's ends.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, ClassVar

from bot.domain.errors import InvalidInput
from bot.domain.kinds import register
from bot.domain.kinds.base import Payload
from bot.domain.kinds.ranges import RangeKind, RangeSpec
from bot.forecasting.distributions import Ends

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
#: A date inside a typed forecast: ``2027-03-01``, ``1 March 2027``, ``March 1, 2027``,
#: ``March 2027`` (its first day).
_DATE = re.compile(
    rf"\b(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|{_MONTH}\s+\d{{4}})\b",
    re.IGNORECASE,
)
_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y", "%B %Y", "%b %Y")


def read_date(text: str) -> date | None:
    """A calendar date as typed, or ``None``."""
    cleaned = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", (text or "").replace(",", " "))
    cleaned = re.sub(r"\bsept\b", "sep", cleaned.replace(".", " "), flags=re.IGNORECASE)
    cleaned = " ".join(cleaned.split())
    for pattern in _FORMATS:
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    return None


class DateKind(RangeKind):
    name: ClassVar[str] = "date"
    title: ClassVar[str] = "date"
    below_word: ClassVar[str] = "earlier"
    above_word: ClassVar[str] = "later"
    outcome_help: ClassVar[str] = (
        "The outcome is a date like `2027-03-01`, `later` (not by the latest date) or "
        "`earlier` when that end is open, or `ambiguous`."
    )
    VALUE: ClassVar[re.Pattern[str]] = _DATE
    value_word: ClassVar[str] = "a date"
    on_calendar: ClassVar[bool] = True

    def read_value(self, text: str, what: str) -> float:
        day = read_date(text)
        if day is None:
            raise InvalidInput(f"The {what} must be a date, e.g. `2027-03-01` or `1 March 2027`.")
        return float(day.toordinal())

    def show_value(self, value: float, rounded: bool = False) -> str:
        return date.fromordinal(round(value)).isoformat()

    def keep_value(self, value: float) -> Any:
        return date.fromordinal(round(value)).isoformat()

    def load_value(self, kept: Any) -> float:
        return float(date.fromisoformat(str(kept)).toordinal())

    def beyond_words(self, *, high: bool) -> tuple[str, ...]:
        if high:
            return ("later", "not by the latest date", "never")
        return ("earlier", "before the earliest date")

    def read_spec(self, fields: Mapping[str, str]) -> RangeSpec:
        if (fields.get("unit") or "").strip():
            raise InvalidInput("A date question takes no `unit`; leave it out.")
        low_text, high_text = fields.get("low", ""), fields.get("high", "")
        if not (low_text or "").strip() or not (high_text or "").strip():
            raise InvalidInput(
                "A date question needs the earliest date in `low` and the latest in `high`, "
                "e.g. `low: 2027-01-01` `high: 2027-12-31`."
            )
        low, high = read_date(low_text), read_date(high_text)
        if low is None or high is None:
            raise InvalidInput(
                "`low` and `high` must be dates, e.g. `2027-01-01` or `1 January 2027`."
            )
        if (high - low).days < 2:
            raise InvalidInput("The latest date (`high`) must be at least 2 days after `low`.")
        ends = self.read_ends(fields.get("open_ends"))
        return RangeSpec(float(low.toordinal()), float(high.toordinal()), ends)

    def spec_payload(self, spec: RangeSpec) -> Payload:
        return {
            "low": self.keep_value(spec.low),
            "high": self.keep_value(spec.high),
            "open_low": spec.ends.open_low,
            "open_high": spec.ends.open_high,
        }

    def spec_from_payload(self, payload: Payload) -> RangeSpec:
        return RangeSpec(
            self.load_value(payload["low"]),
            self.load_value(payload["high"]),
            Ends(bool(payload["open_low"]), bool(payload["open_high"])),
        )

    def beyond_phrase(self, *, high: bool) -> str:
        s = self.spec
        return f"after {self.show_value(s.high)}" if high else f"before {self.show_value(s.low)}"


DATE = register(DateKind())
