"""A community's record is its own: ``/predictions export`` (mine), ``/augury export`` (the
server's, moderators) and ``/privacy forget-me``.

Export streams the record from the database (:mod:`bot.services.records.export`) into a file
attachment within the server's upload limit, or says to use ``python -m bot export``.
Forget-me asks for confirmation, then removes the member's identity from everything stored
(:mod:`bot.services.records.privacy`) and redraws the public messages that named them. Import and
backup are command-line only (``python -m bot import | backup``): they are an admin's tools;
``/augury link-forecaster`` lets a moderator say later which member an imported name is.
"""

from __future__ import annotations

from bot.runtime.client import AuguryBot
from cogs.records.export_command import ExportCog
from cogs.records.link_command import LinkCog
from cogs.records.privacy_commands import PrivacyCog


async def setup(bot: AuguryBot) -> None:
    await bot.add_cog(ExportCog(bot))
    await bot.add_cog(LinkCog(bot))
    await bot.add_cog(PrivacyCog(bot))
