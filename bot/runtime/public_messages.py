"""The one owner of "a prediction's public message shows what the database holds".

Every change a message shows (vote, edit, cancel, resolve, reopen) marks it stale in the
change's own transaction (``render_pending``). This object redraws it: :meth:`changed` for
bursts (votes: at most one edit per message per interval), :meth:`render_now` after a
member's explicit action, :meth:`redraw_pending` on start for marks a crash left behind. A
successful render clears the mark, unless something changed since the state was read.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

import discord

from bot.clock import Clock
from bot.domain.rules import reactions_count
from bot.domain.shards import ShardSet
from bot.rendering.prediction_message import message_parts
from bot.runtime.channels import can_manage_messages
from bot.runtime.coalescer import RenderCoalescer
from bot.services.message_state import MessageStateService

log = logging.getLogger(__name__)

REPORTED_MAX = 1000


class PublicMessages:
    def __init__(
        self,
        client: discord.Client,
        state: MessageStateService,
        clock: Clock,
        interval_seconds: float,
    ) -> None:
        self._client = client
        self._state = state
        self._clock = clock
        self._coalescer = RenderCoalescer(clock, interval_seconds, self.render_now)
        # Messages already reported unreachable: warned once, then quiet (bounded, newest kept).
        self._reported: OrderedDict[int, None] = OrderedDict()
        self.edits = 0

    def changed(self, prediction_id: int) -> None:
        """Redraw soon; a burst of changes makes one edit per interval. Never blocks."""
        self._coalescer.request(prediction_id)

    async def render_now(self, prediction_id: int) -> bool:
        """Redraw at once; ``False`` if the message could not be edited (it stays marked when
        the failure may pass, e.g. a Discord error; a deleted message is not retried)."""
        info = await self._state.current(prediction_id)
        if info is None:
            return False
        if info.channel_id is None or info.message_id is None:
            await self._state.mark_rendered(prediction_id, info.render_version)
            return False
        channel = self._client.get_partial_messageable(info.channel_id)
        message = channel.get_partial_message(info.message_id)
        counted = reactions_count(info.visibility, can_manage_messages(self._client, channel.id))
        parts = message_parts(info, self._clock.now(), reactions_count=counted)
        try:
            await message.edit(**parts, allowed_mentions=discord.AllowedMentions.none())
        except (discord.NotFound, discord.Forbidden) as error:
            log.log(
                logging.DEBUG if self._already_reported(info.message_id) else logging.WARNING,
                "Cannot update the message of prediction %s (%s); votes still count",
                prediction_id,
                type(error).__name__,
            )
            # Nothing to redraw until access comes back; the next change tries again.
            await self._state.mark_rendered(prediction_id, info.render_version)
            return False
        except discord.HTTPException:
            log.warning("Editing the message of prediction %s failed", prediction_id, exc_info=True)
            return False
        self.edits += 1
        await self._state.mark_rendered(prediction_id, info.render_version)
        return True

    def _already_reported(self, message_id: int) -> bool:
        seen = message_id in self._reported
        self._reported[message_id] = None
        self._reported.move_to_end(message_id)
        while len(self._reported) > REPORTED_MAX:
            self._reported.popitem(last=False)
        return seen

    @property
    def waiting(self) -> int:
        """Messages with a redraw requested and not finished (the renders-pending metric)."""
        return self._coalescer.waiting

    async def redraw_pending(self, shards: ShardSet | None = None) -> None:
        """On start: redraw messages whose render a crash or an outage left undone (only for
        servers on ``shards``: another process redraws the others)."""
        for prediction_id in await self._state.pending(shards=shards):
            self.changed(prediction_id)

    async def drain(self) -> None:
        """Wait for every requested redraw (shutdown, and tests waiting for quiet)."""
        await self._coalescer.drain()
