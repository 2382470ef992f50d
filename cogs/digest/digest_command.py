"""``/augury digest``: turn the weekly digest on, change it, turn it off, or see it."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.domain.digest import WEEKDAYS
from bot.rendering.replies import actor_of, guild_id_of, reply_ephemeral
from bot.rendering.timestamps import discord_timestamp as ts
from bot.runtime.client import augury
from bot.services.digest import DigestPlan

COMMAND = "digest"
DAY_CHOICES = [app_commands.Choice(name=name, value=index) for index, name in enumerate(WEEKDAYS)]


def plan_text(plan: DigestPlan | None, *, changed: bool = False) -> str:
    """What the admin reads: where and when, in the server's time zone, and the next one."""
    if plan is None:
        return (
            "📅 The weekly digest is off. Turn it on with `/augury digest channel:#… day:… "
            "hour:…` (in the server's time zone, `/augury timezone`)."
        )
    when = f"{WEEKDAYS[plan.weekday]}s at {plan.hour:02d}:00 ({plan.timezone})"
    lead = "📅 Done: the weekly digest" if changed else "📅 The weekly digest"
    text = f"{lead} goes to <#{plan.channel_id}> on {when}; it pings nobody."
    if plan.next_at is not None:
        text += f" Next: {ts(plan.next_at, 'F')} ({ts(plan.next_at, 'R')})."
    if plan.last_error:
        text += f"\n⚠️ Last time: {plan.last_error}."
    return text + " `/augury digest off:True` turns it off."


def digest_command() -> app_commands.Command[Any, ..., None]:
    @app_commands.command(name=COMMAND, description="A weekly summary post (Manage Server)")
    @app_commands.describe(
        channel="Where to post it",
        day="The day, in the server's time zone",
        hour="The hour, 0 to 23, in the server's time zone",
        off="True: no more digests",
    )
    @app_commands.choices(day=DAY_CHOICES)
    async def digest(
        interaction: discord.Interaction,
        channel: discord.TextChannel | None = None,
        day: app_commands.Choice[int] | None = None,
        hour: app_commands.Range[int, 0, 23] | None = None,
        off: bool = False,
    ) -> None:
        bot = augury(interaction)
        service = bot.services.digest
        guild_id = guild_id_of(interaction)
        if off:
            had = await service.turn_off(guild_id, actor_of(interaction))
            await reply_ephemeral(
                interaction,
                "📅 The weekly digest is off." if had else "📅 The weekly digest was already off.",
            )
            return
        current = await service.plan(guild_id)
        if channel is None and day is None and hour is None:
            await reply_ephemeral(interaction, plan_text(current))
            return
        channel_id = channel.id if channel else (current.channel_id if current else None)
        weekday = day.value if day else (current.weekday if current else None)
        at = hour if hour is not None else (current.hour if current else None)
        if channel_id is None or weekday is None or at is None:
            await reply_ephemeral(
                interaction,
                "⚠️ To turn the digest on, give all three: `channel`, `day` and `hour`. "
                "Nothing was changed.",
            )
            return
        plan = await service.schedule(guild_id, actor_of(interaction), channel_id, weekday, at)
        await reply_ephemeral(interaction, plan_text(plan, changed=True))

    return digest
