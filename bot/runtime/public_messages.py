"""The one owner of "a prediction's public message shows what the database holds": it posts
the first message (:meth:`PublicMessages.publish`), redraws it after every change, and
finalises its thread when the prediction resolves (or reopens). Whether keycap reactions vote
on a message is decided here too (:func:`reactions_count_for`), for the render and the
reaction listener alike.

Every change a message shows (vote, edit, cancel, resolve, reopen) marks it stale in the
change's own transaction (``render_pending``). This object redraws it: :meth:`changed` for
bursts (votes: at most one edit per message per interval), :meth:`render_now` after a
member's explicit action, :meth:`redraw_pending` on start for marks a crash left behind, and
a retry loop (:meth:`start_retries`) for renders that failed while running (Discord errors,
an archived thread, a busy database): each pending message is retried with its own backoff,
so a reply can honestly say "the message will be updated shortly". A successful render clears
the mark, unless something changed since the state was read.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import discord

from bot.clock import Clock
from bot.domain.rules import reactions_count
from bot.domain.shards import ShardSet
from bot.domain.vocabulary import Outcome
from bot.rendering.prediction_message import message_parts
from bot.runtime.channels import can_manage_messages, find_channel
from bot.runtime.coalescer import RenderCoalescer
from bot.runtime.forum_tags import OPEN_TAG, ensure_forum_tags, with_status
from bot.runtime.periodic import Periodic
from bot.runtime.posting import PostableChannel, Published, publish
from bot.runtime.web_channels import everyone_reads_id
from bot.services.core.dto import PredictionInfo
from bot.services.predictions.message_state import MessageStateService

log = logging.getLogger(__name__)

REPORTED_MAX = 1000
#: The first retry of a failed render, then doubling per failure up to the longest.
RETRY_FIRST = timedelta(seconds=30)
#: Discord's error code for an edit inside an archived thread.
THREAD_ARCHIVED = 50083
RETRY_LONGEST = timedelta(hours=1)


def reactions_count_for(client: discord.Client, visibility: str, channel_id: int | None) -> bool:
    """Whether keycap reactions vote on a prediction's message in ``channel_id``: the domain's
    rule (:func:`bot.domain.rules.reactions_count`) with the bot's permission there."""
    return reactions_count(visibility, can_manage_messages(client, channel_id))


@dataclass
class _Retry:
    failures: int
    due: datetime


