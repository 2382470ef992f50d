"""Re-rendering a prediction's public message after something changed.

Edits from votes are coalesced (see :mod:`bot.rendering.coalescer`); edits after an explicit
action (edit, cancel, resolve) go out at once. A deleted message or missing access is logged
once per message and never raised: the data is already right, only the picture is stale.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.rendering.permissions import reactions_note
from bot.rendering.prediction_message import message_parts

if TYPE_CHECKING:
    from bot.client import AuguryBot

log = logging.getLogger(__name__)


class MessageRefresher:
    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot
        self._failed: set[int] = set()
        self.edits = 0

    async def refresh(self, prediction_id: int) -> bool:
        """Render the current state onto the message; ``False`` if it could not be edited."""
        info = await self.bot.services.predictions.by_id(prediction_id)
        if info is None or info.channel_id is None or info.message_id is None:
            if info is not None:
                await self.bot.services.predictions.mark_rendered(prediction_id, info.votes_version)
            return False
        message = self.bot.get_partial_messageable(info.channel_id).get_partial_message(
            info.message_id
        )
        note = reactions_note(self.bot, info.visibility, info.channel_id)
        parts = message_parts(info, self.bot.clock.now(), reactions_note=note)
        try:
            await message.edit(**parts, allowed_mentions=discord.AllowedMentions.none())
        except (discord.NotFound, discord.Forbidden) as error:
            if info.message_id not in self._failed:
                self._failed.add(info.message_id)
                log.warning(
                    "Cannot update the message of prediction %s (%s); votes still count",
                    prediction_id,
                    type(error).__name__,
                )
            # Nothing to redraw until access comes back; a later vote will try again.
            await self.bot.services.predictions.mark_rendered(prediction_id, info.votes_version)
            return False
        except discord.HTTPException:
            log.warning("Editing the message of prediction %s failed", prediction_id, exc_info=True)
            return False
        self.edits += 1
        await self.bot.services.predictions.mark_rendered(prediction_id, info.votes_version)
        return True
