"""Resolution: ``/resolve``, the resolve buttons on reminders, ``/predictions reopen``, and
what a resolution makes public (the final message, the thread post, forum tags, archiving).

Outcome and scores are written in one transaction by
:class:`bot.services.resolution.service.ResolutionService`; this feature only asks and announces.
"""

from __future__ import annotations

from bot.runtime.client import AuguryBot
from cogs.resolution.resolve_commands import ResolveCog
from cogs.resolution.results import ResultSenderCog


async def setup(bot: AuguryBot) -> None:
    await bot.add_cog(ResolveCog(bot))
    await bot.add_cog(ResultSenderCog(bot))
