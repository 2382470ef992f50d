"""Administration: ``/augury`` (the server's settings, Manage Server), a member's own settings
(``/timezone``, ``/notifications``), ``/help``, the display names the bot has seen, and the
set-up message on joining a server."""

from __future__ import annotations

from bot.runtime.client import AuguryBot
from bot.runtime.shared_groups import AUGURY_GROUP, group_loaded
from cogs.administration.augury_commands import AdminCog
from cogs.administration.help_command import HelpCog
from cogs.administration.member_names import MemberNamesCog
from cogs.administration.notifications_command import NotificationsCog
from cogs.administration.onboarding import OnboardingCog
from cogs.administration.timezone_command import TimezoneCog
from cogs.administration.web_listing import WebListingCog


async def setup(bot: AuguryBot) -> None:
    await bot.add_cog(AdminCog(bot))
    group_loaded(bot.tree, AUGURY_GROUP)  # moderator actions other features add to /augury
    await bot.add_cog(TimezoneCog(bot))
    await bot.add_cog(MemberNamesCog(bot))
    await bot.add_cog(NotificationsCog(bot))
    await bot.add_cog(HelpCog(bot))
    await bot.add_cog(OnboardingCog(bot))
    await bot.add_cog(WebListingCog(bot))