class PublicMessages:
    def __init__(
        self,
        client: discord.Client,
        state: MessageStateService,
        clock: Clock,
        interval_seconds: float,
        public_url: str | None = None,
    ) -> None:
        self._client = client
        self.public_url = public_url
        self._state = state
        self._clock = clock
        self._coalescer = RenderCoalescer(clock, interval_seconds, self.render_now)
        # Messages already reported unreachable: warned once, then quiet (bounded, newest kept).
        self._reported: OrderedDict[int, None] = OrderedDict()
        # Backoff of messages still pending at the last retry pass (pruned to those each pass).
        self._retries: dict[int, _Retry] = {}
        self._retries_loop: Periodic | None = None
        self._retry_shards: ShardSet | None = None
        self.edits = 0

    async def publish(self, channel: PostableChannel, info: PredictionInfo) -> Published:
        """Post a new prediction's message (and its thread) as every later render draws it;
        raises :class:`~bot.domain.errors.AuguryError` if it cannot be posted at all."""
        counted = reactions_count_for(self._client, info.visibility, channel.id)
        if info.keycaps is None:  # the footer's legend names the keycaps the bot adds
            info = replace(info, keycaps=await self._state.keycaps(info.guild_id))
        parts = message_parts(info, self._clock.now(), reactions_count=counted)
        return await publish(channel, info, **parts)

    def changed(self, prediction_id: int) -> None:
        """Redraw soon; a burst of changes makes one edit per interval. Never blocks."""
        self._coalescer.request(prediction_id)

    async def render_now(self, prediction_id: int) -> bool:
        """Redraw at once; ``False`` if the message could not be edited (it stays marked when
        the failure may pass, e.g. a Discord error; a deleted message is not retried).

        Never raises: the change it shows is already stored, so a failure here is only a
        delay, retried by the loop; callers tell the member the message follows shortly.
        """
        try:
            return await self._render(prediction_id)
        except Exception:
            log.exception("Rendering the message of prediction %s failed", prediction_id)
            return False

    async def _render(self, prediction_id: int) -> bool:
        info = await self._state.current(prediction_id)
        if info is None:
            return False
        if info.channel_id is None or info.message_id is None:
            await self._state.mark_rendered(prediction_id, info.render_version)
            return False
        channel_id, message_id = info.channel_id, info.message_id
        readable = everyone_reads_id(self._client, channel_id)
        if readable is not None and readable != info.public_channel:
            # What the web view may show follows the channel's permissions as last seen.
            await self._state.set_public_channel(prediction_id, readable)
            info = replace(info, public_channel=readable)
        channel = self._client.get_partial_messageable(channel_id)
        message = channel.get_partial_message(message_id)
        counted = reactions_count_for(self._client, info.visibility, channel.id)
        parts = message_parts(
            info, self._clock.now(), reactions_count=counted, public_url=self.public_url
        )
        try:
            try:
                await message.edit(**parts, allowed_mentions=discord.AllowedMentions.none())
            except discord.HTTPException as error:
                if error.code != THREAD_ARCHIVED or not await self._unarchive(channel_id):
                    raise
                await message.edit(**parts, allowed_mentions=discord.AllowedMentions.none())
        except (discord.NotFound, discord.Forbidden) as error:
            log.log(
                logging.DEBUG if self._already_reported(message_id) else logging.WARNING,
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

    async def _unarchive(self, thread_id: int) -> bool:
        """Reopen an archived thread (a forum post after a week) so its message can be edited.

        It is left unarchived: Discord archives it again after its inactivity period, and a
        resolution that archives threads does so after this render.
        """
        thread = await find_channel(self._client, thread_id)
        if not isinstance(thread, discord.Thread):
            return False
        try:
            await thread.edit(archived=False)
        except discord.HTTPException:
            log.warning("Cannot unarchive thread %s to update its message", thread_id)
            return False
        return True

    async def finalise(
        self, thread: discord.Thread, outcome: Outcome | None, archive: bool
    ) -> None:
        """After a resolution: the forum post wears the outcome's tag, and the thread is
        archived if the server wants that. Logged, never raised: the resolution is stored."""
        changes: dict[str, object] = {}
        if isinstance(thread.parent, discord.ForumChannel) and outcome is not None:
            tags = await ensure_forum_tags(thread.parent)
            if outcome.value in tags:
                changes["applied_tags"] = with_status(thread.applied_tags, tags[outcome.value])
        if archive:
            changes["archived"] = True
        if not changes:
            return
        try:
            await thread.edit(**changes)  # type: ignore[arg-type]
        except discord.HTTPException:
            log.warning("Could not update thread %s after resolution", thread.id, exc_info=True)

    async def reopen_thread(self, thread: discord.Thread) -> None:
        """After a reopen: the thread unarchived (Discord refuses edits to messages in an
        archived thread) and the forum post's Open tag back. Logged, never raised."""
        changes: dict[str, Any] = {}
        if thread.archived:
            changes["archived"] = False
        if isinstance(thread.parent, discord.ForumChannel):
            tags = await ensure_forum_tags(thread.parent)
            if OPEN_TAG in tags:
                changes["applied_tags"] = with_status(thread.applied_tags, tags[OPEN_TAG])
        if changes:
            try:
                await thread.edit(**changes)
            except discord.HTTPException:
                log.warning("Could not reopen thread %s", thread.id, exc_info=True)

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

    def start_retries(self, every_seconds: float, shards: ShardSet | None = None) -> None:
        """Start the loop that retries failed renders (idempotent), for servers on ``shards``."""
        self._retry_shards = shards
        if self._retries_loop is None:
            self._retries_loop = Periodic(
                "render-retries", self.retry_pending, every_seconds, self._clock, sleep_first=True
            )
        self._retries_loop.start()

    async def stop_retries(self) -> None:
        """Between passes: a pass cut short would strand its database connection."""
        if self._retries_loop is not None:
            await self._retries_loop.stop()

    async def retry_pending(self) -> None:
        """One pass: redraw each still-pending message whose backoff has passed."""
        pending = set(await self._state.pending(shards=self._retry_shards))
        self._retries = {k: v for k, v in self._retries.items() if k in pending}
        now = self._clock.now()
        for prediction_id in sorted(pending):
            retry = self._retries.get(prediction_id)
            if retry is not None and retry.due > now:
                continue
            if await self.render_now(prediction_id):
                self._retries.pop(prediction_id, None)
                continue
            failures = retry.failures + 1 if retry else 1
            delay = min(RETRY_FIRST * 2 ** (failures - 1), RETRY_LONGEST)
            self._retries[prediction_id] = _Retry(failures, now + delay)

    async def drain(self) -> None:
        """Wait for every requested redraw (shutdown, and tests waiting for quiet)."""
        await self._coalescer.drain()
