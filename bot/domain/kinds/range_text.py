"""How a typed numeric or date forecast names its three values: ``42, 30 to 60``,
``median 42, 80% 30-60``, ``p10 30 p50 42 p90 60``, ``30, 42, 60``.

Kept apart from :mod:`bot.domain.kinds.ranges` (the kind's rules) because it is only about
words: which value is the median and which are the interval's ends. The kind reads each value
(a number, a date) and checks the three together.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_LABEL = re.compile(r"\b(median|p50|p10|p90)\b\s*[:=]?\s*", re.IGNORECASE)
_EIGHTY = re.compile(r"\b80\s*%(\s*(interval|ci|range))?", re.IGNORECASE)
#: What makes a span of the values: "30 to 60", "30-60", "between 30 and 60".
_SPAN = re.compile(r"\bto\b|\bbetween\b|[-–—]", re.IGNORECASE)


def split_forecast(
    text: str, value: re.Pattern[str], read: Callable[[str], float]
) -> tuple[float, float, float] | None:
    """``(p10, median, p90)`` as named in ``text``, each found by ``value`` and read by
    ``read``; ``None`` when the text does not name exactly those three.

    A labelled value is that one; unlabelled ones are the median (if not labelled) then the
    interval's two ends, in either order; three in a plain list (no span between them) are
    read in order of size, the only reading with the median inside the interval."""
    raw = _EIGHTY.sub(" ", " ".join((text or "").split()))
    labels = [(m.end(), m.group(1).lower()) for m in _LABEL.finditer(raw)]
    given: dict[str, float] = {}
    free: list[float] = []
    for match in value.finditer(raw):
        label = next((name for end, name in labels if end == match.start()), None)
        name = "median" if label == "p50" else label
        if name is None or name in given:
            free.append(read(match.group(0)))
        else:
            given[name] = read(match.group(0))
    if not given and len(free) == 3 and not _SPAN.search(value.sub(" ", raw)):
        given["p10"], given["median"], given["p90"] = sorted(free)
        free = []
    if "median" not in given and free:
        given["median"] = free.pop(0)
    if "p10" not in given and "p90" not in given and len(free) == 2:
        given["p10"], given["p90"] = sorted(free)
        free = []
    if free or set(given) != {"median", "p10", "p90"}:
        return None
    return given["p10"], given["median"], given["p90"]
