"""``/notifications``: where a member is told (thread ping, DM, nothing) and about what."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.rendering.replies import reply_ephemeral
from bot.runtime.client import AuguryBot
from bot.services.core.notifications import TOPIC_LABELS, Preferences, Topic, Where

WHERE_CHOICES = [
    app_commands.Choice(name="ping me in the prediction's thread", value=Where.THREAD.value),
    app_commands.Choice(name="send me a DM instead", value=Where.DM.value),
    app_commands.Choice(name="nowhere: don't notify me", value=Where.NONE.value),
]
WHERE_TEXT = {
    Where.THREAD: "pinged in the prediction's thread",
    Where.DM: "sent a DM (if your DMs are closed, pinged in the thread instead)",
    Where.NONE: "not notified",
}


def preferences_text(prefs: Preferences) -> str:
    if prefs.muted:
        head = "🔇 **Muted**: nothing pings or DMs you. `/notifications mute:False` undoes it."
    else:
        where = WHERE_TEXT[prefs.where]
        if prefs.where == Where.DM and prefs.dm_failed:
            where = (
                "sent a DM, but your DMs were closed: pinged in the thread until you choose again"
            )
        head = f"🔔 You are {where}."
    lines = [head, "About:"]
    for topic in Topic:
        mark = "✅" if topic in prefs.topics else "❌"
        lines.append(f"{mark} {TOPIC_LABELS[topic]}")
    lines.append(
        "Change any of it with the options of `/notifications`. Whatever you choose, "
        "**How did I do?** on a resolution post tells you your result."
    )
    return "\n".join(lines)


class NotificationsCog(commands.Cog):
    """Each member's own notification choices."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

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
            await reply_ephemeral(interaction, preferences_text(prefs))
            return
        prefs = await service.update(
            interaction.user.id,
            where=where.value if where else None,
            topics=topics,
            muted=mute,
        )
        await reply_ephemeral(interaction, "Saved.\n" + preferences_text(prefs))
