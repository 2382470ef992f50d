"""``/predictions export`` (a member's own record) and ``/augury export`` (the whole server's,
for moderators: members never see it): the record as a file, ephemeral, within the upload
limit."""

from __future__ import annotations

import io
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.rendering.replies import actor_of, guild_id_of, reply_ephemeral
from bot.rendering.words import plural
from bot.runtime.client import AuguryBot, augury
from bot.runtime.cooldowns import member_cooldown
from bot.runtime.shared_groups import AUGURY_GROUP, join_group, leave_group
from bot.services.records.export import CappedBuffer, ExportFormat, TooLarge

#: Discord's upload limit for a server without boosts; the guild says when it has more.
DEFAULT_UPLOAD_LIMIT = 10 * 1024 * 1024
#: Room for the multipart envelope around the file.
ENVELOPE = 16 * 1024
#: An export reads a member's (or the server's) whole record: twice per 10 minutes per member.
EXPORT_RATE, EXPORT_PER = 2, 600.0
FORMAT_CHOICES = [
    app_commands.Choice(name="CSV (spreadsheets: one row per forecast)", value="csv"),
    app_commands.Choice(name="JSON (the full record, re-importable)", value="json"),
]


def upload_limit(interaction: discord.Interaction) -> int:
    """Discord says with each interaction how large a file it accepts (boosts raise it)."""
    return int(getattr(interaction, "filesize_limit", 0) or DEFAULT_UPLOAD_LIMIT)


def too_large_text(guild_id: int, limit: int, fmt: str) -> str:
    return (
        f"This export is larger than this server's upload limit ({limit / 1024 / 1024:.0f} MiB), "
        "so I can't attach it. The bot's host can write it to a file of any size with "
        f"`python -m bot export --guild {guild_id} --format {fmt} --out record.{fmt}`."
    )


def export_command(whole_server: bool) -> app_commands.Command[Any, ..., None]:
    """Built per bot (the group it joins belongs to that bot): ``/predictions export`` for a
    member's own record, or ``/augury export`` for the whole server's (moderators)."""
    description = (
        "Download the whole server's predictions and forecasts as a file (moderators)"
        if whole_server
        else "Download your predictions and forecasts as a file"
    )

    @app_commands.command(name="export", description=description)
    @app_commands.describe(format="CSV for spreadsheets (default) or JSON to rebuild the record")
    @app_commands.choices(format=FORMAT_CHOICES)
    @member_cooldown("export", rate=EXPORT_RATE, per=EXPORT_PER)
    async def export(
        interaction: discord.Interaction,
        format: app_commands.Choice[str] | None = None,
    ) -> None:
        bot = augury(interaction)
        guild_id = guild_id_of(interaction)
        fmt = ExportFormat(format.value if format else ExportFormat.CSV)
        await interaction.response.defer(ephemeral=True, thinking=True)
        limit = upload_limit(interaction)
        sink = CappedBuffer(limit=max(limit - ENVELOPE, 1))
        try:
            count = await bot.services.records_export.export_as(
                actor_of(interaction), guild_id, whole_server, fmt, sink
            )
        except TooLarge:
            await reply_ephemeral(interaction, f"⚠️ {too_large_text(guild_id, limit, fmt.value)}")
            return
        day = bot.clock.now().strftime("%Y-%m-%d")
        name = f"augury-{'server' if whole_server else 'mine'}-{day}.{fmt.value}"
        what = "the server's record" if whole_server else "your predictions and forecasts"
        await interaction.followup.send(
            f"📦 Here is {what}: {plural(count, 'prediction')}, as {fmt.value.upper()}.",
            file=discord.File(io.BytesIO(sink.getvalue()), filename=name),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    return export


class ExportCog(commands.Cog):
    """Adds ``/predictions export`` (mine) and ``/augury export`` (the server's, moderators)."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        join_group(self.bot.tree, export_command(whole_server=False))
        join_group(self.bot.tree, export_command(whole_server=True), AUGURY_GROUP)

    async def cog_unload(self) -> None:
        leave_group(self.bot.tree, "export")
        leave_group(self.bot.tree, "export", AUGURY_GROUP)
