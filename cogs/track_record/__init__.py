"""Track records: ``/stats member``, ``/stats server`` and ``/leaderboard``, with charts.

Scores are written when a prediction resolves, so every figure here is a query
(:mod:`bot.services.track_record.stats`); charts render off the event loop
(:mod:`bot.rendering.chart_files`).
"""

from __future__ import annotations

from bot.runtime.client import AuguryBot
from cogs.track_record.commands import StatsCog


async def setup(bot: AuguryBot) -> None:
    await bot.add_cog(StatsCog(bot))
