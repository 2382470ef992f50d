"""Keycap reactions as votes: 0️⃣ … 🔟 mean 0 %, 10 %, … 100 %, clamped to 1–99 %.

A vote typed as an emoji is just another way to write a probability, so it lives beside
:mod:`bot.forecasting.probability`.
"""

from __future__ import annotations

from bot.forecasting.probability import clamp_permille

KEYCAP_SUFFIX = "\ufe0f\u20e3"
TEN = "\U0001f51f"


def keycap_emoji(tens: int) -> str:
    if not 0 <= tens <= 10:
        raise ValueError("keycaps go from 0 to 10")
    return TEN if tens == 10 else f"{tens}{KEYCAP_SUFFIX}"


def keycap_value(emoji: str | None) -> int | None:
    """Tens of percent for a keycap emoji; ``None`` for anything else."""
    if not emoji:
        return None
    if emoji == TEN:
        return 10
    bare = emoji.replace("\ufe0f", "")
    if len(bare) == 2 and bare[0].isdigit() and bare[1] == "\u20e3":
        return int(bare[0])
    return None


def keycap_permille(tens: int) -> int:
    return clamp_permille(tens * 100)


def keycap_for_permille(permille: int) -> int | None:
    """The keycap that would have produced this vote, if any (10 ← 0️⃣, 990 ← 🔟)."""
    if permille == keycap_permille(0):
        return 0
    if permille == keycap_permille(10):
        return 10
    return permille // 100 if permille % 100 == 0 else None
