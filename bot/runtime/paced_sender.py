"""A cog that drains work kept in the database, a batch at a time, at a steady pace.

DMs to many members (result DMs, reminder DMs) are queued in the database by the code that
decides them and sent from here; digests, scheduled events and season recaps are claimed from
it the same way: ``batch`` every ``pace`` seconds, on the bot's clock, starting
once the bot is ready and stopping between batches when the cog unloads. Subclasses say what one
batch is (:meth:`run_once`); tests drive that directly.
"""

from __future__ import annotations

from discord.ext import commands

from bot.runtime.client import AuguryBot
from bot.runtime.periodic import Periodic

#: Ten messages every five seconds: well inside Discord's limits, with room for the rest.
BATCH = 10
PACE_SECONDS = 5.0


class PacedSender(commands.Cog):
    def __init__(
        self, bot: AuguryBot, name: str, *, batch: int = BATCH, pace: float = PACE_SECONDS
    ) -> None:
        self.bot = bot
        self.batch = batch
        self._loop = Periodic(name, self.run_once, pace, bot.clock, first=bot.wait_until_ready)

    async def cog_load(self) -> None:
        self._loop.start()

    async def cog_unload(self) -> None:
        await self._loop.stop()  # between batches: never in the middle of a database session

    async def run_once(self) -> int:
        """Handle at most ``batch`` queued items; how many were handled (0: queue empty)."""
        raise NotImplementedError
