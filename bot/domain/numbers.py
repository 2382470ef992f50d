"""The range of the numbers members type: prediction numbers are stored as 32-bit integers.

A number outside it cannot name anything stored, so it is refused (slash options carry the
range, so Discord's client enforces it) or simply matches nothing (autocomplete, custom_ids),
instead of reaching the database and failing there.
"""

from __future__ import annotations

#: The largest prediction number the database can hold (INTEGER).
NUMBER_MAX = 2**31 - 1


def typed_number(text: str) -> int | None:
    """``text`` as a prediction number if it is one (decimal digits, 1…NUMBER_MAX), else None.

    ``str.isdigit`` accepts ``²``, which ``int()`` refuses; ``isdecimal`` does not.
    """
    text = text.strip()
    if not text.isdecimal() or len(text) > len(str(NUMBER_MAX)):
        return None
    number = int(text)
    return number if 1 <= number <= NUMBER_MAX else None
