"""A prediction's outcome as a label, for every kind: ``✅ YES``, ``❌ NO``, ``➖ AMBIGUOUS``, or
another kind's answer in its words (``🎯 Anthropic``), shown as text (the answer may be an
option the author wrote)."""

from __future__ import annotations

import discord

from bot.domain.kinds.words import outcome_words
from bot.domain.vocabulary import Outcome
from bot.rendering.limits import truncate
from bot.services.core.dto import PredictionInfo

#: An answer in a list line or a title stays short (the full one is in the embed's text).
ANSWER_SHOWN = 80
_EMOJI = {Outcome.YES: "✅", Outcome.NO: "❌", Outcome.AMBIGUOUS: "➖", Outcome.ANSWERED: "🎯"}


def outcome_text(info: PredictionInfo) -> str:
    """The label of ``info``'s outcome ("" when it has none)."""
    if info.outcome is None:
        return ""
    if info.outcome != Outcome.ANSWERED:
        return f"{_EMOJI[info.outcome]} {info.outcome.value.upper()}"
    answer = outcome_words(info.kind, info.kind_spec, info.outcome, info.outcome_value)
    shown = discord.utils.escape_markdown(truncate(answer, ANSWER_SHOWN))
    return f"{_EMOJI[Outcome.ANSWERED]} {shown}"
