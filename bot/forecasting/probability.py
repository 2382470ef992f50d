"""Probabilities as members type them, stored as per-mille integers.

Votes are kept as integer tenths of a percent (``700`` = 70 %, ``725`` = 72.5 %) so that
equality, bucketing and storage never suffer from float rounding. Members may type a percent
(``70``, ``70%``, ``72.5``, ``72,5``), a fraction (``0.7``), or odds: ``3:1`` (3 to 1 for
YES, 75 %) and ``1 in 5`` (20 %). Odds rarely land on a whole tenth of a percent (``2:1`` is
66.66… %), so they are rounded to the nearest one (667; a tie to the even one); anything else
is rejected with a message that shows how to write it.

The ends are one rule, decided here for every path (slash vote, vote form, ``/predict``'s own
forecast, its forms): exactly 0 % and 100 % are kept as 1 % and 99 % and the member is told so
(:data:`ENDS_NOTE`); keycaps 0️⃣/🔟 and imported files clamp the same way (:func:`clamp_permille`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from bot.domain.errors import InvalidInput

MIN_PERMILLE = 10
MAX_PERMILLE = 990

_HOW_TO = (
    "Give a probability between 1 and 99 %, e.g. `70`, `70%` or `0.7`, "
    "or odds like `3:1` or `1 in 5`."
)
# ASCII digits only: ``\d`` would also accept e.g. Arabic-Indic digits that Decimal reads.
_NUMBER = re.compile(r"(?P<int>[0-9]*)(?:\.(?P<frac>[0-9]+))?")
_AMOUNT = r"[0-9]+(?:[.,][0-9]+)?"
#: ``3:1`` / ``3 to 1`` (odds for YES: 3 parts YES to 1 part NO) and ``1 in 5`` (a chance).
_ODDS = re.compile(rf"(?P<yes>{_AMOUNT})\s*(?::|\s(?:to)\s)\s*(?P<no>{_AMOUNT})", re.IGNORECASE)
_CHANCE = re.compile(rf"(?P<part>{_AMOUNT})\s+in\s+(?P<whole>{_AMOUNT})", re.IGNORECASE)
_ECHO_LIMIT = 20


def _echo(text: str) -> str:
    """The member's input, shortened and made safe to put inside inline code."""
    cleaned = text.strip().replace("`", "'")
    if len(cleaned) > _ECHO_LIMIT:
        cleaned = cleaned[: _ECHO_LIMIT - 1] + "…"
    return cleaned


ENDS_NOTE = "0 % and 100 % count as 1 % and 99 %: nothing is certain, and a 0 would score −∞."
_ENDS = {Decimal(0): MIN_PERMILLE, Decimal(1000): MAX_PERMILLE}


@dataclass(frozen=True)
class ReadProbability:
    """What a member typed, in per-mille, and whether it was an end (0 or 100 %) kept at 1/99."""

    permille: int
    clamped: bool = False

    @property
    def note(self) -> str | None:
        return ENDS_NOTE if self.clamped else None


def _amount(text: str) -> Fraction:
    return Fraction(Decimal(text.replace(",", ".")))


def _read_odds(raw: str) -> ReadProbability | None:
    """``3:1``, ``3 to 1`` or ``1 in 5`` as a probability of YES; ``None``: not odds."""
    if match := _ODDS.fullmatch(raw):
        yes, no = _amount(match["yes"]), _amount(match["no"])
        if yes + no == 0:
            raise InvalidInput(f"`{_echo(raw)}` gives no chance either way. {_HOW_TO}")
        share = yes / (yes + no)
    elif match := _CHANCE.fullmatch(raw):
        part, whole = _amount(match["part"]), _amount(match["whole"])
        if whole == 0 or part > whole:
            raise InvalidInput(
                f"`{_echo(raw)}` is not a chance: in `1 in 5` the first number is at most the "
                f"second, which is not 0. {_HOW_TO}"
            )
        share = part / whole
    else:
        return None
    if share in (0, 1):  # exactly certain: the one rule for the ends
        return ReadProbability(MAX_PERMILLE if share else MIN_PERMILLE, clamped=True)
    # The nearest tenth of a percent; a tie to the even one, so that `a:b` and `b:a` always
    # add up to 100 % (21:1979 is 10.5 ‰ → 10, 1979:21 is 989.5 ‰ → 990).
    permille = round(share * 1000)
    if not MIN_PERMILLE <= permille <= MAX_PERMILLE:
        shown = format_probability(permille)
        raise InvalidInput(f"`{_echo(raw)}` is {shown}, outside 1–99 %. {_HOW_TO}")
    return ReadProbability(permille)


def read_probability(text: str) -> ReadProbability:
    """Read a member's probability: per-mille 10..990, the ends 0 and 100 % taken as 1 and 99 %.

    Values below 1 written with a decimal point and without ``%`` are fractions
    (``0.7`` → 700); odds (``3:1``, ``1 in 5``) are rounded to the nearest per-mille;
    everything else is a percent with at most one decimal.
    """
    raw = (text or "").strip()
    if not raw:
        raise InvalidInput(f"You didn't give a probability. {_HOW_TO}")
    odds = _read_odds(raw)
    if odds is not None:
        return odds
    body = raw.replace("％", "%")
    has_percent = body.endswith("%")
    if has_percent:
        body = body[:-1].rstrip()
    body = body.replace(",", ".")
    match = _NUMBER.fullmatch(body)
    if match is None or not (match["int"] or match["frac"]):
        raise InvalidInput(f"`{_echo(raw)}` is not a number I can read. {_HOW_TO}")

    value = Decimal(body if match["int"] else "0" + body)
    is_fraction = not has_percent and match["frac"] is not None and value < 1
    permille = value * 1000 if is_fraction else value * 10
    if permille in _ENDS:
        return ReadProbability(_ENDS[permille], clamped=True)
    if permille != permille.to_integral_value():
        finest = "three decimals for a fraction" if is_fraction else "one decimal of a percent"
        raise InvalidInput(
            f"`{_echo(raw)}` is more precise than I keep: use at most {finest} "
            f"(e.g. `72.5` or `0.725`). {_HOW_TO}"
        )
    if not MIN_PERMILLE <= permille <= MAX_PERMILLE:
        raise InvalidInput(f"`{_echo(raw)}` is outside 1–99 %. {_HOW_TO}")
    return ReadProbability(int(permille))


def parse_probability(text: str) -> int:
    """:func:`read_probability`'s per-mille, for callers that have nowhere to show the note."""
    return read_probability(text).permille


def clamp_permille(permille: int) -> int:
    """Force a per-mille value into the votable range 10..990 (1–99 %)."""
    return max(MIN_PERMILLE, min(MAX_PERMILLE, permille))


def format_probability(permille: int) -> str:
    """Render per-mille as a percent, showing the decimal only when there is one."""
    sign = "-" if permille < 0 else ""
    whole, tenth = divmod(abs(permille), 10)
    return f"{sign}{whole}%" if tenth == 0 else f"{sign}{whole}.{tenth}%"
