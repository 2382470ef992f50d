"""Discord scheduled events for resolution dates (issue 21).

``commands`` is ``/augury events`` and the Interested → follow listener (``interest`` reads
those clicks from the gateway); ``sync`` writes the events the database says are due, paced.
What is due, and the claims, live in :mod:`bot.services.events`.
"""

from __future__ import annotations

from bot.runtime.client import AuguryBot
from cogs.events.events_command import EventCommandsCog
from cogs.events.sync import EventSyncCog


async def setup(bot: AuguryBot) -> None:
    await bot.add_cog(EventCommandsCog(bot))
    await bot.add_cog(EventSyncCog(bot))
