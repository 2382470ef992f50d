"""``/notifications``: where a member is told (thread ping, DM, nothing) and about what.

Without options it opens the member's private panel (selects that save on change:
:mod:`cogs.administration.notification_panel`); the options stay as a typed shortcut, and
their answer carries the same panel.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.rendering.replies import reply_ephemeral
from bot.runtime.client import AuguryBot
from bot.services.core.notifications import Topic, Where
from cogs.administration.notification_panel import PANEL_ITEMS, panel, preferences_text

WHERE_CHOICES = [
    app_commands.Choice(name="ping me in the prediction's thread", value=Where.THREAD.value),
    app_commands.Choice(name="send me a DM instead", value=Where.DM.value),
    app_commands.Choice(name="nowhere: don't notify me", value=Where.NONE.value),
]


class NotificationsCog(commands.Cog):
    """Each member's own notification choices."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*PANEL_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*PANEL_ITEMS)

    @app_commands.command(
        name="notifications", description="See or choose where and about what Augury tells you"
    )
    @app_commands.describe(
        where="Pinged in the thread, a DM, or nothing",
        my_due="Your own predictions falling due",
        followed_due="Predictions you follow falling due",
        resolutions="Resolutions of predictions you voted on or follow",
        close_warnings="Voting about to close on predictions you follow",
        mute="Silence everything at once (your choices are kept)",
    )
    @app_commands.choices(where=WHERE_CHOICES)
    async def notifications(
        self,
        interaction: discord.Interaction,
        where: app_commands.Choice[str] | None = None,
        my_due: bool | None = None,
        followed_due: bool | None = None,
        resolutions: bool | None = None,
        close_warnings: bool | None = None,
        mute: bool | None = None,
    ) -> None:
        given = {
            Topic.MY_DUE: my_due,
            Topic.FOLLOWED_DUE: followed_due,
            Topic.RESOLUTIONS: resolutions,
            Topic.CLOSE_WARNINGS: close_warnings,
        }
        topics = {topic: on for topic, on in given.items() if on is not None}
        service = self.bot.services.notifications
        if where is None and not topics and mute is None:
            prefs = await service.preferences(interaction.user.id)
            await reply_ephemeral(interaction, preferences_text(prefs), view=panel(prefs))
            return
        prefs = await service.update(
            interaction.user.id,
            where=where.value if where else None,
            topics=topics,
            muted=mute,
        )
        await reply_ephemeral(interaction, "Saved.\n" + preferences_text(prefs), view=panel(prefs))
