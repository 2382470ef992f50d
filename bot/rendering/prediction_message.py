"""Everything the public prediction message is made of: embed and buttons, for any state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import discord

from bot.rendering.embeds import prediction_embed
from bot.services.dto import PredictionInfo


def message_parts(
    info: PredictionInfo, now: datetime, *, reactions_note: str | None = None
) -> dict[str, Any]:
    """Keyword arguments for ``send``/``edit``: the embed and, while voting is open, buttons."""
    from bot.rendering.buttons import prediction_view

    embed = prediction_embed(info, now, reactions_note=reactions_note)
    view: discord.ui.View | None = prediction_view(info, now)
    return {"embed": embed, "view": view}
